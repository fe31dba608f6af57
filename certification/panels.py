"""The "my certificates" panel of the person's space (registered in apps.ready)."""

from django.http import HttpRequest

from lms.accounts.dashboard import Panel
from lms.accounts.roles import Role

from . import selectors


def certificates_panel(request: HttpRequest) -> Panel | None:
    """Certificates held and what is missing; shown to trainees and to any holder."""
    user = request.user
    if not user.is_authenticated:
        return None
    certificates = selectors.certificates_for_holder(user)
    if not certificates and not user.has_role(Role.TRAINEE):
        return None
    return Panel(
        "certification/panel.html",
        {
            "certificates": certificates,
            "checklists": selectors.standing_for_request(request).checklists(),
        },
    )
