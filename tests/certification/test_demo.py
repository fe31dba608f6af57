from django.test import TestCase

from certification import demo, selectors
from certification.models import Certificate, LedgerEntry
from lms.accounts import demo as accounts_demo
from lms.demo import DemoContext


class DemoSeedTests(TestCase):
    def seed(self):
        context = DemoContext()
        with self.captureOnCommitCallbacks(execute=True):
            accounts_demo.seed(context)
            demo.seed(context)
        return context

    def test_it_issues_a_valid_and_a_revoked_certificate_and_reports_their_codes(self):
        context = self.seed()
        statuses = {
            row["holder"].split("@")[0]: row["status"] for row in context.report["certificates"]
        }
        self.assertEqual(statuses, {"julie": "valid", "amina": "revoked"})
        revoked = Certificate.objects.get(holder__email__startswith="amina")
        self.assertEqual(revoked.revocation_reason, demo.REVOCATION_REASON)
        self.assertTrue(all(c.pdf_sha256 for c in Certificate.objects.all()))

    def test_thomas_misses_block_b4_and_6_hours_of_ethics(self):
        context = self.seed()
        thomas = context.objects["people"]["thomas"]
        result = selectors.check_eligibility(thomas, context.objects["certification"])
        self.assertEqual(result.summary, "You still need block B4 and 6 h of ethics.")

    def test_running_it_twice_creates_nothing_new(self):
        self.seed()
        counts = (Certificate.objects.count(), LedgerEntry.objects.count())
        self.seed()
        self.assertEqual((Certificate.objects.count(), LedgerEntry.objects.count()), counts)
