"""What the catalogue shows of each course and session, worked out once per page in Python.

The course index lists twenty courses with their next sessions. Done by template tags, every
course and session resolved its page address, its choice labels and its translated sentences
again, which cost more than the rest of the page. Here the shared parts (the finder's address,
the choice labels, the fixed words) are resolved once per page, sentences are built with the same
message ids and the same escaping as the ``translate``/``blocktranslate`` tags of
``courses/includes/session_row.html``, and a course line shared by several courses is built once.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from courses.models import Region, Session

# Values are rendered as in a template with autoescaping, localisation and time zone defaults.
_CONTEXT = Context(autoescape=True)


def _text(value: Any) -> str:
    """``{{ value }}``: localised and escaped."""
    return render_value_in_context(value, _CONTEXT)


def _sentence(translated: str, source: str, **values: Any) -> SafeString:
    """``{% blocktranslate %}``: the translation is trusted, its variables escaped."""
    data = {key: _text(value) for key, value in values.items()}
    try:
        return mark_safe(translated % data)  # noqa: S308 - the variables are escaped above
    except (KeyError, ValueError):  # a broken translation: the tag falls back to the source
        return mark_safe(source % data)  # noqa: S308


def _labels(choices: Iterable[tuple[Any, Any]]) -> dict[Any, str]:
    """Value → translated label, as ``get_FOO_display`` gives, translated once per page."""
    return {value: str(label) for value, label in choices}


def _when(session: Session, days: dict) -> str:
    if not session.first_starts_at:
        return ""
    # The ``date`` filter works in local time, as in a template; each day is written once.
    day = timezone.template_localtime(session.first_starts_at).date()
    if day not in days:
        days[day] = date_filter(day, "j F Y")
    n = session.meeting_count
    return _sentence(
        ngettext("from %(start)s, %(n)s meeting", "from %(start)s, %(n)s meetings", n),
        "from %(start)s, %(n)s meeting" if n == 1 else "from %(start)s, %(n)s meetings",
        start=days[day],
        n=n,
    )


def _places(session: Session, full: str) -> str:
    if session.places_left > 0:
        n = session.places_left
        return _sentence(
            ngettext("%(n)s place left", "%(n)s places left", n),
            "%(n)s place left" if n == 1 else "%(n)s places left",
            n=n,
        )
    return full


def prepare_sessions(sessions: Iterable[Session], session_url: Callable[[int], str] | None):
    """Give each session what its catalogue row shows, as attributes (see the template)."""
    region_labels = _labels(Region.choices)
    format_labels = _labels(Session.Format.choices)
    language_labels = _labels(Session._meta.get_field("language").choices)
    full = _text(gettext("Full: waiting list open"))
    free = _text(gettext("Free"))
    step_free = _text(gettext("Step-free access"))
    days: dict = {}
    for session in sessions:
        venue = session.venue
        session.catalogue_url = session_url(session.pk) if session_url else None
        session.region_label = region_labels.get(venue.region, venue.region) if venue else ""
        session.format_label = format_labels.get(session.format, session.format)
        session.language_label = language_labels.get(session.language, session.language)
        session.when_label = _when(session, days)
        session.places_label = _places(session, full)
        session.cost_label = mark_safe(f"{_text(session.cost)} €") if session.cost else free  # noqa: S308
        session.step_free_label = step_free if venue and venue.step_free_access else ""


def course_facts(course) -> SafeString:
    """The hours and the certification a course leads to, as on its catalogue card."""
    facts = _sentence(
        gettext("%(hours)s hours"), "%(hours)s hours", hours=floatformat(course.total_hours, "-2")
    )
    if course.certification:
        leads_to = _sentence(
            gettext("Leads to: %(title)s"),
            "Leads to: %(title)s",
            title=course.certification.title,
        )
        facts = mark_safe(f"{facts} · {leads_to}")  # noqa: S308 - both parts are escaped
    return facts


def prepare_course_pages(course_pages: Iterable, request) -> None:
    """Give each course page its address and its facts line (built once per distinct course
    hours and certification: most courses of a catalogue share them)."""
    facts: dict[tuple, SafeString] = {}
    for course_page in course_pages:
        course = course_page.course
        key = (course.total_hours, course.certification_id)
        if key not in facts:
            facts[key] = course_facts(course)
        course_page.catalogue_url = course_page.get_url(request=request)
        course_page.catalogue_facts = facts[key]
