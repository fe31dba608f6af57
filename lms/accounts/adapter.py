from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import translate_url


def _in_language_of(user, url: str) -> str:
    """``url`` in ``user``'s preferred language (/espace/ → /nl/espace/)."""
    language = getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE
    return translate_url(url, language)


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up stays open unless ACCOUNT_ALLOW_SIGNUP is false; after signing in or confirming an
    address, the site speaks the person's preferred language."""

    def is_open_for_signup(self, request) -> bool:
        return bool(getattr(settings, "ACCOUNT_ALLOW_SIGNUP", True))

    def get_login_redirect_url(self, request) -> str:
        return _in_language_of(request.user, super().get_login_redirect_url(request))

    def get_signup_redirect_url(self, request) -> str:
        return _in_language_of(request.user, super().get_signup_redirect_url(request))

    def get_email_verification_redirect_url(self, email_address) -> str:
        url = super().get_email_verification_redirect_url(email_address)
        return _in_language_of(email_address.user, url)
