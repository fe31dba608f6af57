"""Key rotation: re-encrypt every encrypted field with the first of ``VAE_ENCRYPTION_KEYS``.

To rotate: put a new key first (``NEW,OLD``), deploy, run ``manage.py rotate_encryption_keys``,
then remove OLD. Values are rewritten as stored tokens (Fernet's rotate decrypts each in memory
only to encrypt it again), batch by batch, each batch in its own transaction; a value already under
the first key is left alone, so running it again changes nothing.
"""

from dataclasses import dataclass, field

from cryptography.fernet import InvalidToken
from django.apps import apps
from django.db import models, transaction
from django.db.models.functions import Cast

from lms.audit.services import record_event

from ..fields import EncryptedTextField, get_fernet, primary_fernet


@dataclass
class RotationCount:
    """What happened to the values of one field."""

    rotated: int = 0
    current: int = 0  # already encrypted with the first key
    unreadable: int = 0  # no configured key decrypts it: left as is
    unreadable_ids: list[int] = field(default_factory=list)


def encrypted_fields() -> list[tuple[type[models.Model], str]]:
    """Every (model, field name) stored encrypted, across all installed apps."""
    return [
        (model, f.name)
        for model in apps.get_models()
        for f in model._meta.concrete_fields
        if isinstance(f, EncryptedTextField)
    ]


def _rotate_batch(
    model: type[models.Model], name: str, *, after: int, batch_size: int, dry_run: bool
) -> tuple[int | None, RotationCount]:
    count = RotationCount()
    fernet, primary = get_fernet(), primary_fernet()
    with transaction.atomic():
        rows = list(
            model._default_manager.select_for_update(of=("self",))
            .filter(pk__gt=after)
            .exclude(**{name: ""})
            # The stored token as text: the field would decrypt it on the way out.
            .annotate(_token=Cast(name, output_field=models.TextField()))
            .order_by("pk")
            .values_list("pk", "_token")[:batch_size]
        )
        for pk, token in rows:
            if not token:
                continue
            raw = token.encode("ascii")
            try:
                primary.decrypt(raw)
            except InvalidToken:
                pass
            else:
                count.current += 1
                continue
            try:
                new = fernet.rotate(raw).decode("ascii")
            except InvalidToken:
                count.unreadable += 1
                count.unreadable_ids.append(pk)
                continue
            if not dry_run:
                # A bare string would be encrypted again by the field: write the token as text.
                # A queryset update also leaves immutable rows' save() guards untouched.
                model._default_manager.filter(pk=pk).update(
                    **{name: models.Value(new, output_field=models.TextField())}
                )
            count.rotated += 1
    return (rows[-1][0] if rows else None), count


def rotate_encryption_keys(
    *, batch_size: int = 500, dry_run: bool = False
) -> dict[str, RotationCount]:
    """Re-encrypt every encrypted value with the first configured key; counts per
    "app_label.Model.field". Idempotent."""
    results: dict[str, RotationCount] = {}
    for model, name in encrypted_fields():
        total = RotationCount()
        after = 0
        while True:
            last, count = _rotate_batch(
                model, name, after=after, batch_size=batch_size, dry_run=dry_run
            )
            total.rotated += count.rotated
            total.current += count.current
            total.unreadable += count.unreadable
            total.unreadable_ids += count.unreadable_ids
            if last is None:
                break
            after = last
        results[f"{model._meta.label}.{name}"] = total
    if not dry_run:
        record_event(
            actor=None,
            action="vae.encryption_keys_rotated",
            # Counts only: no value, no key.
            data={
                label: {"rotated": c.rotated, "current": c.current, "unreadable": c.unreadable}
                for label, c in results.items()
            },
        )
    return results
