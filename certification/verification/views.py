"""Public, language-neutral verification page: /v/ (the form) and /v/<CODE> (what the QR holds).

The page speaks the visitor's language (cookie or Accept-Language): these URLs sit outside
i18n_patterns, where LocaleMiddleware would always choose French.
"""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from lms.accounts.models import User

from . import selectors, services
from .models import VerificationLog
from .ratelimit import rate_limited
from .selectors import Outcome


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("16 characters, printed under the QR code, e.g. ABCD-EFGH-JKMN-PQR5."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class NameForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the person, as you know it"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


def _visitor_language(request: HttpRequest) -> str:
    return translation.get_language_from_request(request, check_path=False)


def _noindex(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET"])
def verify_form(request: HttpRequest) -> HttpResponse:
    """The code box; a submitted code is sent on to /v/<CODE> (works without JavaScript)."""
    typed = request.GET.get("code", "").strip()
    if typed:
        code, _problem = selectors.classify_code(typed)
        return redirect(reverse("verification-page", kwargs={"code": code or "-"}))
    with translation.override(_visitor_language(request)):
        response = render(request, "verification/verify_form.html", {"form": CodeForm()})
    return _noindex(response)


@rate_limited("page", json=False)
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """What the certificate with ``code`` says; a typo is told without any database query."""
    lookup = selectors.lookup_certificate(code)
    context: dict = {
        "lookup": lookup,
        "form": CodeForm(initial={"code": lookup.code}),
        "name_form": None,
        "name_result": None,
    }
    status = 200
    if lookup.outcome in (Outcome.TYPO, Outcome.MALFORMED):
        status = 400
    elif lookup.outcome == Outcome.UNKNOWN:
        status = 404
    elif lookup.certificate is not None:
        if lookup.name_mode == selectors.NameMode.CONFIRM:
            name_form = NameForm(request.POST or None)
            context["name_form"] = name_form
            if request.method == "POST" and name_form.is_valid():
                context["name_result"] = selectors.name_matches(
                    lookup.certificate, name_form.cleaned_data["name"]
                )
        if request.method == "GET":
            user = request.user
            partner = user if isinstance(user, User) and selectors.is_partner(user) else None
            services.record_verification(
                certificate=lookup.certificate,
                channel=VerificationLog.Channel.PAGE,
                partner_account=partner,
            )
    with translation.override(_visitor_language(request)):
        response = render(request, "verification/verify.html", context, status=status)
        response["Content-Language"] = translation.get_language()
    return _noindex(response)
