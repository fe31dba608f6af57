"""The partners' panel of "Mon espace": verify one code, or many with a CSV file."""

from django.http import HttpRequest

from lms.accounts.dashboard import Panel
from lms.accounts.models import User

from . import selectors


def partner_panel(request: HttpRequest) -> Panel | None:
    user = request.user
    if not isinstance(user, User) or not selectors.is_partner(user):
        return None
    return Panel("verification/panel_partner.html", {})
