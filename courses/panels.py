"""The "My training" panel of the person's space (lms.accounts.dashboard)."""

from django.http import HttpRequest
from django.urls import reverse

from lms.accounts.dashboard import Panel
from lms.accounts.roles import Role

from . import selectors


def panel_context(request: HttpRequest) -> dict[str, object]:
    """The trainee's enrolments and calendar feed address (a fixed number of queries)."""
    context = selectors.trainee_dashboard(user=request.user)
    token = context["feed_token"]
    context["feed_url"] = (
        request.build_absolute_uri(reverse("courses:calendar-feed", args=[token.token]))
        if token is not None
        else None
    )
    return context


def enrolments_panel(request: HttpRequest) -> Panel | None:
    """Shown to trainees only."""
    if not request.user.is_authenticated or not request.user.has_role(Role.TRAINEE):
        return None
    return Panel("courses/dashboard_panel.html", panel_context(request))
