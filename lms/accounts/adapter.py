import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .two_factor import two_factor_required


def _in_language_of(user, url: str) -> str:
    """``url`` in ``user``'s preferred language (/espace/ → /nl/espace/)."""
    language = getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE
    return translate_url(url, language)


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up stays open unless ACCOUNT_ALLOW_SIGNUP is false; after signing in or confirming an
    address, the site speaks the person's preferred language."""

    @property
    def error_messages(self):
        minutes = settings.LOGIN_LOCKOUT_MINUTES
        return {
            **super().error_messages,
            # Same words whether the password or the two-factor code was wrong, and whether the
            # account exists: the message reveals nothing but the pause.
            "too_many_login_attempts": ngettext_lazy(
                "For your safety, signing in to this account is paused after several "
                "unsuccessful attempts. Please try again in %(minutes)d minute, or reset your "
                "password if you have forgotten it.",
                "For your safety, signing in to this account is paused after several "
                "unsuccessful attempts. Please try again in %(minutes)d minutes, or reset your "
                "password if you have forgotten it.",
                "minutes",
            )
            % {"minutes": minutes},
        }

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """A sign-in less than ACCOUNT_REAUTHENTICATION_TIMEOUT ago counts as a re-authentication
        for the two-factor pages: a coordinator sent to set up an app right after signing in, then
        shown the recovery codes, is not asked for the password again. Later changes are."""
        required = super().is_reauthentication_required(app=app, **kwargs)
        request = self.request
        if required and app == "allauth.mfa" and request is not None:
            from allauth.account import app_settings
            from allauth.account.internal.flows.login import get_authentication_records

            if request.user.is_authenticated:
                records = get_authentication_records(request, request.user)
                at = max((record.get("at", 0) for record in records), default=0)
                if time.time() - at < app_settings.REAUTHENTICATION_TIMEOUT:
                    return False
        return required

    def is_open_for_signup(self, request) -> bool:
        return bool(getattr(settings, "ACCOUNT_ALLOW_SIGNUP", True))

    def get_login_redirect_url(self, request) -> str:
        return _in_language_of(request.user, super().get_login_redirect_url(request))

    def get_signup_redirect_url(self, request) -> str:
        return _in_language_of(request.user, super().get_signup_redirect_url(request))

    def get_email_verification_redirect_url(self, email_address) -> str:
        url = super().get_email_verification_redirect_url(email_address)
        return _in_language_of(email_address.user, url)


class MFAAdapter(DefaultMFAAdapter):
    """People whose role requires two-factor authentication cannot turn their app off (an
    operator resets it if the device is lost: ``manage.py reset_two_factor``)."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _(
            "Your role requires two-factor authentication, so your authenticator app cannot be "
            "turned off. If you lost your phone, sign in with a recovery code or ask the Parcours "
            "team to reset it."
        ),
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if authenticator.type == Authenticator.Type.TOTP and two_factor_required(
            authenticator.user
        ):
            return False
        return super().can_delete_authenticator(authenticator)
