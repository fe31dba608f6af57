import hashlib

from django.core.files.storage import storages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certification import services
from certification.models import Certificate, LedgerEntry
from tests.base import EnglishPersonasTestCase as PersonasTestCase
from tests.certification.factories import CertificationFactory, RulesFactory
from tests.certification.helpers import make_certification, make_eligible


def read(response) -> bytes:
    return b"".join(response.streaming_content)


class CertificateViewsTestCase(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework, cls.certification = make_certification()
        make_eligible(cls.trainee, cls.framework, source=LedgerEntry.Source.VAE_DECISION)

    def setUp(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.certificate = services.issue_certificate(
                person=self.trainee, certification=self.certification, issued_by=self.coordinator
            )
        self.certificate.refresh_from_db()
        self.download_url = reverse(
            "certification:certificate-download", args=[self.certificate.code]
        )


class MyCertificatesTests(CertificateViewsTestCase):
    @property
    def url(self) -> str:
        # Reversed at test time, in the test's language (English here).
        return reverse("certification:my-certificates")

    def test_anonymous_visitors_are_sent_to_sign_in(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("account_login"), response["Location"])

    def test_the_holder_sees_the_certificate_its_share_link_and_download(self):
        self.login(self.trainee)
        response = self.client.get(self.url)
        self.assertContains(response, self.certificate.code)
        self.assertContains(response, self.certificate.verification_url)
        self.assertContains(response, self.download_url)

    def test_another_trainee_sees_no_certificate_but_their_checklist(self):
        self.login(self.other_trainee)
        response = self.client.get(self.url)
        self.assertNotContains(response, self.certificate.code)
        self.assertContains(response, "You still need block B1, block B2, block B3 and block B4.")

    def test_the_query_count_does_not_grow_with_the_number_of_certificates(self):
        self.login(self.trainee)
        self.client.get(self.url)  # warm the session and caches
        with CaptureQueriesContext(connection) as first:
            self.client.get(self.url)
        other = CertificationFactory(framework_code=self.certification.framework_code)
        RulesFactory(certification=other)
        with self.captureOnCommitCallbacks(execute=True):
            services.issue_certificate(person=self.trainee, certification=other)
        # Neither one more certificate nor one more certification adds a query.
        with self.assertNumQueries(len(first.captured_queries)):
            self.client.get(self.url)

    def test_the_dashboard_shows_the_certificates_panel(self):
        self.login(self.trainee)
        response = self.client.get(reverse("accounts:dashboard"))
        self.assertContains(response, reverse("certification:my-certificates"))
        self.assertContains(response, self.certification.title)


class DownloadTests(CertificateViewsTestCase):
    def test_the_holder_downloads_the_stored_file_byte_for_byte_every_time(self):
        self.login(self.trainee)
        with storages["private"].open(self.certificate.pdf_name, "rb") as file:
            stored = file.read()
        first = self.client.get(self.download_url)
        second = self.client.get(self.download_url)
        self.assertEqual(first["Content-Type"], "application/pdf")
        self.assertEqual(read(first), stored)
        self.assertEqual(read(second), stored)
        self.assertEqual(hashlib.sha256(stored).hexdigest(), self.certificate.pdf_sha256)

    def test_a_typed_code_in_lower_case_finds_the_certificate(self):
        self.login(self.trainee)
        url = reverse("certification:certificate-download", args=[self.certificate.code.lower()])
        self.assertEqual(self.client.get(url).status_code, 200)

    def test_another_trainee_gets_not_found(self):
        self.login(self.other_trainee)
        self.assertEqual(self.client.get(self.download_url).status_code, 404)

    def test_a_trainer_gets_not_found(self):
        self.login(self.trainer)
        self.assertEqual(self.client.get(self.download_url).status_code, 404)

    def test_a_coordinator_may_download_it(self):
        self.login(self.coordinator)
        self.assertEqual(self.client.get(self.download_url).status_code, 200)

    def test_anonymous_visitors_are_sent_to_sign_in(self):
        self.assertEqual(self.client.get(self.download_url).status_code, 302)

    def test_a_missing_pdf_is_rendered_once_then_served_as_stored(self):
        storages["private"].delete(self.certificate.pdf_name)
        self.login(self.trainee)
        body = read(self.client.get(self.download_url))
        certificate = Certificate.objects.get(pk=self.certificate.pk)
        self.assertEqual(hashlib.sha256(body).hexdigest(), certificate.pdf_sha256)
        self.assertEqual(read(self.client.get(self.download_url)), body)


class TranscriptTests(CertificateViewsTestCase):
    def test_the_transcript_lists_blocks_and_how_they_were_acquired(self):
        import io

        from pypdf import PdfReader

        self.login(self.trainee)
        url = reverse("certification:transcript-download", args=[self.certification.code])
        response = self.client.get(url)
        self.assertEqual(response["Content-Type"], "application/pdf")
        text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
        self.assertIn("B4", text)
        self.assertIn("VAE jury decision", text)

    def test_anonymous_visitors_are_sent_to_sign_in(self):
        url = reverse("certification:transcript-download", args=[self.certification.code])
        self.assertEqual(self.client.get(url).status_code, 302)


class PrintedNameTests(PersonasTestCase):
    def test_a_person_chooses_the_name_printed_on_their_next_certificates(self):
        self.login(self.trainee)
        response = self.client.post(
            reverse("certification:printed-name"), {"name": "Julie Martin-Éloi"}
        )
        self.assertRedirects(response, reverse("certification:my-certificates"))
        self.assertEqual(services.printed_name_for(self.trainee), "Julie Martin-Éloi")
