"""Coordinators' actions in the Wagtail admin: thin views that call one service each."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from . import services
from .forms import DuplicateSessionForm, ReasonForm, ReserveSeatsForm, WaitingListForm
from .models import Enrolment, Session

SESSIONS = "courses_sessions"
ENROLMENTS = "courses_enrolments"


def _require(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _page(request, *, title, form, submit_label, back_url, subtitle="", intro="", **extra):
    context = {
        "title": title,
        "subtitle": subtitle,
        "form": form,
        "submit_label": submit_label,
        "back_url": back_url,
        "intro": intro,
        **extra,
    }
    return TemplateResponse(request, "courses/admin/form_page.html", context)


def enrolments_url(session: Session) -> str:
    return reverse(f"{ENROLMENTS}:index") + f"?session={session.pk}"


def _session_action(request, pk, *, form_class, title, submit_label, run, initial=None, **extra):
    _require(request, "courses.change_session")
    session = get_object_or_404(Session.objects.select_related("course", "venue"), pk=pk)
    form = form_class(
        request.POST if request.method == "POST" else None,
        initial=initial(session) if initial else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            message, target = run(request, session, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, message)
            return redirect(target)
    return _page(
        request,
        title=title,
        subtitle=str(session),
        form=form,
        submit_label=submit_label,
        back_url=reverse(f"{SESSIONS}:index"),
        **extra,
    )


def duplicate_session(request: HttpRequest, pk: int) -> HttpResponse:
    def run(request, session, data):
        copy = services.duplicate_session(
            session=session,
            code=data["code"],
            venue=data["venue"],
            session_format=data["session_format"],
            shift_days=data["shift_days"],
            by=request.user,
        )
        return (
            _("Session %(code)s created as a draft: check it, then publish it.")
            % {"code": copy.code},
            reverse(f"{SESSIONS}:edit", args=[copy.pk]),
        )

    return _session_action(
        request,
        pk,
        form_class=DuplicateSessionForm,
        title=_("Duplicate to another town"),
        submit_label=_("Create the copy"),
        run=run,
        initial=lambda s: {"code": f"{s.code}-copie", "session_format": s.format, "shift_days": 0},
    )


def publish_session(request: HttpRequest, pk: int) -> HttpResponse:
    def run(request, session, data):
        services.publish_session(session=session, by=request.user)
        return _("The session is published: people can find it and enrol."), reverse(
            f"{SESSIONS}:index"
        )

    return _session_action(
        request,
        pk,
        form_class=forms.Form,
        title=_("Publish the session"),
        submit_label=_("Publish"),
        run=run,
        intro=_("The session will appear in the catalogue and people will be able to enrol."),
    )


def cancel_session(request: HttpRequest, pk: int) -> HttpResponse:
    def run(request, session, data):
        services.cancel_session(session=session, by=request.user, reason=data["reason"])
        return _("The session is cancelled and every enrolled person was told."), reverse(
            f"{SESSIONS}:index"
        )

    return _session_action(
        request,
        pk,
        form_class=ReasonForm,
        title=_("Cancel the session"),
        submit_label=_("Cancel the session"),
        run=run,
        destructive=True,
        intro=_(
            "Every enrolment will be cancelled and each person will receive an email with your reason."
        ),
    )


def complete_session(request: HttpRequest, pk: int) -> HttpResponse:
    def run(request, session, data):
        services.complete_session(session=session, by=request.user)
        return _("The session is marked as completed."), reverse(f"{SESSIONS}:index")

    return _session_action(
        request,
        pk,
        form_class=forms.Form,
        title=_("Mark the session as completed"),
        submit_label=_("Mark as completed"),
        run=run,
        intro=_("Confirmed enrolments become completed; people still waiting are released."),
    )


def offer_places(request: HttpRequest, pk: int) -> HttpResponse:
    def run(request, session, data):
        offered = services.offer_next_place(session=session, by=request.user)
        return (
            _("%(count)s place(s) offered to the waiting list.") % {"count": len(offered)},
            enrolments_url(session),
        )

    return _session_action(
        request,
        pk,
        form_class=forms.Form,
        title=_("Offer the free places"),
        submit_label=_("Offer the places"),
        run=run,
        intro=_(
            "Use this after adding places: each free place is offered, in waiting-list order, "
            "to the next person, who has a limited time to accept it."
        ),
    )


def reserve_seats(request: HttpRequest, pk: int) -> HttpResponse:
    def run(request, session, data):
        services.reserve_seats(
            session=session,
            organisation=data["organisation"],
            seats=data["seats"],
            note=data["note"],
            by=request.user,
        )
        return _("The places are reserved."), enrolments_url(session)

    return _session_action(
        request,
        pk,
        form_class=ReserveSeatsForm,
        title=_("Reserve places for a partner"),
        submit_label=_("Reserve"),
        run=run,
    )


def waiting_list(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "courses.change_enrolment")
    session = get_object_or_404(Session, pk=pk)
    waiting = list(Enrolment.objects.waiting().filter(session=session).select_related("trainee"))
    form = WaitingListForm(request.POST if request.method == "POST" else None, waiting=waiting)
    if request.method == "POST" and form.is_valid():
        try:
            services.reorder_waiting_list(
                session=session,
                enrolment_ids=form.ordered_ids(),
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The waiting list has its new order."))
            return redirect(enrolments_url(session))
    return _page(
        request,
        title=_("Waiting list"),
        subtitle=str(session),
        form=form,
        submit_label=_("Save the new order"),
        back_url=enrolments_url(session),
        intro=_(
            "People are offered a free place in this order. Change a number to move someone; "
            "the reason is kept in each person's history."
        ),
    )


def _enrolment_action(request, pk, *, title, submit_label, run, form_class=forms.Form, **extra):
    _require(request, "courses.change_enrolment")
    enrolment = get_object_or_404(Enrolment.objects.select_related("session", "trainee"), pk=pk)
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            message = run(request, enrolment, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, message)
            return redirect(enrolments_url(enrolment.session))
    return _page(
        request,
        title=title,
        subtitle=f"{enrolment.trainee} — {enrolment.session}",
        form=form,
        submit_label=submit_label,
        back_url=enrolments_url(enrolment.session),
        **extra,
    )


def approve_enrolment(request: HttpRequest, pk: int) -> HttpResponse:
    def run(request, enrolment, data):
        services.approve_enrolment(enrolment=enrolment, by=request.user)
        return _("The enrolment is confirmed; the trainee gets an email.")

    return _enrolment_action(
        request, pk, title=_("Approve the enrolment"), submit_label=_("Approve"), run=run
    )


def refuse_enrolment(request: HttpRequest, pk: int) -> HttpResponse:
    def run(request, enrolment, data):
        services.refuse_enrolment(enrolment=enrolment, by=request.user, reason=data["reason"])
        return _("The enrolment is refused; the trainee gets an email with your reason.")

    return _enrolment_action(
        request,
        pk,
        title=_("Refuse the enrolment"),
        submit_label=_("Refuse"),
        run=run,
        form_class=ReasonForm,
        destructive=True,
    )


def cancel_enrolment(request: HttpRequest, pk: int) -> HttpResponse:
    def run(request, enrolment, data):
        services.cancel_enrolment(enrolment=enrolment, by=request.user, reason=data["reason"])
        return _("The enrolment is cancelled; the trainee gets an email with your reason.")

    return _enrolment_action(
        request,
        pk,
        title=_("Cancel the enrolment"),
        submit_label=_("Cancel the enrolment"),
        run=run,
        form_class=ReasonForm,
        destructive=True,
    )
