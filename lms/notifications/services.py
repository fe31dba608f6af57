"""Write paths for notifications: tell a person about an event, deliver the outbox.

``notify`` is called inside the transaction of the action it reports (an enrolment, a result, a
certificate). It writes the in-app notification and the outgoing email in that same transaction;
the email is handed to a worker only after commit. If the broker is down then, nothing is lost:
the periodic sweep sends it later. A dedupe key per event makes every step idempotent.
"""

import logging
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from smtplib import SMTPException
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from lms.accounts.models import User
from lms.core.queueing import try_queue

from .models import Category, EmailPreference, Notification, OutboxEmail

logger = logging.getLogger(__name__)

# A mail-server error is tried again after 2, 4, 8 … minutes, at most 8 hours apart: the
# eleventh failure, about 24 hours after the first, marks the email failed for a person to look at.
MAX_ATTEMPTS = 11
RETRY_DELAY_CAP = timedelta(hours=8)
# A row still "sending" after this long belongs to a worker that died mid-send. We cannot know
# whether the SMTP server accepted it, so it is marked failed for a human to retry: at most once.
SENDING_TIMEOUT = timedelta(minutes=15)


# Inside quiet_emails(), notify() writes in-app notifications only (e.g. while loading the demo).
_quiet_emails: ContextVar[bool] = ContextVar("quiet_emails", default=False)


@contextmanager
def quiet_emails() -> Iterator[None]:
    """Record notifications without sending any email (demo data, bulk imports of history)."""
    token = _quiet_emails.set(True)
    try:
        yield
    finally:
        _quiet_emails.reset(token)


class TransientDeliveryError(Exception):
    """The mail server could not be reached; the email stays pending and is tried again."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: str
    mimetype: str


def retry_delay(*, attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt before the next one."""
    return min(timedelta(minutes=2**attempts), RETRY_DELAY_CAP)


def _due(now: datetime) -> Q:
    return Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)


def wants_email(*, user: User, category: str) -> bool:
    """Essential emails always go out; optional categories follow the person's choice."""
    if category == Category.ESSENTIAL:
        return True
    return not EmailPreference.objects.filter(user=user, category=category, enabled=False).exists()


def _render(template: str, context: Mapping[str, Any]) -> tuple[str, str, str]:
    subject = render_to_string(f"{template}_subject.txt", context)
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    return " ".join(subject.split())[:250], text.strip() + "\n", html


@transaction.atomic
def notify(
    *,
    recipient: User,
    event: str,
    template: str,
    context: Mapping[str, Any],
    dedupe_key: str,
    category: str = Category.ESSENTIAL,
    url: str = "",
    attachments: Iterable[Attachment] = (),
    email: bool = True,
) -> Notification:
    """Tell ``recipient`` about ``event``: an in-app notification and, unless they switched that
    category off, an email in their language. Calling it again with the same key does nothing."""
    existing = Notification.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing
    language = recipient.preferred_language or settings.LANGUAGE_CODE
    full_context = {
        "recipient": recipient,
        "site_url": settings.SITE_URL,
        "url": f"{settings.SITE_URL}{url}" if url.startswith("/") else url,
        **context,
    }
    with translation.override(language):
        subject, text, html = _render(template, full_context)
    notification = Notification.objects.create(
        recipient=recipient,
        event=event,
        category=category,
        title=subject,
        body=text[:2000],
        url=url,
        dedupe_key=dedupe_key,
    )
    if (
        email
        and not _quiet_emails.get()
        and recipient.is_active
        and wants_email(user=recipient, category=category)
    ):
        outbox = OutboxEmail.objects.create(
            dedupe_key=dedupe_key,
            event=event,
            recipient=recipient,
            to_address=recipient.email,
            language=language,
            subject=subject,
            text_body=text,
            html_body=html,
            attachments=[
                {"filename": a.filename, "content": a.content, "mimetype": a.mimetype}
                for a in attachments
            ],
        )
        outbox_id = outbox.pk
        transaction.on_commit(lambda: enqueue_delivery(outbox_id=outbox_id))
    return notification


