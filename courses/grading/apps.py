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
        register_exchanges()


def register_exchanges() -> None:
    from lms.dataexchange.registry import Exchange, register

    from . import exchange

    register(
        Exchange(
            name="attendance",
            label=_("Attendance"),
            resource=exchange.AttendanceResource,
            permission="grading.change_attendancerecord",
            help_text=_(
                "One row per trainee and meeting, named by session, meeting start and trainee "
                "email. Status: present, late, left_early, absent or excused; minutes only for "
                "late or left early. Only participants of the session can be marked."
            ),
        )
    )
    register(
        Exchange(
            name="results",
            label=_("Results"),
            resource=exchange.ResultResource,
            permission="grading.change_result",
            help_text=_(
                "One row per trainee and assessment, named by session, module, assessment title "
                "and trainee email. Feedback and score can be imported; the result stays a draft "
                "and is released on screen. Levels, status and release date are for reading "
                "only."
            ),
        )
    )
