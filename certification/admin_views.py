"""Coordinators' screens in the Wagtail admin: frameworks, rules, certificates, issuing.

Thin views: they check a permission, parse a form, call one service and say what happened.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from lms.accounts.models import User

from . import exchange, selectors, services
from .forms import (
    CertificateFilterForm,
    FrameworkImportForm,
    ReasonForm,
    RecordAcquisitionForm,
    RecordHoursForm,
    RulesForm,
)
from .models import (
    Certificate,
    Certification,
    CertificationRules,
    CompetencyBlock,
    CompetencyFramework,
    LedgerEntry,
)

PER_PAGE = 50


def _user(request: HttpRequest) -> User:
    # The Wagtail admin only lets signed-in accounts through.
    assert isinstance(request.user, User)  # noqa: S101
    return request.user


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@permission_required("certification.view_competencyframework", raise_exception=True)
def framework_list(request: HttpRequest) -> HttpResponse:
    frameworks = CompetencyFramework.objects.order_by("code", "-version")
    return render(
        request,
        "certification/admin/framework_list.html",
        {
            "frameworks": frameworks,
            "page_title": _("Competency frameworks"),
            "header_icon": "list-ul",
        },
    )


@permission_required("certification.view_competencyframework", raise_exception=True)
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_object_or_404(CompetencyFramework, pk=pk)
    return render(
        request,
        "certification/admin/framework_detail.html",
        {
            "framework": framework,
            "blocks": framework.blocks.prefetch_related("competencies"),
            "page_title": str(framework),
            "header_icon": "list-ul",
        },
    )


@permission_required("certification.add_competencyframework", raise_exception=True)
@require_POST
def framework_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_object_or_404(CompetencyFramework, pk=pk)
    draft = services.create_framework_version(framework=framework)
    messages.success(
        request,
        _("Draft version %(version)s created. Change it, then put it in force.")
        % {"version": draft.version},
    )
    return redirect("certification_admin:framework-detail", pk=draft.pk)


@permission_required("certification.change_competencyframework", raise_exception=True)
@require_http_methods(["GET", "POST"])
def framework_activate(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_object_or_404(CompetencyFramework, pk=pk)
    if request.method == "POST":
        try:
            services.activate_framework(framework=framework)
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(
                request, _("Version %(version)s is now in force.") % {"version": framework.version}
            )
        return redirect("certification_admin:framework-list")
    return render(
        request,
        "certification/admin/confirm.html",
        {
            "page_title": _("Put version %(version)s in force?") % {"version": framework.version},
            "header_icon": "list-ul",
            "explanation": _(
                "The version in force now will be retired. What people acquired under it keeps "
                "counting for blocks with the same code."
            ),
            "confirm_label": _("Yes, put it in force"),
            "cancel_url": "certification_admin:framework-list",
        },
    )


@permission_required("certification.add_competencyframework", raise_exception=True)
@require_http_methods(["GET", "POST"])
def framework_import(request: HttpRequest) -> HttpResponse:
    """Upload a JSON or CSV framework: it becomes a new draft version, never the one in force."""
    form = FrameworkImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.import_framework(data=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(
                request,
                _("Imported as draft version %(version)s. Check it, then put it in force.")
                % {"version": draft.version},
            )
            return redirect("certification_admin:framework-detail", pk=draft.pk)
    return render(
        request,
        "certification/admin/form.html",
        {
            "form": form,
            "multipart": True,
            "page_title": _("Import a framework"),
            "header_icon": "list-ul",
            "submit_label": _("Import as a draft"),
            "cancel_href": reverse("certification_admin:framework-list"),
        },
    )


@permission_required("certification.issue_certificate", raise_exception=True)
@require_POST
def certificate_renew(request: HttpRequest, pk: int) -> HttpResponse:
    """Renew a time-limited certificate when the holder did the continuing education."""
    certificate = get_object_or_404(Certificate, pk=pk)
    try:
        renewal = services.renew_certificate(certificate=certificate, by=_user(request))
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect("certification_admin:certificate-detail", pk=pk)
    messages.success(request, _("Renewed: the new certificate is linked to this one."))
    return redirect("certification_admin:certificate-detail", pk=renewal.pk)


@permission_required("certification.view_competencyframework", raise_exception=True)
def framework_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    framework = get_object_or_404(CompetencyFramework, pk=pk)
    if fmt == "csv":
        body, content_type = exchange.export_csv(framework), "text/csv; charset=utf-8"
    else:
        body, content_type = exchange.export_json(framework), "application/json"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{framework.code}-v{framework.version}.{"csv" if fmt == "csv" else "json"}"'
    )
    return response


@permission_required("certification.view_certification", raise_exception=True)
def certification_list(request: HttpRequest) -> HttpResponse:
    certifications = Certification.objects.select_related("rules").order_by("title")
    return render(
        request,
        "certification/admin/certification_list.html",
        {
            "certifications": certifications,
            "page_title": _("Certifications and rules"),
            "header_icon": "doc-full",
        },
    )


@permission_required("certification.change_certificationrules", raise_exception=True)
@require_http_methods(["GET", "POST"])
def rules_edit(request: HttpRequest, pk: int) -> HttpResponse:
    certification = get_object_or_404(Certification, pk=pk)
    rules, _created = CertificationRules.objects.get_or_create(certification=certification)
    form = RulesForm(request.POST or None, instance=rules)
    if request.method == "POST" and form.is_valid():
        form.save()  # plain settings: no status, no side effect
        messages.success(
            request, _("The rules of “%(title)s” are saved.") % {"title": certification.title}
        )
        return redirect("certification_admin:certification-list")
    return render(
        request,
        "certification/admin/form.html",
        {
            "form": form,
            "page_title": _("Rules of %(title)s") % {"title": certification.title},
            "header_icon": "doc-full",
        },
    )


@permission_required("certification.issue_certificate", raise_exception=True)
@require_http_methods(["GET", "POST"])
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    """The people who meet every rule and hold no certificate yet; issue one or many."""
    certification = get_object_or_404(Certification, pk=pk)
    if request.method == "POST":
        ids = [int(value) for value in request.POST.getlist("person") if value.isdigit()]
        people = list(User.objects.filter(pk__in=ids))
        issued = services.issue_certificates(
            people=people, certification=certification, issued_by=_user(request)
        )
        messages.success(
            request,
            _("%(count)s certificate(s) issued. Their PDF is being prepared.")
            % {"count": len(issued)},
        )
        return redirect("certification_admin:issue", pk=certification.pk)
    return render(
        request,
        "certification/admin/issue.html",
        {
            "certification": certification,
            "people": selectors.eligible_people(certification),
            "page_title": _("Issue “%(title)s”") % {"title": certification.title},
            "header_icon": "doc-full",
        },
    )


@permission_required("certification.view_certificate", raise_exception=True)
def certificate_list(request: HttpRequest) -> HttpResponse:
    certifications = list(Certification.objects.order_by("title"))
    form = CertificateFilterForm(request.GET or None, certifications=certifications)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.certificates_for_admin(
        status=filters.get("status", ""),
        certification_id=filters.get("certification", ""),
        query=filters.get("q", ""),
    )
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("p"))
    return render(
        request,
        "certification/admin/certificate_list.html",
        {
            "form": form,
            "page": page,
            "page_title": _("Certificates"),
            "header_icon": "doc-full-inverse",
        },
    )


@permission_required("certification.view_certificate", raise_exception=True)
def certificate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_object_or_404(
        Certificate.objects.select_related("certification", "holder"), pk=pk
    )
    return render(
        request,
        "certification/admin/certificate_detail.html",
        {
            "certificate": certificate,
            "changes": certificate.status_changes.select_related("changed_by"),
            "can_renew": certificate.valid_until is not None
            and certificate.status in (Certificate.Status.VALID, Certificate.Status.EXPIRED)
            and not Certificate.objects.filter(renewed_from=certificate).exists(),
            "page_title": f"{certificate.certification} · {certificate.code}",
            "header_icon": "doc-full-inverse",
        },
    )


# Lazy: these labels are defined at import time but shown in each request's language.
_STATUS_ACTIONS = {
    "revoke": (
        services.revoke_certificate,
        gettext_lazy("Revoke this certificate?"),
        gettext_lazy("Yes, revoke it"),
    ),
    "suspend": (
        services.suspend_certificate,
        gettext_lazy("Suspend this certificate?"),
        gettext_lazy("Yes, suspend it"),
    ),
    "reinstate": (
        services.reinstate_certificate,
        gettext_lazy("Reinstate this certificate?"),
        gettext_lazy("Yes, reinstate it"),
    ),
}


@permission_required("certification.revoke_certificate", raise_exception=True)
@require_http_methods(["GET", "POST"])
def certificate_status(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Confirmation page, then revoke / suspend / reinstate with a reason."""
    certificate = get_object_or_404(Certificate, pk=pk)
    if action not in _STATUS_ACTIONS:
        return redirect("certification_admin:certificate-detail", pk=pk)
    service, title, confirm = _STATUS_ACTIONS[action]
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(certificate=certificate, by=_user(request), reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("Done. The change and its reason are kept in the history."))
        return redirect("certification_admin:certificate-detail", pk=pk)
    return render(
        request,
        "certification/admin/form.html",
        {
            "form": form,
            "page_title": str(title),
            "header_icon": "doc-full-inverse",
            "explanation": f"{certificate.name_as_printed} · {certificate.certification} · {certificate.code}",
            "submit_label": confirm,
            "cancel_href": reverse("certification_admin:certificate-detail", args=[pk]),
            "destructive": action == "revoke",
        },
    )


