"""Messages about a session itself: reminders before each meeting, and changes of time or place.

Reminders go out ``SESSION_REMINDER_HOURS`` (48) before each meeting, once per meeting and time,
with the session's calendar file. A change of a meeting's time, room or link, or of the session's
venue, tells every trainee holding a place once per change, after the change is committed. A
meeting deleted from a running session is named in that notice, with a calendar file that removes
it from the person's diary.
"""

import copy
import hashlib
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise

from lms.notifications.models import Category, Notification
from lms.notifications.services import Attachment, notify

from .ics import removed_meetings_ics, session_cancel_ics, session_ics
from .links import session_absolute_url
from .models import Enrolment, Meeting, Session

MEETING_FIELDS = ("starts_at", "ends_at", "room", "online_url")
SESSION_FIELDS = ("venue_id", "format", "online_url", "online_instructions")


def notify_trainee(
    enrolment: Enrolment,
    session: Session,
    meetings: list[Meeting],
    *,
    event: str,
    dedupe_key: str,
    category: str = Category.ESSENTIAL,
    reason: str | Promise = "",
    with_calendar: bool = True,
    cancel_calendar: bool = False,
    removed_meetings: list[Meeting] | None = None,
) -> None:
    """One email about an enrolment or its session (template ``courses/emails/enrolment``).

    ``with_calendar`` attaches the session's meetings; ``cancel_calendar`` a METHOD:CANCEL file
    that removes them from the person's calendar (they no longer hold a place);
    ``removed_meetings`` (deleted from the session) are named and cancelled in a second file.
    """
    attachments = []
    if removed_meetings:
        attachments.append(
            Attachment(
                f"{session.code}-removed.ics",
                removed_meetings_ics(session, removed_meetings).decode(),
                "text/calendar",
            )
        )
    if cancel_calendar:
        attachments.append(
            Attachment(
                f"{session.code}-cancel.ics", session_cancel_ics(session).decode(), "text/calendar"
            )
        )
    elif with_calendar:
        attachments.append(
            Attachment(f"{session.code}.ics", session_ics(session).decode(), "text/calendar")
        )
    notify(
        recipient=enrolment.trainee,
        event=event if "." in event else f"session.{event}",
        template="courses/emails/enrolment",
        context={
            "event": event.rsplit(".", 1)[-1],
            "enrolment": enrolment,
            "session": session,
            "trainee": enrolment.trainee,
            "reason": reason,
            "meetings": meetings,
            "removed_meetings": sorted(removed_meetings or [], key=lambda m: m.starts_at),
            "session_url": session_absolute_url(session),
            "space_url": settings.SITE_URL + reverse("courses:my-enrolments"),
        },
        dedupe_key=dedupe_key,
        category=category,
        url=reverse("courses:my-enrolments"),
        attachments=attachments,
    )


def send_session_reminders(*, now: datetime | None = None) -> int:
    """Remind confirmed trainees of each meeting starting within the reminder window; returns
    how many reminders this run wrote (those of earlier runs are not counted).

    The window is the last 24 hours before ``SESSION_REMINDER_HOURS``: a job running every hour
    reaches each meeting once, about two days before it; the dedupe key makes a second run idle.
    """
    now = now or timezone.now()
    ahead = timedelta(hours=settings.SESSION_REMINDER_HOURS)
    meetings = (
        Meeting.objects.filter(
            session__status=Session.Status.PUBLISHED,
            starts_at__gt=now + ahead - timedelta(hours=24),
            starts_at__lte=now + ahead,
        )
        .select_related("session__course", "session__module", "session__venue")
        .order_by("starts_at")
    )
    sent = 0
    for meeting in meetings:
        session = meeting.session
        enrolments = Enrolment.objects.filter(
            session=session, status=Enrolment.Status.CONFIRMED
        ).select_related("trainee")
        for enrolment in enrolments:
            key = f"session.reminder:{enrolment.pk}:{meeting.pk}:{meeting.starts_at:%Y%m%d%H%M}"
            if Notification.objects.filter(dedupe_key=key).exists():
                continue  # reminded by an earlier run: not counted again
            with transaction.atomic():
                notify_trainee(
                    enrolment,
                    session,
                    [meeting],
                    event="reminder",
                    dedupe_key=key,
                    category=Category.REMINDERS,
                )
            sent += 1
    return sent


