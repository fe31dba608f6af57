"""The one way to write the audit trail."""

from typing import Any

from django.db import models, transaction

from lms.accounts.models import User

from .models import AuditEvent


@transaction.atomic
def record_event(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    summary: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the audit trail (``action`` like "certificate.revoked")."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        summary=summary[:300],
        data=data or {},
    )