def enqueue_delivery(*, outbox_id: int) -> None:
    """Hand an outbox email to a worker; if the broker is down, leave it for the sweep."""
    from .tasks import deliver_outbox_email_task

    try_queue(deliver_outbox_email_task, outbox_id)


def deliver_outbox_email(*, outbox_id: int) -> bool:
    """Send one outbox email if nobody else has; True when this call sent it.

    Deliberately not one transaction: the claim (pending → sending) must be committed before the
    SMTP conversation, so that a second task for the same email finds it claimed and stops.
    """
    now = timezone.now()
    # Not before its next attempt is due: a late duplicate task must not cut the backoff short.
    claimed = (
        OutboxEmail.objects.filter(pk=outbox_id, status=OutboxEmail.Status.PENDING)
        .filter(_due(now))
        .update(status=OutboxEmail.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return False
    outbox = OutboxEmail.objects.get(pk=outbox_id)
    message = EmailMultiAlternatives(
        subject=outbox.subject, body=outbox.text_body, to=[outbox.to_address]
    )
    if outbox.html_body:
        message.attach_alternative(outbox.html_body, "text/html")
    for attachment in outbox.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    try:
        message.send()
    except (SMTPException, OSError) as exc:
        # Only the error's type is kept: its text may quote the address.
        give_up = outbox.attempts >= MAX_ATTEMPTS
        OutboxEmail.objects.filter(pk=outbox_id).update(
            status=OutboxEmail.Status.FAILED if give_up else OutboxEmail.Status.PENDING,
            last_error=type(exc).__name__,
            next_attempt_at=None
            if give_up
            else timezone.now() + retry_delay(attempts=outbox.attempts),
        )
        if give_up:
            return False
        raise TransientDeliveryError(type(exc).__name__) from exc
    OutboxEmail.objects.filter(pk=outbox_id).update(
        status=OutboxEmail.Status.SENT, sent_at=timezone.now(), last_error="", next_attempt_at=None
    )
    return True


def sweep_outbox(*, grace: timedelta | None = None, limit: int = 500) -> int:
    """Send what was left behind (broker down at commit time) or is due for another attempt
    (mail server down: see ``retry_delay``), and flag interrupted sends."""
    if grace is None:
        grace = timedelta(seconds=settings.NOTIFICATIONS_SWEEP_GRACE_SECONDS)
    now = timezone.now()
    OutboxEmail.objects.filter(
        status=OutboxEmail.Status.SENDING, claimed_at__lt=now - SENDING_TIMEOUT
    ).update(status=OutboxEmail.Status.FAILED, last_error="Interrupted while sending")
    pending = list(
        OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING, created_at__lt=now - grace)
        .filter(_due(now))
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for outbox_id in pending:
        try:
            sent += deliver_outbox_email(outbox_id=outbox_id)
        except TransientDeliveryError:
            continue
    return sent


@transaction.atomic
def retry_outbox_email(*, outbox_id: int) -> bool:
    """A coordinator asks to try a failed email again."""
    updated = OutboxEmail.objects.filter(pk=outbox_id, status=OutboxEmail.Status.FAILED).update(
        status=OutboxEmail.Status.PENDING, attempts=0, last_error="", next_attempt_at=None
    )
    if updated:
        transaction.on_commit(lambda: enqueue_delivery(outbox_id=outbox_id))
    return bool(updated)


@transaction.atomic
def mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark some (or all) of ``user``'s notifications as read."""
    queryset = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        queryset = queryset.filter(pk__in=list(notification_ids))
    return queryset.update(read_at=timezone.now())


@transaction.atomic
def mark_unread(*, user: User, notification_id: int) -> int:
    """Put one notification back in the unread list."""
    return Notification.objects.filter(recipient=user, pk=notification_id).update(read_at=None)


@transaction.atomic
def set_email_preferences(*, user: User, enabled: Iterable[str]) -> None:
    """Store which optional email categories ``user`` receives."""
    from .models import OPTIONAL_CATEGORIES

    chosen = set(enabled)
    for category in OPTIONAL_CATEGORIES:
        EmailPreference.objects.update_or_create(
            user=user, category=category, defaults={"enabled": category in chosen}
        )
