import logging
import sys

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("lms")


class CoreConfig(AppConfig):
    name = "lms.core"
    label = "core"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from lms.privacy.registry import register as register_privacy

        from . import (
            lookups,  # noqa: F401 - out-of-range integers match nothing
            receivers,  # noqa: F401 - records failed tasks
        )
        from .privacy import PROVIDER

        register_privacy(PROVIDER)

        # One clear line at start-up says which database, task mode and email backend are in use,
        # so a newcomer knows tasks run in-process and emails go to the console.
        if "pytest" not in sys.modules:
            logger.info(settings.RUNTIME_SUMMARY)
