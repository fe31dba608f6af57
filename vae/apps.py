from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VaeConfig(AppConfig):
    name = "vae"
    verbose_name = _("Validation of prior experience (VAE)")

    def ready(self) -> None:
        from lms.accounts.dashboard import register_panel
        from lms.privacy.registry import register as register_privacy

        from . import checks  # noqa: F401 - registers the system check
        from .panels import vae_panel

        register_panel(vae_panel, order=40)

        from lms.dataexchange.registry import Exchange, register

        from .resources import EXPORT_ONLY_VAE, VaeOutcomeResource

        register(
            Exchange(
                name="vae-outcomes",
                label=_("VAE outcomes"),
                resource=VaeOutcomeResource,
                permission="vae.view_jurydecision",
                can_import=False,
                help_text=EXPORT_ONLY_VAE,
            )
        )

        from lms.reports import registry as reports

        from . import reports as vae_reports

        reports.register_section(vae_reports.SECTION)
        reports.register_research_source(
            reports.ResearchSource(key="vae", rows=vae_reports.research_rows)
        )
        from .privacy import PROVIDER

        register_privacy(PROVIDER)
