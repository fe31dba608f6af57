"""Enrolment emails: plain text and HTML, in the trainee's language, with an .ics when confirmed."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .ics import session_ics
from .links import session_absolute_url
from .models import Enrolment

SUBJECTS = {
    "confirmed": gettext_noop("Your place is confirmed: %(title)s"),
    "requested": gettext_noop("We received your enrolment request: %(title)s"),
    "waiting_list": gettext_noop("You are on the waiting list: %(title)s"),
    "offered": gettext_noop("A place is free for you: %(title)s"),
    "offer_expired": gettext_noop("The place offered to you has gone: %(title)s"),
    "cancelled": gettext_noop("Your enrolment is cancelled: %(title)s"),
    "refused": gettext_noop("About your enrolment request: %(title)s"),
}


def send_enrolment_event_email(*, enrolment: Enrolment, event: str, reason: str = "") -> None:
    """Render and send one enrolment email (called by services.send_enrolment_email)."""
    trainee = enrolment.trainee
    session = enrolment.session
    with translation.override(trainee.preferred_language or settings.LANGUAGE_CODE):
        context = {
            "event": event,
            "enrolment": enrolment,
            "session": session,
            "trainee": trainee,
            "reason": reason,
            "meetings": list(session.meetings.order_by("starts_at")),
            "session_url": session_absolute_url(session),
            "space_url": settings.SITE_URL + reverse("courses:my-enrolments"),
        }
        subject = _(SUBJECTS[event]) % {"title": session.title}
        text = render_to_string("courses/emails/enrolment.txt", context)
        html = render_to_string("courses/emails/enrolment.html", context)
        message = EmailMultiAlternatives(
            subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
            body=text,
            to=[trainee.email],
        )
        message.attach_alternative(html, "text/html")
        if event == "confirmed":
            message.attach(f"{session.code}.ics", session_ics(session), "text/calendar")
        message.send()
