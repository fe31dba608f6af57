from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VaeConfig(AppConfig):
    name = "vae"
    verbose_name = _("Validation of prior experience (VAE)")

    def ready(self) -> None:
        from lms.accounts.dashboard import register_panel

        from .panels import vae_panel

        register_panel(vae_panel, order=40)
