"""The certificate PDF carries the same signed credential the API serves."""

from certification import pdf
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
