"""Demo accounts for seed_demo: one or more named people per role."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction

from . import services
from .models import User
from .roles import Role

DEMO_PASSWORD = "parcours-demo"  # noqa: S105 - demo only, set only with DEBUG on
DEMO_DOMAIN = "parcours.example"


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
