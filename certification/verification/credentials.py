"""Open Badges 3.0 credentials and Bitstring Status Lists, signed as VC-JWT with Ed25519.

Pure functions: they build and sign documents; storing them is services.py's job.
"""

import base64
import gzip
import hashlib
import json
import secrets
import unicodedata
import warnings
from datetime import UTC, datetime, time
from typing import Any

from django.conf import settings
from django.utils import timezone
from joserfc import jws
from joserfc.jwk import OKPKey

from certification.models import Certificate

from . import keys

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
JWT_MEDIA_TYPE = "application/vc+jwt"
# W3C Bitstring Status List: at least 131,072 entries (16 KiB) so a position says nothing.
STATUS_LIST_SIZE = 131_072
# A list takes new positions until it is this full; then the next list starts.
STATUS_LIST_FILL = int(STATUS_LIST_SIZE * 0.9)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def credential_url(code: str) -> str:
    return f"{site_url()}/api/v1/certificates/{code}/credential"


def status_list_url(number: int) -> str:
    return f"{site_url()}/api/v1/status-lists/{number}"


def normalise_name(name: str) -> str:
    """Names compared the kind way: case, accents, spaces and punctuation do not matter."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in letters.casefold() if c.isalnum())


def identity_hash(name: str, salt: str) -> str:
    """OB 3.0 IdentityHash of a name: sha256 over the normalised name and the salt."""
    return "sha256$" + hashlib.sha256((normalise_name(name) + salt).encode()).hexdigest()


def build_credential(
    certificate: Certificate, *, list_number: int, index: int, salt: str | None = None
) -> dict[str, Any]:
    """The OpenBadgeCredential of ``certificate`` (a W3C VC 2.0, validated by the OB 3.0 schema).

    The holder's name is only present hashed (with a salt): a credential passed around, or
    fetched by code, never spells out the name. Anyone who knows the name can check it.
    """
    certification = certificate.certification
    issuer = {
        "id": keys.issuer_did(),
        "type": ["Profile"],
        "name": certification.issuing_body,
        "url": site_url(),
    }
    credential: dict[str, Any] = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": credential_url(certificate.code),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certification.title,
        "issuer": issuer,
        "validFrom": _utc(certificate.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": True,
                    "identityHash": identity_hash(
                        certificate.name_as_printed, salt := salt or secrets.token_hex(16)
                    ),
                    "salt": salt,
                }
            ],
            "achievement": {
                "id": f"urn:parcours:certification:{certification.code}",
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": certification.title,
                "description": certification.description or certification.title,
                "criteria": {
                    "narrative": certification.description or certification.title,
                },
                "creator": issuer,
            },
        },
        "credentialStatus": {
            "id": f"{status_list_url(list_number)}#{index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(index),
            "statusListCredential": status_list_url(list_number),
        },
    }
    if certificate.valid_until:
        end = datetime.combine(certificate.valid_until, time(23, 59, 59))
        credential["validUntil"] = _utc(timezone.make_aware(end))
    return credential


def sign(payload: dict[str, Any], key: OKPKey) -> str:
    """Compact VC-JWT (JOSE header alg EdDSA, kid = DID URL of the key in did.json)."""
    header = {
        "alg": "EdDSA",
        "typ": "vc+jwt",
        "kid": keys.verification_method_id(keys.thumbprint(key)),
    }
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    with warnings.catch_warnings():
        # RFC 9864 prefers "Ed25519", but OB 3.0 and VC-JOSE verifiers expect "EdDSA".
        warnings.simplefilter("ignore")
        return jws.serialize_compact(header, body, key, algorithms=["EdDSA"])


def decode_unverified(token: str) -> dict[str, Any]:
    """The payload of a compact JWS (for display and tests; verification is the reader's job)."""
    segment = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def encode_bitstring(set_positions: list[int], size: int = STATUS_LIST_SIZE) -> str:
    """Multibase base64url (prefix "u", no padding) of the GZIP of the bitstring; position 0 is
    the left-most bit of the first byte (W3C Bitstring Status List v1.0)."""
    bits = bytearray(size // 8)
    for position in set_positions:
        bits[position // 8] |= 0x80 >> (position % 8)
    # mtime=0: the same list always compresses to the same bytes.
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode().rstrip("=")


def decode_bitstring(encoded: str) -> bytes:
    data = encoded[1:] if encoded.startswith("u") else encoded
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def bit_is_set(bitstring: bytes, position: int) -> bool:
    return bool(bitstring[position // 8] & (0x80 >> (position % 8)))


def build_status_list(number: int, revoked_positions: list[int]) -> dict[str, Any]:
    url = status_list_url(number)
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": keys.issuer_did(),
        "validFrom": _utc(timezone.now()),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_bitstring(revoked_positions),
        },
    }
