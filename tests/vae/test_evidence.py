"""Evidence uploads: checked on content, refused kindly with nothing stored."""

import io
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.base import PersonasTestCase
from tests.vae.factories import PDF_BYTES, make_candidacy, make_vae_certification, pdf_upload
from vae import services
from vae.evidence_types import DOCX, ODT, detect_type
from vae.models import Evidence


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _stored_files() -> list[Path]:
    root = Path(settings.STORAGES["private"]["OPTIONS"]["location"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


class DetectTypeTests(PersonasTestCase):
    def test_it_knows_documents_by_their_content(self):
        self.assertEqual(detect_type(PDF_BYTES), "application/pdf")
        self.assertEqual(detect_type(b"\x89PNG\r\n\x1a\n...."), "image/png")
        self.assertEqual(detect_type(b"\xff\xd8\xff\xe0...."), "image/jpeg")
        docx = _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"})
        self.assertEqual(detect_type(docx), DOCX)
        self.assertEqual(detect_type(_zip({"mimetype": ODT.encode()})), ODT)

    def test_it_refuses_web_pages_programs_and_other_archives(self):
        self.assertIsNone(detect_type(b"<html><script>alert(1)</script></html>"))
        self.assertIsNone(detect_type(b"MZ\x90\x00\x03"))
        self.assertIsNone(detect_type(_zip({"payload.exe": b"MZ"})))
        self.assertIsNone(detect_type(_zip({"mimetype": b"application/x-evil"})))


class UploadEvidenceTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework, cls.certification, cls.modules = make_vae_certification()

    def setUp(self):
        self.candidacy = make_candidacy(self.trainee, self.certification)

    def test_a_real_pdf_is_stored_privately_under_a_random_name(self):
        evidence = services.upload_evidence(
            candidacy=self.candidacy, by=self.trainee, upload=pdf_upload("mon attestation.pdf")
        )
        self.assertEqual(evidence.original_name, "mon attestation.pdf")
        self.assertNotIn("attestation", evidence.stored_name)
        self.assertTrue(evidence.stored_name.endswith(".pdf"))
        self.assertTrue(storages["private"].exists(evidence.stored_name))
        self.assertEqual(len(_stored_files()), 1)

    def test_a_web_page_renamed_pdf_is_refused_and_nothing_is_stored(self):
        upload = SimpleUploadedFile(
            "attestation.pdf", b"<!DOCTYPE html><html>piege</html>", content_type="application/pdf"
        )
        with self.assertRaises(services.EvidenceRefused) as caught:
            services.upload_evidence(candidacy=self.candidacy, by=self.trainee, upload=upload)
        self.assertIn("PDF", caught.exception.messages[0])
        self.assertFalse(Evidence.objects.exists())
        self.assertEqual(_stored_files(), [])

    def test_a_program_renamed_pdf_is_refused(self):
        upload = SimpleUploadedFile("cv.pdf", b"MZ\x90\x00" + b"\x00" * 100)
        with self.assertRaises(services.EvidenceRefused):
            services.upload_evidence(candidacy=self.candidacy, by=self.trainee, upload=upload)
        self.assertFalse(Evidence.objects.exists())
        self.assertEqual(_stored_files(), [])

    def test_a_file_too_large_is_refused_and_nothing_is_stored(self):
        with self.settings(VAE_EVIDENCE_MAX_BYTES=1000):
            upload = pdf_upload(content=PDF_BYTES + b"0" * 2000)
            with self.assertRaises(services.EvidenceRefused):
                services.upload_evidence(candidacy=self.candidacy, by=self.trainee, upload=upload)
        self.assertFalse(Evidence.objects.exists())
        self.assertEqual(_stored_files(), [])

    def test_another_person_cannot_add_evidence_to_a_file(self):
        with self.assertRaises(services.VaeError):
            services.upload_evidence(
                candidacy=self.candidacy, by=self.other_trainee, upload=pdf_upload()
            )
        self.assertEqual(_stored_files(), [])


class RetentionTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework, cls.certification, cls.modules = make_vae_certification()

    def test_evidence_of_a_candidacy_withdrawn_long_ago_is_erased(self):
        from datetime import timedelta

        from django.utils import timezone

        candidacy = make_candidacy(self.trainee, self.certification)
        services.upload_evidence(candidacy=candidacy, by=self.trainee, upload=pdf_upload())
        services.withdraw_candidacy(candidacy=candidacy, by=self.trainee)
        self.assertEqual(services.apply_retention(), 0)
        with self.captureOnCommitCallbacks(execute=True):
            purged = services.apply_retention(now=timezone.now() + timedelta(days=800))
        self.assertEqual(purged, 1)
        self.assertFalse(Evidence.objects.exists())
        self.assertEqual(_stored_files(), [])
