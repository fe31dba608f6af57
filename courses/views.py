"""Trainee-facing views: enrol, cancel, answer an offer, calendar files. Thin: parse, call, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import selectors, services
from .ics import meetings_ics, session_ics
from .links import session_page_path
from .panels import panel_context


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _back_to_session(session) -> str:
    return session_page_path(session) or reverse("courses:my-enrolments")


@require_GET
def session_redirect(request: HttpRequest, session_id: int) -> HttpResponse:
    """A stable address for a session (used in emails), redirecting to its catalogue page."""
    session = selectors.get_session_for_public(session_id=session_id)
    path = session_page_path(session)
    if not path:
        raise Http404("No catalogue page")
    return redirect(path)


def calendar_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def session_calendar(request: HttpRequest, session_id: int) -> HttpResponse:
    session = selectors.get_session_for_public(session_id=session_id)
    return calendar_response(session_ics(session), f"{session.code}.ics")


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest, session_id: int) -> HttpResponse:
    """GET: confirm (where people land after signing in); POST: enrol."""
    session = selectors.get_session_for_public(session_id=session_id)
    if request.method == "POST":
        try:
            enrolment = services.enrol_trainee(session=session, trainee=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return redirect(_back_to_session(session))
        messages.success(request, _enrolment_message(enrolment))
        return redirect("courses:my-enrolments")
    missing = selectors.missing_prerequisites(course=session.course, person=request.user)
    return render(
        request,
        "courses/enrol_confirm.html",
        {"session": session, "missing": missing, "back_url": _back_to_session(session)},
    )


def _enrolment_message(enrolment) -> str:
    status = enrolment.Status
    if enrolment.status == status.CONFIRMED:
        return _("Your place is confirmed. We sent you an email with the dates.")
    if enrolment.status == status.REQUESTED:
        return _("Your request is registered. A coordinator will confirm it soon.")
    return _(
        "The session is full, so you are on the waiting list (position %(rank)s). "
        "We will email you if a place becomes free."
    ) % {"rank": enrolment.queue_position}


@login_required
@require_GET
def my_enrolments(request: HttpRequest) -> HttpResponse:
    return render(request, "courses/my_enrolments.html", {"panel": panel_context(request)})


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """A confirmation page, then the cancellation (only for one's own enrolment)."""
    enrolment = selectors.get_enrolment_for_trainee(user=request.user, enrolment_id=enrolment_id)
    if request.method == "POST":
        try:
            services.cancel_enrolment(
                enrolment=enrolment, by=request.user, reason=request.POST.get("reason", "")[:500]
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(
                request, _("Your enrolment is cancelled. Thank you for letting us know.")
            )
        return redirect("courses:my-enrolments")
    return render(
        request,
        "courses/cancel_confirm.html",
        {"enrolment": enrolment, "deadline": services.cancellation_deadline(enrolment.session)},
    )


@login_required
@require_POST
def accept_offer(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = selectors.get_enrolment_for_trainee(user=request.user, enrolment_id=enrolment_id)
    try:
        services.accept_offer(enrolment=enrolment, trainee=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The place is yours. We sent you an email with the dates."))
    return redirect("courses:my-enrolments")


@login_required
@require_POST
def decline_offer(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = selectors.get_enrolment_for_trainee(user=request.user, enrolment_id=enrolment_id)
    try:
        services.decline_offer(enrolment=enrolment, trainee=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Thank you: the place goes to the next person waiting."))
    return redirect("courses:my-enrolments")


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The personal feed: no sign-in, the secret token is the key."""
    found = selectors.list_confirmed_meetings_for_feed(token=token)
    if found is None:
        raise Http404("Unknown feed")
    _user, meetings = found
    response = calendar_response(meetings_ics("Parcours", meetings), "parcours.ics")
    response["Content-Disposition"] = 'inline; filename="parcours.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


@login_required
@require_POST
def regenerate_feed(request: HttpRequest) -> HttpResponse:
    services.regenerate_feed_token(user=request.user)
    messages.success(
        request,
        _(
            "Your calendar address has changed. The old one no longer works: update your calendar app."
        ),
    )
    return redirect("courses:my-enrolments")
