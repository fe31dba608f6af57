"""Write paths for accounts and roles."""

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db import transaction

from lms.audit.services import record_event

from .models import User
from .roles import Role


@transaction.atomic
def assign_role(*, user: User, role: Role | str, actor: User | None = None) -> None:
    """Give ``user`` a role (idempotent); a change is written to the audit trail."""
    role = Role(role)
    if user.groups.filter(name=role.value).exists():
        return
    user.groups.add(Group.objects.get(name=role.value))
    user.__dict__.pop("_role_codes", None)
    record_event(actor=actor, action="role.given", target=user, data={"role": role.value})


@transaction.atomic
def remove_role(*, user: User, role: Role | str, actor: User | None = None) -> None:
    """Take a role away from ``user`` (idempotent); a change is written to the audit trail."""
    role = Role(role)
    if not user.groups.filter(name=role.value).exists():
        return
    user.groups.remove(Group.objects.get(name=role.value))
    user.__dict__.pop("_role_codes", None)
    record_event(actor=actor, action="role.removed", target=user, data={"role": role.value})


@transaction.atomic
def record_role_changes(
    *, actor: User | None, user: User, before: Iterable[str], after: Iterable[str]
) -> None:
    """Write to the audit trail the roles given and removed by an edit of ``user``'s groups."""
    before_roles, after_roles = set(before) & set(Role.values), set(after) & set(Role.values)
    for role in sorted(after_roles - before_roles):
        record_event(actor=actor, action="role.given", target=user, data={"role": role})
    for role in sorted(before_roles - after_roles):
        record_event(actor=actor, action="role.removed", target=user, data={"role": role})


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


@transaction.atomic
def update_language(*, user: User, language: str) -> None:
    """Remember the language a signed-in person chose with the switcher."""
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
