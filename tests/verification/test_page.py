"""The public verification page /v/<CODE>: what it says, what it never says."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from certification.verification import selectors, services
from certification.verification.models import VerificationLog, VerificationSettings
from tests.base import PersonasTestCase
from tests.verification.helpers import expired, issue, revoked, suspended, with_typo


def _comparable(html: str) -> str:
    # The CSRF token of the language switcher is masked differently on every response.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


class VerificationPageTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.valid = issue(cls.trainee)
        cls.revoked = revoked(cls.other_trainee, by=cls.coordinator, reason="Stage non conforme.")
        cls.suspended = suspended(cls.partner, by=cls.coordinator)
        cls.expired = expired(cls.outsider)

    def test_a_valid_certificate_shows_its_facts_and_the_pdf_fingerprint(self):
        response = self.client.get(f"/v/{self.valid.code}")

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["lookup"].facts["status"], "valid")
        self.assertContains(response, self.valid.name_as_printed)
        self.assertContains(response, self.valid.certification.title)
        self.assertContains(response, self.valid.certification.issuing_body)
        self.assertContains(response, self.valid.pdf_sha256)
        self.assertContains(response, "verification/check_pdf.js")

    def test_the_code_is_normalised_from_lowercase_spaces_and_lookalikes(self):
        typed = self.valid.code.lower().replace("-", " ").replace("0", "o").replace("1", "l")

        lookup = selectors.lookup_certificate(typed)

        self.assertEqual(lookup.outcome, selectors.Outcome.FOUND)
        self.assertEqual(lookup.certificate, self.valid)

    def test_a_revoked_certificate_says_so_with_its_date_and_reason(self):
        response = self.client.get(f"/v/{self.revoked.code}")

        self.assertEqual(response.status_code, 200)
        facts = response.context["lookup"].facts
        self.assertEqual(facts["status"], "revoked")
        self.assertEqual(facts["revoked_on"], self.revoked.revoked_at.date().isoformat())
        self.assertContains(response, "Stage non conforme.")
        self.assertContains(response, "verify-status-revoked")

    def test_a_suspended_certificate_says_suspended(self):
        response = self.client.get(f"/v/{self.suspended.code}")

        self.assertEqual(response.context["lookup"].facts["status"], "suspended")
        self.assertContains(response, "verify-status-suspended")

    def test_an_expired_certificate_says_expired(self):
        response = self.client.get(f"/v/{self.expired.code}")

        self.assertEqual(response.context["lookup"].facts["status"], "expired")
        self.assertContains(response, "verify-status-expired")

    def test_a_mistyped_code_is_told_as_a_typo_without_any_database_query(self):
        with self.assertNumQueries(0):
            lookup = selectors.lookup_certificate(with_typo(self.valid.code))

        self.assertEqual(lookup.outcome, selectors.Outcome.TYPO)

    def test_the_typo_page_makes_no_more_queries_than_the_empty_form(self):
        self.client.get("/v/")  # warm the site's caches (menu, site root)
        with CaptureQueriesContext(connection) as blank:
            self.client.get("/v/")
        with CaptureQueriesContext(connection) as typo:
            response = self.client.get(f"/v/{with_typo(self.valid.code)}")

        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.context["lookup"].outcome, "typo")
        # Only the site's header (menu pages) queries the database: never the certificates.
        self.assertLessEqual(len(typo), len(blank))
        self.assertFalse(
            any("certification_certificate" in q["sql"] for q in typo.captured_queries)
        )

    def test_an_unknown_code_and_one_that_never_existed_get_the_same_answer(self):
        unknown_codes = []
        for data in ("ZZZZZZZZZZZZZZZ", "000000000000000"):
            from certification.codes import check_symbol, format_code

            unknown_codes.append(format_code(data + check_symbol(data)))
        first = self.client.get(f"/v/{unknown_codes[0]}")
        second = self.client.get(f"/v/{unknown_codes[1]}")

        self.assertEqual(first.status_code, 404)
        self.assertEqual(second.status_code, 404)
        self.assertEqual(
            _comparable(first.content.decode().replace(unknown_codes[0], "CODE")),
            _comparable(second.content.decode().replace(unknown_codes[1], "CODE")),
        )

    def test_the_page_is_not_indexed(self):
        for code in (self.valid.code, "nonsense"):
            response = self.client.get(f"/v/{code}")
            self.assertIn("noindex", response["X-Robots-Tag"])
            self.assertContains(
                response, '<meta name="robots" content="noindex">', status_code=response.status_code
            )

    def test_the_page_never_shows_email_results_or_other_certificates(self):
        response = self.client.get(f"/v/{self.valid.code}")
        html = response.content.decode()

        self.assertNotIn(self.trainee.email, html)
        for other in (self.revoked, self.suspended, self.expired):
            self.assertNotIn(other.code, html)
        # Random strings (the CSRF token, this certificate's code and PDF hash) may contain
        # "VAE" or "B1" by chance: look at the page without them.
        words = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
        words = re.sub(r"\b[0-9a-f]{64}\b", "", words.replace(self.valid.code, ""))
        self.assertNotIn('csrfmiddlewaretoken" value', words)
        for forbidden in ("B1", "ledger", "hours", "heures", "VAE", "santé"):
            self.assertNotIn(forbidden, words)

    def test_the_form_sends_the_code_to_its_page_without_javascript(self):
        response = self.client.get("/v/", {"code": self.valid.code.lower()})

        self.assertRedirects(response, f"/v/{self.valid.code}", fetch_redirect_response=False)

    def test_the_page_speaks_the_visitors_language(self):
        response = self.client.get(f"/v/{self.valid.code}", headers={"accept-language": "nl"})

        self.assertEqual(response["Content-Language"], "nl")

    def test_each_check_is_logged_without_ip_or_user_agent(self):
        self.client.get(f"/v/{self.valid.code}", REMOTE_ADDR="203.0.113.9")

        entry = VerificationLog.objects.get(certificate=self.valid)
        self.assertEqual(entry.channel, "page")
        self.assertIsNone(entry.partner_account)
        fields = {f.name for f in VerificationLog._meta.get_fields()}
        self.assertEqual(
            fields, {"id", "certificate", "checked_at", "channel", "partner", "partner_account"}
        )

    def test_a_signed_in_partner_is_named_in_the_log(self):
        self.login(self.partner)
        self.client.get(f"/v/{self.valid.code}")

        self.assertEqual(VerificationLog.objects.get().partner_account, self.partner)


class ConfirmTheNameModeTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.certificate = issue(cls.trainee, rendered=False)
        services.set_name_mode(
            certificate=cls.certificate,
            holder=cls.trainee,
            name_mode=VerificationSettings.NameMode.CONFIRM,
        )

    def test_the_name_is_not_shown_but_can_be_confirmed(self):
        response = self.client.get(f"/v/{self.certificate.code}")

        self.assertNotContains(response, self.certificate.name_as_printed)
        self.assertIsNotNone(response.context["name_form"])

    def test_a_name_typed_without_accents_or_capitals_matches(self):
        typed = self.certificate.name_as_printed.upper().replace(" ", "  ")

        response = self.client.post(f"/v/{self.certificate.code}", {"name": f" {typed} "})

        self.assertIs(response.context["name_result"], True)

    def test_accents_do_not_matter_when_confirming(self):
        self.assertTrue(selectors.name_matches(self.certificate, self.certificate.name_as_printed))
        self.assertEqual(
            selectors.credentials.normalise_name("Hélène  Dupont-Ïbo"), "helenedupontibo"
        )

    def test_another_name_does_not_match(self):
        response = self.client.post(f"/v/{self.certificate.code}", {"name": "Quelqu'un d'autre"})

        self.assertIs(response.context["name_result"], False)
        self.assertNotContains(response, self.certificate.name_as_printed)
