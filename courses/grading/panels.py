"""The "My results and competencies" panel of the person's space (lms.accounts.dashboard)."""

from django.http import HttpRequest

from lms.accounts.dashboard import Panel
from lms.accounts.roles import Role

from . import selectors


def results_panel(request: HttpRequest) -> Panel | None:
    """Shown to trainees only: competency progress, attendance warnings, released results."""
    if not request.user.is_authenticated or not request.user.has_role(Role.TRAINEE):
        return None
    from certification.selectors import standing_for_request

    return Panel(
        "grading/dashboard_panel.html",
        selectors.trainee_panel_overview(request.user, standing_for_request(request)),
    )


def trainer_panel(request: HttpRequest) -> Panel | None:
    """Shown to trainers: the way into the trainer space, with what is left to do."""
    if not request.user.is_authenticated or not request.user.has_role(Role.TRAINER):
        return None
    return Panel("grading/trainer_panel.html", {"rows": selectors.trainer_home(request.user)})
