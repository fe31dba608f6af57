"""The verification demo step: modes, a partner key, status positions, the report."""

from django.test import TestCase, override_settings

from certification import demo as certification_demo
from certification.verification import demo
from certification.verification.models import ApiKey, CredentialStatus, VerificationSettings
from lms.accounts import demo as accounts_demo
from lms.demo import DemoContext
from tests.verification.helpers import with_signing_key


def run_demo() -> DemoContext:
    context = DemoContext()
    accounts_demo.seed(context)
    certification_demo.seed(context)
    demo.seed(context)
    return context


class VerificationDemoTests(TestCase):
    def test_it_is_idempotent_and_prints_no_key_without_debug(self):
        run_demo()
        counts = (ApiKey.objects.count(), CredentialStatus.objects.count())

        context = run_demo()

        self.assertEqual((ApiKey.objects.count(), CredentialStatus.objects.count()), counts)
        self.assertEqual(counts, (1, 2))
        self.assertNotIn("partner_api_key", context.report["verification"])
        self.assertNotIn(demo.DEMO_API_KEY, str(context.sections))

    @with_signing_key()
    @override_settings(DEBUG=True)
    def test_with_debug_the_demo_key_is_printed_and_works(self):
        context = run_demo()
        julie, amina = context.objects["certificates"]

        self.assertEqual(context.report["verification"]["partner_api_key"], demo.DEMO_API_KEY)
        response = self.client.post(
            "/api/v1/certificates/verify",
            data={"codes": [julie.code, amina.code]},
            content_type="application/json",
            headers={"authorization": f"Bearer {demo.DEMO_API_KEY}"},
        )
        statuses = [row["status"] for row in response.json()["results"]]
        self.assertEqual(statuses, ["valid", "revoked"])
        self.assertEqual(VerificationSettings.objects.get(certificate=amina).name_mode, "confirm")
        self.assertEqual(VerificationSettings.objects.get(certificate=julie).name_mode, "full")
        self.assertTrue(CredentialStatus.objects.get(certificate=julie).jwt)
