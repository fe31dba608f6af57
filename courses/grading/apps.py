from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GradingConfig(AppConfig):
    """The trainer space: attendance, assessments, rubrics, results and their release."""

    name = "courses.grading"
    label = "grading"
    verbose_name = _("Attendance and grading")

    def ready(self) -> None:
        from lms.accounts.dashboard import register_panel

        from .panels import results_panel, trainer_panel

        register_panel(trainer_panel, order=5)
        register_panel(results_panel, order=30)
