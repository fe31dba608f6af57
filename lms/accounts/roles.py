"""The five roles of Parcours. Each is a Django group whose name is the role's code."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    TRAINEE = "trainee", _("Trainee")
    TRAINER = "trainer", _("Trainer")
    COORDINATOR = "coordinator", _("Coordinator")
    ASSESSOR = "assessor", _("Assessor")
    PARTNER = "partner", _("Partner")


# Permissions each role holds, as "app_label.codename". Apps above lms grant their own model
# permissions from their own migrations with lms.accounts.migration_utils.grant.
BASE_ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.TRAINEE: [],
    Role.TRAINER: [],
    Role.COORDINATOR: [
        "wagtailadmin.access_admin",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
    ],
    Role.ASSESSOR: [],
    Role.PARTNER: [],
}

# Roles that see other people's personal data: their accounts must use two-factor authentication
# (lms.accounts.middleware). Superusers must too.
TWO_FACTOR_ROLES: frozenset[str] = frozenset({Role.COORDINATOR, Role.ASSESSOR})
