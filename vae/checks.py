"""System check: production must have the keys that encrypt VAE narratives and justifications."""

from cryptography.fernet import Fernet
from django.conf import settings
from django.core import checks

from . import fields

HINT = (
    "Set VAE_ENCRYPTION_KEYS to one Fernet key (comma-separated, newest first, when rotating); "
    'create one with `python -c "from cryptography.fernet import Fernet; '
    'print(Fernet.generate_key().decode())"` and keep it: without it, stored narratives '
    "cannot be read."
)


@checks.register(checks.Tags.security, deploy=True)
def encryption_keys_configured(app_configs, **kwargs):  # type: ignore[no-untyped-def]
    """Warn before the first narrative is stored, not when saving it fails."""
    if settings.DEBUG:
        return []
    keys = [k.strip() for k in fields.configured_keys().split(",") if k.strip()]
    if not keys:
        return [
            checks.Warning(
                "No VAE encryption key is configured: saving a lived-experience narrative or a "
                "jury decision will fail.",
                hint=HINT,
                id="vae.W001",
            )
        ]
    errors = []
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            # Say which key, never the key itself.
            errors.append(
                checks.Error(
                    f"VAE_ENCRYPTION_KEYS: key number {position} is not a valid Fernet key.",
                    hint=HINT,
                    id="vae.E001",
                )
            )
    return errors
