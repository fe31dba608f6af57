from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Training")

    def ready(self) -> None:
        from lms.accounts.dashboard import register_panel

        from .panels import enrolments_panel

        register_panel(enrolments_panel, order=20)
