from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = _("Certification")

    def ready(self) -> None:
        from lms.accounts.dashboard import register_panel
        from lms.privacy.registry import register as register_privacy

        from .panels import certificates_panel

        register_panel(certificates_panel, order=30)
        register_exchanges()

        from .privacy import PROVIDER

        register_privacy(PROVIDER)


def register_exchanges() -> None:
    from lms.dataexchange.registry import Exchange, register

    from . import resources

    register(
        Exchange(
            name="frameworks",
            label=_("Competency frameworks"),
            resource=resources.FrameworkResource,
            permission="certification.change_competencyframework",
            help_text=_(
                "One row per competency, named by framework code, version, block and competency "
                "code. Only draft versions change: a new version number creates a draft, which "
                "is put in force on screen."
            ),
        )
    )
    register(
        Exchange(
            name="ledger",
            label=_("Competency ledger"),
            resource=resources.LedgerResource,
            permission="certification.view_ledgerentry",
            can_import=False,
            help_text=resources.EXPORT_ONLY_LEDGER,
        )
    )
    register(
        Exchange(
            name="certificates",
            label=_("Certificates"),
            resource=resources.CertificateResource,
            permission="certification.view_certificate",
            can_import=False,
            help_text=resources.EXPORT_ONLY_CERTIFICATES,
        )
    )
