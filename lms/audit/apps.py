from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "lms.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from lms.privacy.registry import register

        from .privacy import PROVIDER

        register(PROVIDER)
