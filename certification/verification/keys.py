"""The issuer's Ed25519 signing key: read from configuration, never from the database.

Configuration (environment variable or Django setting of the same name):

- ``CREDENTIAL_SIGNING_KEY_FILE``: path to a PEM (PKCS#8) or JWK (JSON) file holding the key;
- ``CREDENTIAL_SIGNING_KEY``: the PEM or JWK text itself.

With DEBUG on and nothing configured, a development key is generated into
``var/credential-signing-key.pem`` on first use, so that ``make run`` works with no set-up.
In production with nothing configured, credentials are not served (503) and ``manage.py check``
warns (verification.W001).
"""

import os
import threading
from pathlib import Path
from urllib.parse import quote, urlsplit

from django.conf import settings
from joserfc import jwk
from joserfc.jwk import OKPKey

DEV_KEY_PATH = Path("var") / "credential-signing-key.pem"
_lock = threading.Lock()


class SigningKeyMissing(Exception):
    """No private signing key is configured (production) or it cannot be read."""


def _configured(name: str) -> str:
    return str(getattr(settings, name, "") or os.environ.get(name, "") or "")


def dev_key_path() -> Path:
    return Path(settings.BASE_DIR) / DEV_KEY_PATH


def is_configured() -> bool:
    """True when a private key is configured (file or text), whatever DEBUG says."""
    return bool(_configured("CREDENTIAL_SIGNING_KEY") or _configured("CREDENTIAL_SIGNING_KEY_FILE"))


def generate_private_key() -> OKPKey:
    return OKPKey.generate_key("Ed25519", private=True)


def private_key_to_pem(key: OKPKey) -> bytes:
    return key.as_pem(private=True)


def parse_private_key(text: str | bytes) -> OKPKey:
    """A PEM or JWK text → the Ed25519 private key, or SigningKeyMissing with the reason."""
    raw = text.decode() if isinstance(text, bytes) else text
    raw = raw.strip()
    try:
        if raw.startswith("{"):
            import json

            key = jwk.import_key(json.loads(raw), "OKP")
        else:
            key = jwk.import_key(raw.encode(), "OKP")
    except Exception as error:  # noqa: BLE001 - any parsing failure means "unusable key"
        raise SigningKeyMissing(f"The credential signing key cannot be read: {error}") from error
    if not isinstance(key, OKPKey) or key.as_dict(private=False).get("crv") != "Ed25519":
        raise SigningKeyMissing("The credential signing key must be an Ed25519 key.")
    if not key.is_private:
        raise SigningKeyMissing("The credential signing key must be the PRIVATE key.")
    return key


_cache: dict[str, OKPKey] = {}


def load_private_key() -> OKPKey:
    """The configured private key (cached per configuration text), or SigningKeyMissing."""
    text = _configured("CREDENTIAL_SIGNING_KEY")
    path = _configured("CREDENTIAL_SIGNING_KEY_FILE")
    if not text and path:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise SigningKeyMissing(
                f"CREDENTIAL_SIGNING_KEY_FILE cannot be read ({error.strerror})."
            ) from error
    if not text:
        if not settings.DEBUG:
            raise SigningKeyMissing(
                "No credential signing key is configured: set CREDENTIAL_SIGNING_KEY_FILE "
                "(or CREDENTIAL_SIGNING_KEY). Generate one with "
                "`manage.py generate_signing_key --output FILE`."
            )
        text = _development_key_text()
    if text not in _cache:
        _cache[text] = parse_private_key(text)
    return _cache[text]


def _development_key_text() -> str:
    # Only with DEBUG on: a key of the developer's own, in the git-ignored var/ folder.
    path = dev_key_path()
    with _lock:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(private_key_to_pem(generate_private_key()))
            path.chmod(0o600)
    return path.read_text(encoding="utf-8")


def public_jwk(key: OKPKey) -> dict[str, str]:
    public = key.as_dict(private=False)
    return {name: str(public[name]) for name in ("kty", "crv", "x")}


def thumbprint(key: OKPKey) -> str:
    """RFC 7638 thumbprint: the key id stored in SigningKey.kid."""
    return key.thumbprint()


def issuer_did() -> str:
    """``did:web:<host>`` of SITE_URL; a port's colon is percent-encoded as did:web requires."""
    netloc = urlsplit(settings.SITE_URL).netloc
    return "did:web:" + quote(netloc, safe="")


def verification_method_id(kid: str) -> str:
    return f"{issuer_did()}#{kid}"
