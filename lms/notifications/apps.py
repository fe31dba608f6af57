from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "lms.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from lms.privacy.registry import register

        from .privacy import PROVIDER

        register(PROVIDER)
        from . import receivers  # noqa: F401 - connects the allauth signal receivers
