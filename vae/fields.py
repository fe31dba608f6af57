"""An encrypted text field for what must not be readable from a database dump.

The lived-experience narrative (health data, GDPR art. 9) and jury justifications are stored
encrypted with Fernet. ``VAE_ENCRYPTION_KEYS`` (setting or environment variable) is a
comma-separated list: the first key encrypts, every key decrypts, so keys can be rotated.
"""

import base64
import hashlib
import logging
import os

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

logger = logging.getLogger(__name__)

_cache: dict[str, tuple[MultiFernet, Fernet]] = {}


def configured_keys() -> str:
    """The configured keys as one comma-separated string (empty when none)."""
    value = getattr(settings, "VAE_ENCRYPTION_KEYS", None) or os.environ.get(
        "VAE_ENCRYPTION_KEYS", ""
    )
    if isinstance(value, list | tuple):
        value = ",".join(value)
    return str(value).strip()


def get_fernet() -> MultiFernet:
    """The MultiFernet built from the configured keys (first one encrypts)."""
    return _fernets()[0]


def primary_fernet() -> Fernet:
    """The first key alone: the one every value should end up encrypted with."""
    return _fernets()[1]


def _fernets() -> tuple[MultiFernet, Fernet]:
    keys = configured_keys()
    if not keys:
        # Development settings only: DEBUG on, or the dev-only SECRET_KEY (the test runner
        # turns DEBUG off). Production (DEBUG off, a real SECRET_KEY) must set the keys.
        development = settings.DEBUG or str(settings.SECRET_KEY).startswith("dev-only-")
        if not development:
            raise ImproperlyConfigured(
                "Set VAE_ENCRYPTION_KEYS (Fernet keys, comma-separated) to store VAE narratives."
            )
        # Development: a key derived from SECRET_KEY, so a fresh checkout just works.
        digest = hashlib.sha256(f"vae-encryption:{settings.SECRET_KEY}".encode()).digest()
        keys = base64.urlsafe_b64encode(digest).decode("ascii")
        if keys not in _cache:
            logger.warning(
                "VAE_ENCRYPTION_KEYS is not set: using a key derived from SECRET_KEY (DEBUG only)."
            )
    if keys not in _cache:
        fernets = [Fernet(k.strip()) for k in keys.split(",") if k.strip()]
        _cache[keys] = (MultiFernet(fernets), fernets[0])
    return _cache[keys]


class EncryptedTextField(models.TextField):
    """A TextField stored as a Fernet token; reads give back the plain text.

    It cannot be searched or filtered on, by design.
    """

    def get_prep_value(self, value):  # type: ignore[no-untyped-def]
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return get_fernet().encrypt(str(value).encode("utf-8")).decode("ascii")

    def from_db_value(self, value, expression, connection):  # type: ignore[no-untyped-def]
        if value is None or value == "":
            return value
        try:
            return get_fernet().decrypt(value.encode("ascii")).decode("utf-8")
        except InvalidToken:
            # A key was removed from the list: say so without leaking anything.
            logger.error("A VAE encrypted value could not be decrypted (unknown key).")
            return ""
