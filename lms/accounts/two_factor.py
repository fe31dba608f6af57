"""Two-factor authentication (django-allauth's MFA): who must use it, and the operator's reset.

Authenticators (an app's TOTP secret, recovery codes) are allauth's ``Authenticator`` rows; this
module only decides who needs one and lets an operator remove them when a device is lost.
"""

from allauth.mfa.models import Authenticator
from django.db import transaction
from django.urls import reverse

from lms.audit.services import record_event
from lms.notifications.services import notify

from .models import User
from .roles import TWO_FACTOR_ROLES


def two_factor_required(user: User) -> bool:
    """Coordinators, assessors and superusers see personal data: a password alone is not enough."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(user.role_codes & TWO_FACTOR_ROLES)


def has_authenticator_app(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


@transaction.atomic
def reset_two_factor(*, user: User, actor: User | None, reason: str) -> int:
    """Remove ``user``'s authenticator app and recovery codes (a lost or replaced phone).

    The person signs in with their password alone and, if their role requires it, is asked to
    set up a new app straight away. Written to the audit trail and notified to the person.
    Returns how many authenticators were removed (0: nothing to reset, nothing written).
    """
    authenticators = Authenticator.objects.filter(user=user)
    types = sorted(set(authenticators.values_list("type", flat=True)))
    removed, _ = authenticators.delete()
    if not removed:
        return 0
    event = record_event(
        actor=actor,
        action="account.two_factor_reset",
        target=user,
        summary=reason.strip(),
        data={"removed": types},
    )
    notify(
        recipient=user,
        event="account.two_factor_reset",
        template="emails/two_factor_reset",
        context={},
        dedupe_key=f"account:{user.pk}:two-factor-reset:{event.pk}",
        url=reverse("mfa_index"),
    )
    return removed


@transaction.atomic
def set_up_authenticator_app(*, user: User, secret: str, recovery_seed: str | None = None) -> None:
    """Give ``user`` an authenticator app with ``secret`` (base32) and recovery codes, as if they
    had scanned the QR code; idempotent. For the demo (a fixed, printed secret) and tests only —
    people set theirs up on the two-factor page."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP
    from allauth.mfa.utils import encrypt

    if not has_authenticator_app(user):
        TOTP.activate(user, secret)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists():
        if recovery_seed is None:
            RecoveryCodes.activate(user)
        else:
            Authenticator.objects.create(
                user=user,
                type=Authenticator.Type.RECOVERY_CODES,
                data={"seed": encrypt(recovery_seed), "used_mask": 0},
            )


def recovery_codes(user: User) -> list[str]:
    """``user``'s unused recovery codes (for the demo report)."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    instance = Authenticator.objects.filter(
        user=user, type=Authenticator.Type.RECOVERY_CODES
    ).first()
    return RecoveryCodes(instance).get_unused_codes() if instance else []
