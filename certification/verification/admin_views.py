"""Coordinators' screens in the Wagtail admin: partner API keys (create, list, revoke)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from lms.accounts.models import User
from lms.accounts.roles import Role

from . import selectors, services
from .models import ApiKey


class ApiKeyForm(forms.Form):
    partner_name = forms.CharField(label=gettext_lazy("Partner organisation"), max_length=200)
    owner = forms.ModelChoiceField(
        label=gettext_lazy("Partner account (optional)"),
        queryset=User.objects.none(),
        required=False,
        help_text=gettext_lazy("Checks made with the key are shown to holders under this name."),
    )

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(groups__name=Role.PARTNER).order_by(
            "email"
        )


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101 - the admin requires a signed-in account
    return request.user


@permission_required("verification.view_apikey", raise_exception=True)
def api_key_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "verification/admin/api_key_list.html",
        {
            "api_keys": selectors.list_api_keys(),
            "page_title": _("Partner API keys"),
            "header_icon": "key",
        },
    )


@permission_required("verification.add_apikey", raise_exception=True)
@require_http_methods(["GET", "POST"])
def api_key_create(request: HttpRequest) -> HttpResponse:
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        api_key, raw_key = services.create_api_key(
            partner_name=form.cleaned_data["partner_name"],
            owner=form.cleaned_data["owner"],
            created_by=_user(request),
        )
        # Rendered, not redirected: the full key must never be stored, even in a session.
        response = render(
            request,
            "verification/admin/api_key_created.html",
            {
                "api_key": api_key,
                "raw_key": raw_key,
                "page_title": _("Key created"),
                "header_icon": "key",
            },
        )
        response["Cache-Control"] = "no-store"
        return response
    return render(
        request,
        "verification/admin/api_key_form.html",
        {"form": form, "page_title": _("New partner API key"), "header_icon": "key"},
    )


@permission_required("verification.change_apikey", raise_exception=True)
@require_http_methods(["GET", "POST"])
def api_key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    api_key = get_object_or_404(ApiKey, pk=pk)
    if request.method == "POST":
        services.revoke_api_key(api_key=api_key, by=_user(request))
        messages.success(
            request,
            _("The key of %(partner)s is revoked: it no longer works.")
            % {"partner": api_key.partner_name},
        )
        return redirect("verification_admin:api-key-list")
    return render(
        request,
        "verification/admin/api_key_revoke.html",
        {
            "api_key": api_key,
            "page_title": _("Revoke the key of %(partner)s?") % {"partner": api_key.partner_name},
            "header_icon": "key",
        },
    )
