"""Demo accounts for seed_demo: one or more named people per role."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction

from . import services
from .models import User
from .roles import TWO_FACTOR_ROLES, Role
from .two_factor import recovery_codes, set_up_authenticator_app

DEMO_PASSWORD = "parcours-demo"  # noqa: S105 - demo only, set only with DEBUG on
DEMO_DOMAIN = "parcours.example"
# Demo coordinators and assessors must use two-factor authentication like real ones. With DEBUG on
# they share this printed authenticator secret (add it to any authenticator app) and fixed
# recovery codes; without DEBUG they set up their own app at first sign-in.
DEMO_TOTP_SECRET = "PARCOURSDEMOPARCOURSDEMOPARCOURS"  # noqa: S105 - demo only, DEBUG only
DEMO_RECOVERY_SEED = "parcours-demo-recovery-codes"


@dataclass(frozen=True)
class DemoPerson:
    key: str
    first_name: str
    last_name: str
    role: Role
    language: str = "fr"

    @property
    def email(self) -> str:
        return f"{self.key}@{DEMO_DOMAIN}"


PEOPLE = [
    DemoPerson("coordination", "Sophie", "Lambert", Role.COORDINATOR),
    DemoPerson("formateur.namur", "Marc", "Dubois", Role.TRAINER),
    DemoPerson("formatrice.bruxelles", "Fatima", "El Amrani", Role.TRAINER),
    DemoPerson("jury", "Anne", "Claes", Role.ASSESSOR),
    DemoPerson("jury2", "Pierre", "Wauters", Role.ASSESSOR),
    DemoPerson("partenaire", "Hélène", "Verbeke", Role.PARTNER),
    DemoPerson("julie", "Julie", "Martin", Role.TRAINEE),
    DemoPerson("kevin", "Kevin", "Peeters", Role.TRAINEE, "nl"),
    DemoPerson("amina", "Amina", "Diallo", Role.TRAINEE),
    DemoPerson("thomas", "Thomas", "Leroy", Role.TRAINEE),
    DemoPerson("sarah", "Sarah", "Janssens", Role.TRAINEE, "nl"),
    DemoPerson("youssef", "Youssef", "Benali", Role.TRAINEE),
    DemoPerson("lea", "Léa", "Dupont", Role.TRAINEE),
    DemoPerson("noah", "Noah", "Lejeune", Role.TRAINEE, "en"),
]


@transaction.atomic
def seed_people() -> dict[str, User]:
    """Create (or find) the demo people, each with a verified email and one role.

    Passwords are set only with DEBUG on, so a production database never holds a known password.
    """
    users: dict[str, User] = {}
    for person in PEOPLE:
        user, created = User.objects.get_or_create(
            email=person.email,
            defaults={
                "first_name": person.first_name,
                "last_name": person.last_name,
                "preferred_language": person.language,
            },
        )
        if created:
            if settings.DEBUG:
                user.set_password(DEMO_PASSWORD)
            else:
                user.set_unusable_password()
            user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(
            user=user, email=person.email, defaults={"verified": True, "primary": True}
        )
        services.assign_role(user=user, role=person.role)
        if settings.DEBUG and person.role in TWO_FACTOR_ROLES:
            set_up_authenticator_app(
                user=user, secret=DEMO_TOTP_SECRET, recovery_seed=DEMO_RECOVERY_SEED
            )
        users[person.key] = user
    return users


def seed(context) -> None:
    """seed_demo step: people and their logins."""
    people = seed_people()
    context.objects["people"] = people
    context.report["password"] = DEMO_PASSWORD if settings.DEBUG else None
    context.report["logins"] = [
        {
            "role": person.role.value,
            "role_label": str(person.role.label),
            "name": f"{person.first_name} {person.last_name}",
            "email": person.email,
        }
        for person in PEOPLE
    ]
    if settings.DEBUG:
        coordinator = people["coordination"]
        context.report["two_factor"] = {
            "secret": DEMO_TOTP_SECRET,
            "recovery_codes": recovery_codes(coordinator),
        }
        context.sections.append(
            (
                "Two-factor authentication (coordinators and assessors):",
                [
                    f"Add this secret key to an authenticator app: {DEMO_TOTP_SECRET}",
                    "Recovery codes (each works once per account): "
                    + " ".join(recovery_codes(coordinator)),
                ],
            )
        )
