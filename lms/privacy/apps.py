from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "lms.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from lms.accounts.privacy import PROVIDER as ACCOUNT

        from . import receivers  # noqa: F401 - records the privacy notice accepted at sign-up
        from .provider import PROVIDER
        from .registry import register

        register(PROVIDER)
        # lms.accounts has two AppConfigs (one is wagtail.users'), so its ready() is not the
        # place: the account provider is registered here.
        register(ACCOUNT)
