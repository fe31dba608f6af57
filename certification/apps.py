from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = _("Certification")

    def ready(self) -> None:
        from lms.accounts.dashboard import register_panel

        from .panels import certificates_panel

        register_panel(certificates_panel, order=30)
