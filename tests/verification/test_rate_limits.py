"""Rate limits per IP address (page, API) and per partner key (batches), kept in the cache."""

import json

from django.test import override_settings

from certification.verification import services
from tests.base import PersonasTestCase
from tests.verification.helpers import issue

LIMITS = {"page": 3, "api": 4, "bulk": 2}


@override_settings(VERIFICATION_RATE_LIMITS=LIMITS)
class RateLimitTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.certificate = issue(cls.trainee, rendered=False)
        cls.api_key, cls.raw_key = services.create_api_key(
            partner_name="Université", created_by=cls.coordinator
        )

    def test_the_page_answers_429_kindly_after_the_limit(self):
        for _ in range(LIMITS["page"]):
            self.assertEqual(self.client.get(f"/v/{self.certificate.code}").status_code, 200)

        response = self.client.get(f"/v/{self.certificate.code}")

        self.assertEqual(response.status_code, 429)
        self.assertEqual(response["Retry-After"], "60")
        self.assertTemplateUsed(response, "verification/rate_limited.html")

    def test_another_ip_address_has_its_own_allowance(self):
        for _ in range(LIMITS["page"] + 1):
            self.client.get(f"/v/{self.certificate.code}", REMOTE_ADDR="198.51.100.1")

        response = self.client.get(f"/v/{self.certificate.code}", REMOTE_ADDR="198.51.100.2")

        self.assertEqual(response.status_code, 200)

    def test_typos_count_too(self):
        for _ in range(LIMITS["page"]):
            self.client.get("/v/AAAA-AAAA-AAAA-AAAA")

        self.assertEqual(self.client.get(f"/v/{self.certificate.code}").status_code, 429)

    def test_the_api_answers_429_in_json_after_the_limit(self):
        url = f"/api/v1/certificates/{self.certificate.code}"
        for _ in range(LIMITS["api"]):
            self.assertEqual(self.client.get(url).status_code, 200)

        response = self.client.get(url)

        self.assertEqual(response.status_code, 429)
        self.assertEqual(response.json()["code"], "rate_limited")

    def test_batches_are_limited_per_key(self):
        def post():
            return self.client.post(
                "/api/v1/certificates/verify",
                data=json.dumps({"codes": [self.certificate.code]}),
                content_type="application/json",
                headers={"authorization": f"Bearer {self.raw_key}"},
                REMOTE_ADDR=f"192.0.2.{post.calls}",
            )

        post.calls = 0
        for _ in range(LIMITS["bulk"]):
            post.calls += 1
            self.assertEqual(post().status_code, 200)
        post.calls += 1

        self.assertEqual(post().status_code, 429)


class DefaultLimitTests(PersonasTestCase):
    def test_the_default_page_limit_is_thirty_a_minute(self):
        for _ in range(30):
            self.assertEqual(self.client.get("/v/AAAA").status_code, 400)

        self.assertEqual(self.client.get("/v/AAAA").status_code, 429)

    def test_then_a_new_test_starts_with_a_fresh_allowance(self):
        # Runs after the test above (alphabetical order): the suite clears the cache between tests.
        self.assertEqual(self.client.get("/v/AAAA").status_code, 400)
