from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up stays open unless ACCOUNT_ALLOW_SIGNUP is set to false."""

    def is_open_for_signup(self, request) -> bool:
        return bool(getattr(settings, "ACCOUNT_ALLOW_SIGNUP", True))
