"""The VAE panel of the person's space (registered in apps.ready)."""

from django.http import HttpRequest

from lms.accounts.dashboard import Panel
from lms.accounts.roles import Role

from . import selectors


def vae_panel(request: HttpRequest) -> Panel | None:
    """A trainee's candidacies (or the invitation to open one); staff get their VAE work."""
    user = request.user
    if not user.is_authenticated:
        return None
    if selectors.is_vae_staff(user):
        return Panel(
            "vae/panel.html",
            {
                "staff": True,
                "to_declare": list(selectors.candidacies_awaiting_declaration(user)[:10]),
            },
        )
    candidacies = list(selectors.candidacies_for_candidate(user)[:10])
    if not candidacies and not user.has_role(Role.TRAINEE):
        return None
    return Panel("vae/panel.html", {"staff": False, "candidacies": candidacies})
