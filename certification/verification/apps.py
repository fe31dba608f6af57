from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerificationConfig(AppConfig):
    """Public verification of certificates, signed credentials and partner API keys."""

    name = "certification.verification"
    label = "verification"
    verbose_name = _("Certificate verification")

    def ready(self) -> None:
        from lms.accounts.dashboard import register_panel

        from . import checks  # noqa: F401 - registers the system check
        from .panels import partner_panel

        register_panel(partner_panel, order=35)

        # The stored certificate PDF carries the signed credential (same JWT as the API).
        from certification.services import certificates as certificate_services

        from .pdf_attachment import finish_certificate_pdf

        if finish_certificate_pdf not in certificate_services.PDF_FINISHERS:
            certificate_services.PDF_FINISHERS.append(finish_certificate_pdf)
