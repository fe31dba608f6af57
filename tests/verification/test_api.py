"""JSON API v1: one code, a batch for partners with a key, and its OpenAPI description."""

import json

import jsonschema
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from certification.verification import selectors, services
from certification.verification.models import ApiKey, VerificationLog, VerificationSettings
from tests.base import PersonasTestCase
from tests.verification.helpers import expired, issue, revoked, suspended, with_typo

FIELDS = {
    "code",
    "status",
    "name_as_printed",
    "name_confirmation_required",
    "title",
    "issuer",
    "issued_on",
    "valid_until",
    "revoked_on",
    "revocation_reason",
    "pdf_sha256",
    "credential_url",
}


def openapi_document(client) -> dict:
    return client.get("/api/v1/openapi.json").json()


def validate(document: dict, schema_name: str, instance) -> None:
    """Validate ``instance`` against components/schemas/<schema_name> of the live document."""
    schema = {"$ref": f"#/components/schemas/{schema_name}", **document}
    jsonschema.validate(instance, schema, cls=jsonschema.Draft202012Validator)


class CertificateEndpointTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.valid = issue(cls.trainee)
        cls.revoked = revoked(cls.other_trainee, by=cls.coordinator, reason="Fraude au stage.")
        cls.suspended = suspended(cls.trainer, by=cls.coordinator)
        cls.expired = expired(cls.other_trainer)

    def test_a_valid_code_gives_exactly_the_public_facts(self):
        response = self.client.get(f"/api/v1/certificates/{self.valid.code.lower()}")

        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(set(data), FIELDS)
        self.assertEqual(tuple(data), selectors.PUBLIC_FIELDS)
        self.assertEqual(data["status"], "valid")
        self.assertEqual(data["code"], self.valid.code)
        self.assertEqual(data["name_as_printed"], self.valid.name_as_printed)
        self.assertEqual(data["pdf_sha256"], self.valid.pdf_sha256)
        self.assertIsNone(data["revocation_reason"])

    def test_a_revoked_certificate_gives_its_date_and_reason(self):
        data = self.client.get(f"/api/v1/certificates/{self.revoked.code}").json()

        self.assertEqual(data["status"], "revoked")
        self.assertEqual(data["revocation_reason"], "Fraude au stage.")
        self.assertEqual(data["revoked_on"], self.revoked.revoked_at.date().isoformat())

    def test_suspended_and_expired_certificates_say_so(self):
        for certificate, status in ((self.suspended, "suspended"), (self.expired, "expired")):
            data = self.client.get(f"/api/v1/certificates/{certificate.code}").json()
            self.assertEqual(data["status"], status)
            self.assertEqual(set(data), FIELDS)

    def test_an_unknown_code_is_a_404_with_a_json_error(self):
        from certification.codes import check_symbol, format_code

        code = format_code("ZZZZZZZZZZZZZZZ" + check_symbol("ZZZZZZZZZZZZZZZ"))

        response = self.client.get(f"/api/v1/certificates/{code}")

        self.assertEqual(response.status_code, 404)
        self.assertEqual(set(response.json()), {"error", "code"})
        self.assertEqual(response.json()["code"], code)

    def test_a_typo_is_a_400_with_the_typo_flag_and_no_database_query(self):
        with self.assertNumQueries(0):
            response = self.client.get(f"/api/v1/certificates/{with_typo(self.valid.code)}")

        self.assertEqual(response.status_code, 400)
        self.assertIs(response.json()["typo"], True)

    def test_a_malformed_code_is_a_400_without_the_typo_flag(self):
        response = self.client.get("/api/v1/certificates/ABC")

        self.assertEqual(response.status_code, 400)
        self.assertIs(response.json()["typo"], False)

    def test_in_confirm_mode_the_api_gives_no_name(self):
        services.set_name_mode(
            certificate=self.valid,
            holder=self.trainee,
            name_mode=VerificationSettings.NameMode.CONFIRM,
        )

        data = self.client.get(f"/api/v1/certificates/{self.valid.code}").json()

        self.assertIsNone(data["name_as_printed"])
        self.assertIs(data["name_confirmation_required"], True)
        self.assertNotIn(self.valid.name_as_printed, json.dumps(data, ensure_ascii=False))

    def test_the_answer_never_holds_the_email_or_other_certificates(self):
        body = self.client.get(f"/api/v1/certificates/{self.valid.code}").content.decode()

        self.assertNotIn(self.trainee.email, body)
        for other in (self.revoked, self.suspended, self.expired):
            self.assertNotIn(other.code, body)

    def test_live_answers_match_the_openapi_schemas(self):
        document = openapi_document(self.client)
        self.assertEqual(document["openapi"], "3.1.0")
        for certificate in (self.valid, self.revoked, self.suspended, self.expired):
            response = self.client.get(f"/api/v1/certificates/{certificate.code}")
            validate(document, "Certificate", response.json())
        validate(
            document,
            "CodeError",
            self.client.get(f"/api/v1/certificates/{with_typo(self.valid.code)}").json(),
        )
        validate(
            document, "Error", self.client.get("/api/v1/certificates/0000-0000-0000-0000").json()
        )

    def test_the_schema_would_refuse_an_extra_field(self):
        document = openapi_document(self.client)
        data = self.client.get(f"/api/v1/certificates/{self.valid.code}").json()

        with self.assertRaises(jsonschema.ValidationError):
            validate(document, "Certificate", {**data, "email": self.trainee.email})

    def test_each_api_check_is_logged(self):
        self.client.get(f"/api/v1/certificates/{self.valid.code}")

        self.assertEqual(VerificationLog.objects.get().channel, "api")


class BatchEndpointTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.valid = issue(cls.trainee, rendered=False)
        cls.revoked = revoked(cls.other_trainee, by=cls.coordinator)
        cls.api_key, cls.raw_key = services.create_api_key(
            partner_name="Haute École de Namur", owner=cls.partner, created_by=cls.coordinator
        )

    def post(self, body, key=None, client=None):
        return (client or self.client).post(
            "/api/v1/certificates/verify",
            data=json.dumps(body),
            content_type="application/json",
            headers={"authorization": f"Bearer {key or self.raw_key}"},
        )

    def test_a_partner_checks_several_codes_at_once(self):
        response = self.post(
            {"codes": [self.valid.code, self.revoked.code.lower(), with_typo(self.valid.code), "x"]}
        )

        self.assertEqual(response.status_code, 200)
        results = response.json()["results"]
        self.assertEqual([r["status"] for r in results], ["valid", "revoked", "typo", "malformed"])
        for row in results:
            self.assertEqual(set(row), FIELDS | {"input"})
        validate(openapi_document(self.client), "BatchResponse", response.json())

    def test_the_checks_are_logged_with_the_partners_key(self):
        self.post({"codes": [self.valid.code]})

        entry = VerificationLog.objects.get()
        self.assertEqual((entry.channel, entry.partner), ("bulk", self.api_key))

    def test_a_batch_costs_the_same_queries_for_two_codes_as_for_a_hundred(self):
        self.post({"codes": [self.valid.code]})  # sessions, content types: cached from here on
        with CaptureQueriesContext(connection) as two:
            self.post({"codes": [self.valid.code, self.revoked.code]})
        with CaptureQueriesContext(connection) as hundred:
            self.post({"codes": [self.valid.code, self.revoked.code] * 50})

        self.assertEqual(len(two), len(hundred))
        self.assertEqual(VerificationLog.objects.filter(channel="bulk").count(), 1 + 2 + 100)

    def test_one_hundred_codes_are_accepted_but_not_one_more(self):
        self.assertEqual(self.post({"codes": [self.valid.code] * 100}).status_code, 200)

        response = self.post({"codes": [self.valid.code] * 101})

        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["code"], "too_many_codes")

    def test_without_a_key_the_answer_is_401(self):
        response = self.client.post(
            "/api/v1/certificates/verify",
            data=json.dumps({"codes": [self.valid.code]}),
            content_type="application/json",
        )

        self.assertEqual(response.status_code, 401)
        self.assertIn("error", response.json())

    def test_a_revoked_key_no_longer_works(self):
        services.revoke_api_key(api_key=self.api_key, by=self.coordinator)

        self.assertEqual(self.post({"codes": [self.valid.code]}).status_code, 401)

    def test_the_key_is_stored_only_as_a_hash(self):
        stored = ApiKey.objects.get(pk=self.api_key.pk)

        self.assertNotIn(self.raw_key, json.dumps([str(v) for v in stored.__dict__.values()]))
        self.assertEqual(stored.key_hash, services.hash_api_key(self.raw_key))
        self.assertTrue(self.raw_key.startswith(stored.prefix))

    def test_a_wrong_key_is_refused_and_last_use_is_recorded_for_a_good_one(self):
        self.assertEqual(self.post({"codes": [self.valid.code]}, key="pcv_wrong").status_code, 401)
        self.post({"codes": [self.valid.code]})

        self.api_key.refresh_from_db()
        self.assertIsNotNone(self.api_key.last_used_at)

    def test_the_batch_endpoint_needs_no_csrf_token_but_other_posts_do(self):
        client = Client(enforce_csrf_checks=True)

        self.assertEqual(self.post({"codes": [self.valid.code]}, client=client).status_code, 200)
        self.assertEqual(client.post(f"/v/{self.valid.code}", {"name": "x"}).status_code, 403)

    def test_a_body_that_is_not_json_is_a_400(self):
        response = self.client.post(
            "/api/v1/certificates/verify",
            data="codes=1",
            content_type="text/plain",
            headers={"authorization": f"Bearer {self.raw_key}"},
        )

        self.assertEqual(response.status_code, 400)
