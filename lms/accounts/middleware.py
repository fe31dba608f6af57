"""Coordinators, assessors and superusers must protect their account with an authenticator app;
the Wagtail admin speaks the signed-in person's language."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .two_factor import has_authenticator_app, two_factor_required

# Pages reachable without an authenticator: signing in and out, the account and two-factor
# pages themselves (allauth's "account_*" and "mfa_*"), the language switch, the health probe.
OPEN_URL_NAMES = {"set_language", "health", "wagtailadmin_logout"}
OPEN_URL_PREFIXES = ("account_", "mfa_")
# Once a person passed the check, the session remembers it for a few minutes, so pages pay no
# extra query; a role given meanwhile (or an app reset) is caught at the next check.
CHECKED_SESSION_KEY = "two_factor_checked"
CHECK_EVERY_SECONDS = 300


def _is_open(url_name: str | None) -> bool:
    return bool(url_name) and (url_name in OPEN_URL_NAMES or url_name.startswith(OPEN_URL_PREFIXES))


class RequireTwoFactorMiddleware:
    """A signed-in person whose role requires two-factor authentication and who has no
    authenticator app yet is sent to set one up, whatever page they ask for (staff pages, the
    Wagtail admin, their space). The Wagtail admin's own sign-in form, which would skip the
    two-factor step, always leads to the site's sign-in page instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            url_name = resolve(request.path_info).url_name
        except Resolver404:
            return self.get_response(request)
        if url_name == "wagtailadmin_login":
            query = {"next": request.GET["next"]} if request.GET.get("next") else {}
            target = redirect("account_login").url
            return redirect(f"{target}?{urlencode(query)}" if query else target)
        user = getattr(request, "user", None)
        if user is None or _is_open(url_name) or not user.is_authenticated:
            return self.get_response(request)
        checked = request.session.get(CHECKED_SESSION_KEY)
        if checked and checked[0] == user.pk and time.time() - checked[1] < CHECK_EVERY_SECONDS:
            return self.get_response(request)
        if two_factor_required(user) and not has_authenticator_app(user):
            messages.warning(
                request,
                _(
                    "Your role gives you access to other people's personal data, so your account "
                    "must be protected by two-factor authentication. Please set up an "
                    "authenticator app now: it takes two minutes."
                ),
            )
            return redirect("mfa_activate_totp")
        request.session[CHECKED_SESSION_KEY] = [user.pk, time.time()]
        return self.get_response(request)


class AdminInPreferredLanguageMiddleware:
    """The Wagtail admin lives outside the language prefixes, so Django's LocaleMiddleware gives
    it the default language (French) whatever the person chose. A signed-in person reads it in
    their preferred language instead, the one the switcher remembers; a language picked in their
    Wagtail account settings still comes first (Wagtail applies it in its own views)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = ""

    def __call__(self, request):
        if not self.prefix:
            self.prefix = reverse("wagtailadmin_home")
        user = getattr(request, "user", None)
        if (
            request.path_info.startswith(self.prefix)
            and user is not None
            and user.is_authenticated
            and getattr(user, "preferred_language", "") in dict(settings.LANGUAGES)
        ):
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        return self.get_response(request)