# --- The ledger of one person: "why does this person hold B5?" ---------------------------------


@permission_required("certification.view_ledgerentry", raise_exception=True)
def ledger(request: HttpRequest, person_id: int) -> HttpResponse:
    """Every entry of a person's ledger, corrections and withdrawals included, newest first."""
    person = get_object_or_404(User, pk=person_id)
    entries = (
        LedgerEntry.objects.filter(person=person)
        .select_related(
            "block__framework",
            "competency__block__framework",
            "recorded_by",
            "signed_off_by",
            "supersedes",
            "superseded_by",
        )
        .order_by("-recorded_at", "-pk")
    )
    return render(
        request,
        "certification/admin/ledger.html",
        {
            "person": person,
            "entries": entries,
            "page_title": _("Competency ledger of %(name)s") % {"name": person.public_name},
            "header_icon": "history",
        },
    )


def _active_blocks() -> QuerySet[CompetencyBlock]:
    return CompetencyBlock.objects.filter(
        framework__status=CompetencyFramework.Status.ACTIVE
    ).select_related("framework")


@permission_required("certification.add_ledgerentry", raise_exception=True)
@require_http_methods(["GET", "POST"])
def ledger_record(request: HttpRequest, person_id: int, what: str) -> HttpResponse:
    """Record a block (coordinator decision, prior certificate) or hours for a person."""
    person = get_object_or_404(User, pk=person_id)
    if what == "hours":
        form: RecordAcquisitionForm | RecordHoursForm = RecordHoursForm(request.POST or None)
        title = _("Record hours for %(name)s")
    else:
        form = RecordAcquisitionForm(request.POST or None, blocks=_active_blocks())
        title = _("Record a block for %(name)s")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if isinstance(form, RecordHoursForm):
                services.record_hours(
                    person=person,
                    hours_kind=data["hours_kind"],
                    hours=data["hours"],
                    source=LedgerEntry.Source.COORDINATOR_DECISION,
                    recorded_by=_user(request),
                    # A coordinator recording internship hours signs them off.
                    signed_off_by=_user(request),
                    effective_on=data["effective_on"],
                    justification=data["justification"],
                )
            else:
                services.record_acquisition(
                    person=person,
                    block=data["block"],
                    source=data["source"],
                    source_reference=data["source_reference"],
                    recorded_by=_user(request),
                    justification=data["justification"],
                    expires_on=data["expires_on"],
                )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            services.issue_where_eligible(person=person)
            messages.success(request, _("Recorded in the ledger."))
            return redirect("certification_admin:ledger", person_id=person.pk)
    return render(
        request,
        "certification/admin/form.html",
        {
            "form": form,
            "page_title": title % {"name": person.public_name},
            "header_icon": "history",
            "cancel_href": reverse("certification_admin:ledger", args=[person.pk]),
        },
    )


@permission_required("certification.add_ledgerentry", raise_exception=True)
@require_http_methods(["GET", "POST"])
def ledger_withdraw(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Confirmation page, then withdraw an entry (a new entry that supersedes it)."""
    entry = get_object_or_404(LedgerEntry.objects.select_related("person"), pk=entry_id)
    form = ReasonForm(request.POST or None)
    form.fields["reason"].help_text = _(
        "The entry stays in the ledger, marked as withdrawn, with this reason."
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.supersede_entry(
                entry=entry,
                recorded_by=_user(request),
                justification=form.cleaned_data["reason"],
                withdraw=True,
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(
                request, _("The entry is withdrawn. Certificates already issued are not changed.")
            )
        return redirect("certification_admin:ledger", person_id=entry.person_id)
    return render(
        request,
        "certification/admin/form.html",
        {
            "form": form,
            "page_title": _("Withdraw this entry?"),
            "header_icon": "history",
            "explanation": f"{entry.person.public_name} · {entry.target_code} · {entry.get_source_display()}",
            "submit_label": _("Yes, withdraw it"),
            "destructive": True,
            "cancel_href": reverse("certification_admin:ledger", args=[entry.person_id]),
        },
    )
