"""Personal data of notifications: in-app messages, the email outbox, email preferences."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lms.accounts.models import User
from lms.privacy.registry import Export, PersonalData, Provider

from .models import EmailPreference, Notification, OutboxEmail


def _periods() -> dict[str, int]:
    return {
        "notifications": int(getattr(settings, "NOTIFICATIONS_RETENTION_DAYS", 365)),
        "emails": int(getattr(settings, "OUTBOX_RETENTION_DAYS", 90)),
    }


def _outbox(user: User):  # type: ignore[no-untyped-def]
    return OutboxEmail.objects.filter(Q(recipient=user) | Q(to_address__iexact=user.email))


def export(user: User) -> Export:
    return Export(
        data={
            "notifications": [
                {
                    "created_at": n.created_at,
                    "read_at": n.read_at,
                    "title": n.title,
                    "message": n.body,
                    "link": n.url,
                }
                for n in Notification.objects.filter(recipient=user).order_by("created_at", "pk")
            ],
            "emails": [
                {
                    "created_at": e.created_at,
                    "sent_at": e.sent_at,
                    "to": e.to_address,
                    "subject": e.subject,
                    "status": e.status,
                    "text": e.text_body,
                }
                for e in _outbox(user).order_by("created_at", "pk")
            ],
            "email_preferences": {
                p.category: p.enabled for p in EmailPreference.objects.filter(user=user)
            },
        }
    )


def erase(user: User, *, actor: User) -> dict[str, int]:
    notifications, _d = Notification.objects.filter(recipient=user).delete()
    # Pending emails too: nothing more is sent to an erased person.
    emails, _d = _outbox(user).delete()
    preferences, _d = EmailPreference.objects.filter(user=user).delete()
    return {"notifications": notifications, "emails": emails, "preferences": preferences}


@transaction.atomic
def retention(*, now: datetime) -> dict[str, int]:
    periods = _periods()
    notification_days, outbox_days = periods["notifications"], periods["emails"]
    notifications, _d = Notification.objects.filter(
        created_at__lt=now - timedelta(days=notification_days)
    ).delete()
    # Only emails that are done with: a pending or failed one still needs a human or a retry.
    emails, _d = OutboxEmail.objects.filter(
        status__in=[OutboxEmail.Status.SENT, OutboxEmail.Status.SKIPPED],
        created_at__lt=now - timedelta(days=outbox_days),
    ).delete()
    return {"notifications": notifications, "emails": emails}


PROVIDER = Provider(
    name="notifications",
    label=_("Notifications and emails"),
    order=80,
    declares=(
        PersonalData(
            models=("notifications.Notification", "notifications.OutboxEmail"),
            what=_("The messages we showed you and the emails we sent you."),
            why=_("To keep you informed about your training, your certificates and your file."),
            kept=lambda: (
                _("Messages %(notifications)s days, sent emails %(emails)s days, then deleted.")
                % _periods()
            ),
            on_erasure=_("Deleted, including emails not yet sent."),
        ),
        PersonalData(
            models=("notifications.EmailPreference",),
            what=_("Which optional emails you chose to receive."),
            why=_("To respect your choice."),
            kept=_("As long as your account exists."),
            on_erasure=_("Deleted."),
        ),
    ),
    export=export,
    erase=erase,
    retention=retention,
)
