from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Training")

    def ready(self) -> None:
        from lms.accounts.dashboard import register_panel
        from lms.privacy.registry import register as register_privacy

        from . import notices  # noqa: F401 - connects the change-notice receivers
        from .panels import enrolments_panel

        register_panel(enrolments_panel, order=20)
        register_exchanges()
        from .moodle import register as register_moodle_course_columns

        register_moodle_course_columns()

        from lms.reports import registry as reports

        from . import reports as course_reports

        for section in course_reports.SECTIONS:
            reports.register_section(section)
        reports.register_choices("region", course_reports.region_choices)
        reports.register_choices("course", course_reports.course_choices)
        reports.register_research_source(
            reports.ResearchSource(key="training", rows=course_reports.research_rows)
        )

        from .privacy import PROVIDER

        register_privacy(PROVIDER)


def register_exchanges() -> None:
    from lms.dataexchange.registry import Exchange, register

    from . import resources

    register(
        Exchange(
            name="courses",
            label=_("Courses"),
            resource=resources.CourseResource,
            permission="courses.change_course",
            help_text=_(
                "One row per course, named by its code (the end of its web address). "
                "Prerequisites list course or module codes separated by commas."
            ),
        )
    )
    register(
        Exchange(
            name="modules",
            label=_("Modules"),
            resource=resources.ModuleResource,
            permission="courses.change_module",
            help_text=_(
                "One row per module, named by its code. The competencies covered are exported "
                "for reading only: choose them on screen, in the framework version in force."
            ),
        )
    )
    register(
        Exchange(
            name="sessions",
            label=_("Sessions"),
            resource=resources.SessionResource,
            permission="courses.change_session",
            help_text=_(
                "One row per session, named by its reference. New sessions are created as "
                "drafts: publish, cancel or complete them on screen. Write the venue as it is "
                "listed, “Name (Town)”, and trainers by their email addresses."
            ),
        )
    )
    register(
        Exchange(
            name="meetings",
            label=_("Meetings"),
            resource=resources.MeetingResource,
            permission="courses.change_meeting",
            help_text=_(
                "One row per meeting, named by its session and its start (2026-03-02 09:30, "
                "Brussels time). A new start adds a meeting; only meetings still to come can be "
                "added."
            ),
        )
    )
    register(
        Exchange(
            name="enrolments",
            label=_("Enrolments"),
            resource=resources.EnrolmentResource,
            permission="courses.change_enrolment",
            help_text=_(
                "One row per enrolment, named by session and trainee email. A new row enrols the "
                "person with the same rules as on screen (confirmed, awaiting approval or "
                "waiting list) and tells them; the status of an existing enrolment is never "
                "changed by import."
            ),
        )
    )
