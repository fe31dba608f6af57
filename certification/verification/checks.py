"""System check: warn when production has no credential signing key."""

from django.conf import settings
from django.core import checks

from . import keys


@checks.register(checks.Tags.security)
def signing_key_configured(app_configs, **kwargs):  # type: ignore[no-untyped-def]
    if settings.DEBUG or keys.is_configured():
        return []
    return [
        checks.Warning(
            "No credential signing key is configured: signed certificates, /.well-known/ "
            "documents and status lists will answer 503.",
            hint="Set CREDENTIAL_SIGNING_KEY_FILE to a private Ed25519 key (PEM or JWK); "
            "create one with `manage.py generate_signing_key --output FILE`.",
            id="verification.W001",
        )
    ]
