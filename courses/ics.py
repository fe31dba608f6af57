"""iCalendar files: one session's meetings, or a person's confirmed meetings (feed)."""

from collections.abc import Iterable
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from .links import session_absolute_url
from .models import Meeting, Session

BRUSSELS = ZoneInfo("Europe/Brussels")
PRODID = "-//Parcours//Formation des pairs-aidants//FR"


def _domain() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "parcours"


def _location(session: Session, meeting: Meeting) -> str:
    if session.format == Session.Format.ONLINE or session.venue is None:
        return meeting.online_url or session.online_url or "En ligne"
    parts = [session.venue.name, meeting.room, session.venue.full_address]
    return ", ".join(part for part in parts if part)


def _organizer() -> vCalAddress:
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = vText(name or "Parcours")
    return organizer


def _event(session: Session, meeting: Meeting, *, cancelled: bool = False) -> Event:
    event = Event()
    # A meeting keeps its UID for good; SEQUENCE grows with each change (see Meeting.sequence).
    event.add("uid", f"meeting-{meeting.pk}@{_domain()}")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("organizer", _organizer())
    event.add("dtstart", meeting.starts_at.astimezone(BRUSSELS))
    event.add("dtend", meeting.ends_at.astimezone(BRUSSELS))
    event.add("summary", session.title)
    event.add("location", _location(session, meeting))
    url = session_absolute_url(session)
    event.add("url", url)
    description = [session.course.title, url]
    if session.format != Session.Format.IN_PERSON and (meeting.online_url or session.online_url):
        description.append(meeting.online_url or session.online_url)
    event.add("description", "\n".join(description))
    if cancelled or session.status == Session.Status.CANCELLED:
        event.add("status", "CANCELLED")
    return event


def _calendar(name: str, events: Iterable[Event], *, method: str = "") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Brussels")
    for event in events:
        calendar.add_component(event)
    # Adds the VTIMEZONE for Europe/Brussels that the events' TZID refers to.
    calendar.add_missing_timezones()
    return calendar.to_ical()


def session_ics(session: Session) -> bytes:
    """One VEVENT per meeting of the session (meetings should be prefetched)."""
    return _calendar(
        session.title,
        (_event(session, m) for m in sorted(session.meetings.all(), key=lambda m: m.starts_at)),
    )


def session_cancel_ics(session: Session) -> bytes:
    """METHOD:CANCEL for every meeting of the session: calendar apps remove them.

    Sent when the session is cancelled, or when one person loses their place in it. Same UIDs
    and the current SEQUENCE (the session's cancellation raised it for everyone).
    """
    return _calendar(
        session.title,
        (
            _event(session, m, cancelled=True)
            for m in sorted(session.meetings.all(), key=lambda m: m.starts_at)
        ),
        method="CANCEL",
    )


def removed_meetings_ics(session: Session, meetings: Iterable[Meeting]) -> bytes:
    """METHOD:CANCEL for meetings deleted from a running session (copies kept at deletion): the
    calendar apps that received them remove them. Their revision is one past the last one sent."""
    cancelled = []
    for meeting in sorted(meetings, key=lambda m: m.starts_at):
        event = _event(session, meeting, cancelled=True)
        event["sequence"] = meeting.sequence + 1
        cancelled.append(event)
    return _calendar(session.title, cancelled, method="CANCEL")


def meetings_ics(name: str, meetings: Iterable[Meeting]) -> bytes:
    """A personal feed: each meeting with its session (select_related session, venue)."""
    return _calendar(name, (_event(m.session, m) for m in meetings))
