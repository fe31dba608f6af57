from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VaeConfig(AppConfig):
    name = "vae"
    verbose_name = _("Validation of prior experience (VAE)")
