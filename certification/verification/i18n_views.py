"""Screens in the visitor's language: the holder's verification settings and log, the
holder's credential download, and the partners' CSV bulk check."""

import csv
import io
import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from certification.models import Certificate
from lms.accounts.models import User

from . import keys, ratelimit, selectors, services
from .api import jwt_response
from .models import VerificationLog, VerificationSettings

MAX_CSV_CODES = 500
PER_PAGE = 50


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101 - behind login_required
    return request.user


class NameModeForm(forms.Form):
    name_mode = forms.ChoiceField(
        label=gettext_lazy("What people who verify your certificate see"),
        choices=VerificationSettings.NameMode.choices,
        widget=forms.RadioSelect,
    )


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file of certificate codes"),
        help_text=gettext_lazy("One code per line, in the first column (a header line is fine)."),
    )


def _holder_certificate(request: HttpRequest, code: str) -> Certificate:
    try:
        return selectors.get_certificate_for_holder(_user(request), code)
    except Certificate.DoesNotExist:
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def certificate_settings(request: HttpRequest, code: str) -> HttpResponse:
    """The holder chooses how their name appears and sees who checked their certificate."""
    certificate = _holder_certificate(request, code)
    form = NameModeForm(
        request.POST or None, initial={"name_mode": selectors.name_mode_for(certificate)}
    )
    if request.method == "POST" and form.is_valid():
        services.set_name_mode(
            certificate=certificate,
            holder=_user(request),
            name_mode=form.cleaned_data["name_mode"],
        )
        messages.success(request, _("Saved. Verifications now follow your choice."))
        return redirect("verification:certificate-settings", code=certificate.code)
    page = Paginator(selectors.verification_log_for_holder(certificate), PER_PAGE).get_page(
        request.GET.get("p")
    )
    return render(
        request,
        "verification/certificate_settings.html",
        {
            "certificate": certificate,
            "form": form,
            "page": page,
            "monthly": selectors.verification_counts_by_month(certificate),
            "Channel": VerificationLog.Channel,
        },
    )


@login_required
@require_GET
def credential_download(request: HttpRequest, code: str) -> HttpResponse:
    """The holder downloads their signed credential (the same JWT the API serves)."""
    certificate = _holder_certificate(request, code)
    try:
        stored = services.issue_credential(certificate=certificate)
    except keys.SigningKeyMissing:
        messages.error(
            request, _("The signed credential is not available right now. Please try later.")
        )
        return redirect("verification:certificate-settings", code=certificate.code)
    return jwt_response(stored.jwt, filename=f"certificat-{certificate.code}.jwt")


def _codes_from_csv(data: bytes) -> list[str]:
    text = data.decode("utf-8-sig", errors="replace")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:2048], ";,\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error:  # a malformed file (a stray carriage return, …): plain lines of cells
        rows = [re.split(r"[;,\t]", line) for line in text.splitlines()]
    found = []
    for number, row in enumerate(rows):
        cell = row[0].strip() if row else ""
        if not cell:
            continue
        if number == 0 and selectors.classify_code(cell)[1] == selectors.Outcome.MALFORMED:
            continue  # a header line
        found.append(cell)
    return found


STATUS_LABELS = {
    "valid": gettext_lazy("valid"),
    "expired": gettext_lazy("expired"),
    "suspended": gettext_lazy("suspended"),
    "revoked": gettext_lazy("revoked"),
    "unknown": gettext_lazy("unknown code"),
    "typo": gettext_lazy("typing mistake in the code"),
    "malformed": gettext_lazy("not a certificate code"),
}


def results_csv(lookups: list[selectors.Lookup]) -> bytes:
    """One row per code; UTF-8 with a BOM so that Excel keeps the accents."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        [
            _("code"),
            _("status"),
            _("name as printed"),
            _("certification"),
            _("issued by"),
            _("issued on"),
            _("valid until"),
        ]
    )
    for lookup in lookups:
        facts = lookup.facts
        if not lookup.found:
            writer.writerow([lookup.code, STATUS_LABELS[lookup.outcome], "", "", "", "", ""])
            continue
        writer.writerow(
            [
                facts["code"],
                STATUS_LABELS[facts["status"]],
                _("confirmation required")
                if facts["name_confirmation_required"]
                else facts["name_as_printed"],
                facts["title"],
                facts["issuer"],
                facts["issued_on"],
                facts["valid_until"] or _("for life"),
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


@login_required
@require_http_methods(["GET", "POST"])
def bulk_check(request: HttpRequest) -> HttpResponse:
    """A partner account uploads a CSV of codes and downloads the results as CSV."""
    user = _user(request)
    if not selectors.is_partner(user):
        raise Http404
    form = CsvUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.hit("bulk", f"user:{user.pk}"):
            return ratelimit.too_many_requests(request, json=False)
        upload = form.cleaned_data["file"]
        typed_codes = _codes_from_csv(upload.read(1_000_000))
        if not typed_codes:
            form.add_error("file", _("We found no code in this file."))
        elif len(typed_codes) > MAX_CSV_CODES:
            form.add_error(
                "file",
                _("This file holds %(count)s codes; send at most %(max)s per file.")
                % {"count": len(typed_codes), "max": MAX_CSV_CODES},
            )
        else:
            lookups = selectors.lookup_many(typed_codes)
            services.record_verifications(
                certificates=[lookup.certificate for lookup in lookups if lookup.certificate],
                channel=VerificationLog.Channel.BULK,
                partner_account=user,
            )
            response = HttpResponse(results_csv(lookups), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="verification-certificats.csv"'
            response["Cache-Control"] = "private, no-store"
            return response
    return render(request, "verification/bulk_check.html", {"form": form, "max": MAX_CSV_CODES})
