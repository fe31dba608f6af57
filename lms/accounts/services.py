"""Write paths for accounts and roles."""

from django.contrib.auth.models import Group
from django.db import transaction

from .models import User
from .roles import Role


@transaction.atomic
def assign_role(*, user: User, role: Role | str) -> None:
    """Give ``user`` a role (idempotent)."""
    group = Group.objects.get(name=Role(role).value)
    user.groups.add(group)
    user.__dict__.pop("_role_codes", None)


@transaction.atomic
def remove_role(*, user: User, role: Role | str) -> None:
    """Take a role away from ``user`` (idempotent)."""
    user.groups.remove(Group.objects.get(name=Role(role).value))
    user.__dict__.pop("_role_codes", None)


@transaction.atomic
def complete_signup(*, user: User, display_name: str, preferred_language: str) -> User:
    """Finish a self-service sign-up: store the profile and make the person a trainee."""
    user.display_name = display_name.strip()
    user.preferred_language = preferred_language
    user.save(update_fields=["display_name", "preferred_language"])
    assign_role(user=user, role=Role.TRAINEE)
    return user


@transaction.atomic
def update_profile(*, user: User, display_name: str, preferred_language: str) -> User:
    """Change how a person is greeted and which language the site speaks to them."""
    user.display_name = display_name.strip()
    user.preferred_language = preferred_language
    user.save(update_fields=["display_name", "preferred_language"])
    return user
