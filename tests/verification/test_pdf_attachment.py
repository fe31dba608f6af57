"""The certificate PDF carries the same signed credential the API serves."""

from hashlib import sha256

from django.core.files.storage import storages
from django.test import override_settings

from certification import pdf
from certification import services as certification_services
from certification.verification import pdf_attachment
from tests.base import PersonasTestCase
from tests.verification.helpers import issue, with_signing_key


@with_signing_key()
class PdfAttachmentTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.certificate = issue(cls.trainee, rendered=False)

    def test_the_credential_embedded_in_the_pdf_is_the_one_the_api_serves(self):
        served = self.client.get(f"/api/v1/certificates/{self.certificate.code}/credential")

        finished = pdf_attachment.finish_certificate_pdf(
            self.certificate, pdf.certificate_pdf(self.certificate)
        )

        self.assertTrue(finished.startswith(b"%PDF"))
        self.assertEqual(pdf_attachment.attached_credential(finished), served.content.decode())

    def test_a_pdf_without_attachment_has_no_credential(self):
        self.assertIsNone(pdf_attachment.attached_credential(pdf.certificate_pdf(self.certificate)))


@with_signing_key()
class StoredPdfTests(PersonasTestCase):
    """Through certification's own rendering: the stored PDF carries the credential."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.certificate = issue(cls.trainee, rendered=False)

    def test_the_stored_pdf_carries_the_served_credential_and_the_page_shows_its_hash(self):
        rendered = certification_services.render_certificate_pdf(certificate=self.certificate)
        stored = storages["private"].open(rendered.pdf_name, "rb").read()

        served = self.client.get(f"/api/v1/certificates/{self.certificate.code}/credential")
        page = self.client.get(f"/v/{self.certificate.code}")

        self.assertEqual(pdf_attachment.attached_credential(stored), served.content.decode())
        self.assertEqual(page.context["lookup"].facts["pdf_sha256"], sha256(stored).hexdigest())
        self.assertContains(page, sha256(stored).hexdigest())

    def test_without_a_signing_key_the_pdf_is_still_stored(self):
        with override_settings(CREDENTIAL_SIGNING_KEY="", CREDENTIAL_SIGNING_KEY_FILE=""):
            rendered = certification_services.render_certificate_pdf(certificate=self.certificate)

        stored = storages["private"].open(rendered.pdf_name, "rb").read()
        self.assertIsNone(pdf_attachment.attached_credential(stored))
        self.assertEqual(rendered.pdf_sha256, sha256(stored).hexdigest())
