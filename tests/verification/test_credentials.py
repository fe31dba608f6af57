"""Signed Open Badges 3.0 credentials, the issuer's keys (JWKS, did:web), the status list.

The signature is checked independently of joserfc (which signs): with PyJWT, a standard JOSE
library, and with `cryptography` directly (Ed25519 over the JWS signing input).
"""

import base64
import io
import json
from pathlib import Path

import jsonschema
import jwt
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, override_settings

from certification import services as certification_services
from certification.verification import checks, credentials, keys, services
from certification.verification.models import CredentialStatus, SigningKey
from tests.base import PersonasTestCase
from tests.verification.helpers import issue, revoked, with_signing_key

SCHEMA_PATH = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "standards"
    / "ob_v3p0_achievementcredential.schema.json"
)


def b64url(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def verify_with_jwks(token: str, jwks: dict) -> dict:
    """Verify a compact JWS with the key of its kid in ``jwks``; return the payload."""
    header_b64, payload_b64, signature_b64 = token.split(".")
    header = json.loads(b64url(header_b64))
    assert header["alg"] == "EdDSA"
    jwk = next(k for k in jwks["keys"] if k["kid"] == header["kid"])
    assert (jwk["kty"], jwk["crv"]) == ("OKP", "Ed25519")
    public_key = Ed25519PublicKey.from_public_bytes(b64url(jwk["x"]))
    public_key.verify(b64url(signature_b64), f"{header_b64}.{payload_b64}".encode())
    return json.loads(b64url(payload_b64))


@with_signing_key()
class CredentialTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.valid = issue(cls.trainee, rendered=False)
        cls.revoked = revoked(cls.other_trainee, by=cls.coordinator)

    def credential(self, certificate) -> str:
        response = self.client.get(f"/api/v1/certificates/{certificate.code}/credential")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/vc+jwt")
        return response.content.decode()

    def test_an_independent_library_verifies_the_credential_with_the_published_key(self):
        token = self.credential(self.valid)
        jwks = self.client.get("/.well-known/jwks.json").json()

        payload = verify_with_jwks(token, jwks)

        self.assertEqual(payload["type"], ["VerifiableCredential", "OpenBadgeCredential"])
        self.assertEqual(payload["issuer"]["id"], "did:web:127.0.0.1%3A8000")

    def test_pyjwt_a_standard_jose_library_verifies_the_credential_with_the_jwks_key(self):
        token = self.credential(self.valid)
        jwks = self.client.get("/.well-known/jwks.json").json()
        kid = jwt.get_unverified_header(token)["kid"]
        key = jwt.PyJWKSet.from_dict(jwks)[kid]

        claims = jwt.decode(
            token,
            key=key,
            algorithms=["EdDSA"],
            options={"verify_aud": False, "verify_exp": False, "verify_nbf": False},
        )

        self.assertIn("OpenBadgeCredential", claims["type"])
        self.assertEqual(claims["issuer"]["id"], "did:web:127.0.0.1%3A8000")

    def test_a_tampered_credential_fails_verification(self):
        header, payload, signature = self.credential(self.valid).split(".")
        claims = json.loads(b64url(payload))
        claims["name"] = "Master en médecine"
        forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
        jwks = self.client.get("/.well-known/jwks.json").json()

        with self.assertRaises(InvalidSignature):
            verify_with_jwks(f"{header}.{forged}.{signature}", jwks)

    def test_the_payload_validates_against_the_open_badges_3_schema(self):
        self.assertTrue(
            SCHEMA_PATH.exists(),
            f"The OB 3.0 schema is missing at {SCHEMA_PATH}: it comes with the shared/ folder.",
        )
        schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))

        payload = credentials.decode_unverified(self.credential(self.valid))

        jsonschema.validate(payload, schema, format_checker=jsonschema.FormatChecker())
        self.assertEqual(payload["@context"][1], credentials.OB_CONTEXT)

    def test_the_credential_never_spells_out_the_name_but_lets_anyone_who_knows_it_check(self):
        token = self.credential(self.valid)
        payload = credentials.decode_unverified(token)
        identity = payload["credentialSubject"]["identifier"][0]

        self.assertNotIn(self.valid.name_as_printed, json.dumps(payload, ensure_ascii=False))
        self.assertNotIn(self.trainee.email, json.dumps(payload))
        self.assertEqual(
            identity["identityHash"],
            credentials.identity_hash(self.valid.name_as_printed.upper(), identity["salt"]),
        )

    def test_the_credential_is_signed_once_and_served_the_same_afterwards(self):
        first = self.credential(self.valid)

        self.assertEqual(self.credential(self.valid), first)
        self.assertEqual(CredentialStatus.objects.get(certificate=self.valid).jwt, first)

    def test_did_document_lists_every_key_for_assertions(self):
        self.credential(self.valid)
        document = self.client.get("/.well-known/did.json").json()

        self.assertEqual(document["id"], keys.issuer_did())
        method = document["verificationMethod"][0]
        self.assertEqual(method["controller"], document["id"])
        self.assertEqual(method["publicKeyJwk"]["crv"], "Ed25519")
        self.assertNotIn("d", method["publicKeyJwk"])
        self.assertEqual(document["assertionMethod"], [method["id"]])
        header = json.loads(b64url(self.credential(self.valid).split(".")[0]))
        self.assertEqual(header["kid"], method["id"])

    def test_retired_keys_stay_published_and_old_credentials_keep_verifying(self):
        old_token = self.credential(self.valid)
        new_pem = keys.private_key_to_pem(keys.generate_private_key()).decode()

        with with_signing_key(new_pem):
            new_token = self.credential(self.revoked)
            jwks = self.client.get("/.well-known/jwks.json").json()
            did = self.client.get("/.well-known/did.json").json()

        self.assertEqual(len(jwks["keys"]), 2)
        self.assertEqual(len(did["verificationMethod"]), 2)
        verify_with_jwks(old_token, jwks)
        verify_with_jwks(new_token, jwks)
        self.assertEqual(SigningKey.objects.filter(is_current=True).count(), 1)
        self.assertIsNotNone(SigningKey.objects.get(is_current=False).retired_at)

    def test_the_revoked_certificates_bit_is_set_and_the_valid_ones_is_not(self):
        valid_payload = credentials.decode_unverified(self.credential(self.valid))
        revoked_payload = credentials.decode_unverified(self.credential(self.revoked))
        list_url = revoked_payload["credentialStatus"]["statusListCredential"]
        path = list_url.removeprefix("http://127.0.0.1:8000")

        token = self.client.get(path).content.decode()
        status_list = verify_with_jwks(token, self.client.get("/.well-known/jwks.json").json())

        subject = status_list["credentialSubject"]
        self.assertEqual(subject["type"], "BitstringStatusList")
        self.assertEqual(subject["statusPurpose"], "revocation")
        self.assertIn("BitstringStatusListCredential", status_list["type"])
        bits = credentials.decode_bitstring(subject["encodedList"])
        self.assertGreaterEqual(len(bits) * 8, 131_072)
        revoked_index = int(revoked_payload["credentialStatus"]["statusListIndex"])
        valid_index = int(valid_payload["credentialStatus"]["statusListIndex"])
        self.assertTrue(credentials.bit_is_set(bits, revoked_index))
        self.assertFalse(credentials.bit_is_set(bits, valid_index))
        self.assertEqual(sum(bin(byte).count("1") for byte in bits), 1)

    def test_revoking_later_sets_the_bit_of_an_already_issued_credential(self):
        payload = credentials.decode_unverified(self.credential(self.valid))
        index = int(payload["credentialStatus"]["statusListIndex"])
        certification_services.revoke_certificate(
            certificate=self.valid, by=self.coordinator, reason="Erreur de délivrance."
        )

        token = self.client.get("/api/v1/status-lists/1").content.decode()

        bits = credentials.decode_bitstring(
            credentials.decode_unverified(token)["credentialSubject"]["encodedList"]
        )
        self.assertTrue(credentials.bit_is_set(bits, index))

    def test_positions_are_unique_in_a_list(self):
        first = services.assign_status_position(certificate=self.valid)
        second = services.assign_status_position(certificate=self.revoked)

        self.assertNotEqual((first.list_number, first.index), (second.list_number, second.index))
        self.assertEqual(services.assign_status_position(certificate=self.valid), first)

    def test_an_unknown_status_list_is_a_404(self):
        self.assertEqual(self.client.get("/api/v1/status-lists/9").status_code, 404)


class NoSigningKeyTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.valid = issue(cls.trainee, rendered=False)

    @override_settings(DEBUG=False, CREDENTIAL_SIGNING_KEY="", CREDENTIAL_SIGNING_KEY_FILE="")
    def test_without_a_key_in_production_credential_endpoints_answer_503_in_json(self):
        for url in (
            f"/api/v1/certificates/{self.valid.code}/credential",
            "/api/v1/status-lists/1",
            "/.well-known/jwks.json",
        ):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 503, url)
            self.assertEqual(response.json()["code"], "signing_key_missing")

    @override_settings(DEBUG=False, CREDENTIAL_SIGNING_KEY="", CREDENTIAL_SIGNING_KEY_FILE="")
    def test_the_page_still_verifies_without_a_key(self):
        self.assertEqual(self.client.get(f"/v/{self.valid.code}").status_code, 200)


class SigningKeyConfigurationTests(SimpleTestCase):
    @override_settings(DEBUG=False, CREDENTIAL_SIGNING_KEY="", CREDENTIAL_SIGNING_KEY_FILE="")
    def test_the_system_check_warns_in_production_without_a_key(self):
        warnings = checks.signing_key_configured(None)

        self.assertEqual([w.id for w in warnings], ["verification.W001"])

    @override_settings(DEBUG=False, CREDENTIAL_SIGNING_KEY_FILE="/etc/parcours/key.pem")
    def test_the_system_check_is_silent_when_a_key_is_configured(self):
        self.assertEqual(checks.signing_key_configured(None), [])

    def test_a_key_file_in_pem_or_jwk_is_read(self):
        key = keys.generate_private_key()
        jwk_text = json.dumps(key.as_dict(private=True))
        for text in (keys.private_key_to_pem(key).decode(), jwk_text):
            self.assertEqual(keys.thumbprint(keys.parse_private_key(text)), keys.thumbprint(key))

    def test_a_public_key_alone_is_refused(self):
        public = json.dumps(keys.generate_private_key().as_dict(private=False))

        with self.assertRaises(keys.SigningKeyMissing):
            keys.parse_private_key(public)

    def test_debug_without_a_key_generates_one_in_var(self):
        import tempfile

        with (
            tempfile.TemporaryDirectory() as folder,
            override_settings(
                DEBUG=True,
                BASE_DIR=Path(folder),
                CREDENTIAL_SIGNING_KEY="",
                CREDENTIAL_SIGNING_KEY_FILE="",
            ),
        ):
            key = keys.load_private_key()
            self.assertTrue((Path(folder) / "var" / "credential-signing-key.pem").exists())
            self.assertEqual(keys.thumbprint(keys.load_private_key()), keys.thumbprint(key))

    def test_the_issuer_did_percent_encodes_the_port(self):
        with override_settings(SITE_URL="https://parcours.example:8443"):
            self.assertEqual(keys.issuer_did(), "did:web:parcours.example%3A8443")


class GenerateSigningKeyCommandTests(PersonasTestCase):
    def test_it_writes_a_usable_private_key_and_rotates(self):
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            first = Path(folder) / "first.pem"
            second = Path(folder) / "second.pem"
            call_command(
                "generate_signing_key", output=str(first), rotate=True, stdout=io.StringIO()
            )
            call_command(
                "generate_signing_key", output=str(second), rotate=True, stdout=io.StringIO()
            )

            self.assertTrue(keys.parse_private_key(first.read_text()).is_private)
            self.assertEqual(SigningKey.objects.count(), 2)
            current = SigningKey.objects.get(is_current=True)
            self.assertEqual(
                current.kid, keys.thumbprint(keys.parse_private_key(second.read_text()))
            )
            with self.assertRaises(CommandError):
                call_command("generate_signing_key", output=str(first), stdout=io.StringIO())
