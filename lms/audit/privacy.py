"""The audit trail and personal data.

The trail is append-only, so erasure cannot rewrite it. It is kept free of personal values
instead: events hold an action, a record type and id, and facts (ids, statuses, counts) — never a
name, an email address or free text about a person (``record_event`` callers follow this; a test
scans the trail after an erasure). An event links to its actor's account, which erasure
pseudonymises, so the trail keeps answering "which account did what" without saying who.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lms.accounts.models import User
from lms.privacy.registry import Export, PersonalData, Provider

from .models import AuditEvent


def _events(user: User):  # type: ignore[no-untyped-def]
    return AuditEvent.objects.filter(
        Q(actor=user) | Q(target_type=User._meta.label_lower, target_id=str(user.pk))
    )


def export(user: User) -> Export:
    return Export(
        data={
            "events": [
                {
                    "occurred_at": e.occurred_at,
                    "action": e.action,
                    "by_you": e.actor_id == user.pk,
                    "record_type": e.target_type,
                    "record_id": e.target_id,
                }
                for e in _events(user).order_by("occurred_at", "pk")
            ]
        }
    )


def erase(user: User, *, actor: User) -> dict[str, int]:
    # Nothing to rewrite: the events hold no personal value (see the module docstring).
    return {"events_kept": _events(user).count()}


PROVIDER = Provider(
    name="audit",
    label=_("Audit trail"),
    order=90,
    declares=(
        PersonalData(
            models=("audit.AuditEvent",),
            what=_(
                "A record of sensitive actions: who opened a VAE file, downloaded evidence or "
                "changed a result, with the date. It never contains your name or your texts."
            ),
            why=_("To protect your file: every access to sensitive data can be checked."),
            kept=_("For good: it can be neither changed nor deleted."),
            on_erasure=_("Kept; it then points at an anonymous account."),
        ),
    ),
    export=export,
    erase=erase,
)