def _fingerprint(session: Session, meetings: list[Meeting]) -> str:
    parts = [str(getattr(session, name)) for name in SESSION_FIELDS]
    parts += [
        f"{m.starts_at:%Y%m%d%H%M}-{m.ends_at:%H%M}-{m.room}-{m.online_url}" for m in meetings
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def send_change_notices(*, session_id: int, removed: list[Meeting] | None = None) -> int:
    """Tell each trainee holding a place in a running session its new schedule (once per change).

    ``removed``: copies of meetings deleted from the session, still to come, which the notice
    names and cancels in the person's calendar.
    """
    session = (
        Session.objects.select_related("course", "module", "venue").filter(pk=session_id).first()
    )
    if session is None or session.status != Session.Status.PUBLISHED:
        return 0
    meetings = list(session.meetings.order_by("starts_at"))
    now = timezone.now()
    removed = [m for m in removed or [] if m.ends_at > now]
    if not any(m.ends_at > now for m in [*meetings, *removed]):
        return 0  # a correction of the record of a past session: nobody needs an email
    fingerprint = _fingerprint(session, meetings)
    told = 0
    for enrolment in Enrolment.objects.filter(
        session=session, status__in=Enrolment.SEAT_STATUSES
    ).select_related("trainee"):
        prefix = f"session.changed:{enrolment.pk}:"
        previous = list(
            Notification.objects.filter(dedupe_key__startswith=prefix)
            .order_by("pk")
            .values_list("dedupe_key", flat=True)
        )
        if any(key.split(":")[2] == fingerprint for key in previous[-1:]):
            continue  # this very schedule was the last one announced
        with transaction.atomic():
            notify_trainee(
                enrolment,
                session,
                meetings,
                event="changed",
                dedupe_key=f"{prefix}{fingerprint}:{len(previous)}",
                category=Category.ESSENTIAL,
                removed_meetings=removed,
            )
        told += 1
    return told


# Meetings deleted in the current thread's transactions, per session, until a commit announces
# them. Several deletions in one transaction (an edit form removing two meetings) make one notice.
_deleted = threading.local()


def _deleted_meetings() -> dict[int, list[Meeting]]:
    if not hasattr(_deleted, "by_session"):
        _deleted.by_session = {}
    return _deleted.by_session


def _announce_pending(session_id: int) -> None:
    removed = _deleted_meetings().pop(session_id, [])
    # A deletion rolled back earlier left its copy here: only meetings really gone are named.
    still_there = set(
        Meeting.objects.filter(pk__in=[m.pk for m in removed]).values_list("pk", flat=True)
    )
    send_change_notices(
        session_id=session_id, removed=[m for m in removed if m.pk not in still_there]
    )


def _announce_after_commit(session_id: int, *, deleted: Meeting | None = None) -> None:
    # Only a running session with people holding a place needs an announcement; a session being
    # built (draft, or no enrolment yet) changes silently, and keeps no copy of what it deletes.
    concerned = Enrolment.objects.filter(
        session_id=session_id,
        session__status=Session.Status.PUBLISHED,
        status__in=Enrolment.SEAT_STATUSES,
    ).exists()
    if concerned:
        if deleted is not None:
            # A copy: Django clears the instance's primary key once the deletion is done.
            _deleted_meetings().setdefault(session_id, []).append(copy.copy(deleted))
        transaction.on_commit(lambda: _announce_pending(session_id))


def _remember(instance: Meeting | Session, fields: tuple[str, ...]) -> None:
    instance._before_save = (  # type: ignore[union-attr]
        type(instance).objects.filter(pk=instance.pk).values(*fields).first()
        if instance.pk
        else None
    )


def _changed(instance: Meeting | Session, fields: tuple[str, ...]) -> bool:
    before = getattr(instance, "_before_save", None)
    return before is not None and any(before[name] != getattr(instance, name) for name in fields)


def bump_calendar_sequence(*, session_id: int) -> None:
    """Every meeting of the session gets a new calendar revision (its venue or status changed)."""
    Meeting.objects.filter(session_id=session_id).update(sequence=F("sequence") + 1)


@receiver(pre_save, sender=Meeting, dispatch_uid="courses.meeting.remember")
def _remember_meeting(sender, instance: Meeting, raw: bool = False, **kwargs) -> None:
    if not raw:
        _remember(instance, (*MEETING_FIELDS, "sequence"))
        if _changed(instance, MEETING_FIELDS):
            # From the stored revision: this instance may predate a session-wide bump.
            instance.sequence = instance._before_save["sequence"] + 1  # type: ignore[attr-defined]


@receiver(post_save, sender=Meeting, dispatch_uid="courses.meeting.changed")
def _meeting_saved(sender, instance: Meeting, created: bool, raw: bool = False, **kwargs) -> None:
    if not raw and (created or _changed(instance, MEETING_FIELDS)):
        _announce_after_commit(instance.session_id)


@receiver(post_delete, sender=Meeting, dispatch_uid="courses.meeting.deleted")
def _meeting_deleted(sender, instance: Meeting, **kwargs) -> None:
    _announce_after_commit(instance.session_id, deleted=instance)


@receiver(pre_save, sender=Session, dispatch_uid="courses.session.remember")
def _remember_session(sender, instance: Session, raw: bool = False, **kwargs) -> None:
    if not raw:
        _remember(instance, SESSION_FIELDS)


@receiver(post_save, sender=Session, dispatch_uid="courses.session.changed")
def _session_saved(sender, instance: Session, raw: bool = False, **kwargs) -> None:
    if not raw and _changed(instance, SESSION_FIELDS):
        bump_calendar_sequence(session_id=instance.pk)
        _announce_after_commit(instance.pk)
