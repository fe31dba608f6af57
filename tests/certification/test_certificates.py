import hashlib
import io
from datetime import timedelta

import segno
from django.core.files.storage import storages
from django.utils import timezone
from pypdf import PdfReader

from certification import codes, pdf, services
from certification.models import Certificate, LedgerEntry
from certification.services.certificates import _insert_certificate
from lms.accounts.models import User
from tests.base import PersonasTestCase
from tests.certification.helpers import make_certification, make_eligible

Status = Certificate.Status


class IssueTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework, cls.certification = make_certification()
        make_eligible(cls.trainee, cls.framework)

    def issue(self, person=None, **kwargs):
        with self.captureOnCommitCallbacks(execute=True):
            return services.issue_certificate(
                person=person or self.trainee,
                certification=self.certification,
                issued_by=self.coordinator,
                **kwargs,
            )

    def test_it_issues_a_valid_certificate_with_a_well_formed_code_and_history(self):
        certificate = self.issue()
        self.assertEqual(certificate.status, Status.VALID)
        self.assertTrue(codes.is_well_formed(certificate.code))
        self.assertEqual(certificate.register_number, 1)
        self.assertEqual(certificate.framework, self.framework)
        self.assertIsNone(certificate.valid_until)
        self.assertEqual(
            list(certificate.status_changes.values_list("to_status", "changed_by")),
            [(Status.VALID, self.coordinator.pk)],
        )

    def test_issuing_twice_yields_one_certificate(self):
        first = self.issue()
        second = self.issue()
        self.assertEqual(first.pk, second.pk)
        self.assertEqual(Certificate.objects.filter(holder=self.trainee).count(), 1)

    def test_a_concurrent_insert_for_the_same_cycle_returns_the_winners_certificate(self):
        winner = self.issue()
        # The second coordinator's insert hits the unique constraint and reads the winner's row.
        loser, created = _insert_certificate(
            person=self.trainee,
            certification=self.certification,
            cycle=1,
            issued_by=self.coordinator,
            name_as_printed="Julie",
            language="fr",
            valid_until=None,
            renewed_from=None,
        )
        self.assertFalse(created)
        self.assertEqual(loser.pk, winner.pk)
        self.assertEqual(Certificate.objects.count(), 1)

    def test_register_numbers_follow_each_other(self):
        make_eligible(self.other_trainee, self.framework)
        first = self.issue()
        second = self.issue(person=self.other_trainee)
        self.assertEqual((first.register_number, second.register_number), (1, 2))
        self.assertNotEqual(first.code, second.code)

    def test_a_person_who_is_not_eligible_gets_no_certificate_and_is_told_why(self):
        with self.assertRaisesMessage(services.CertificationError, "block B1"):
            self.issue(person=self.other_trainee)
        self.assertFalse(Certificate.objects.exists())

    def test_the_printed_name_is_the_persons_choice(self):
        services.set_printed_name(person=self.trainee, name="  Julie  M.  Martin ")
        self.assertEqual(self.issue().name_as_printed, "Julie M. Martin")

    def test_auto_issue_issues_once_when_eligible_and_never_otherwise(self):
        with self.captureOnCommitCallbacks(execute=True):
            first = services.issue_if_eligible(
                person=self.trainee, certification=self.certification
            )
            again = services.issue_if_eligible(
                person=self.trainee, certification=self.certification
            )
            nobody = services.issue_if_eligible(
                person=self.other_trainee, certification=self.certification
            )
        self.assertIsNotNone(first)
        self.assertIsNone(again)
        self.assertIsNone(nobody)
        self.assertEqual(Certificate.objects.count(), 1)

    def test_bulk_issue_skips_people_no_longer_eligible(self):
        with self.captureOnCommitCallbacks(execute=True):
            issued = services.issue_certificates(
                people=[self.trainee, self.other_trainee],
                certification=self.certification,
                issued_by=self.coordinator,
            )
        self.assertEqual([c.holder for c in issued], [self.trainee])


class LifecycleTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework, cls.certification = make_certification(
            validity_months=24, renewal_hours=20, renewal_ethics_hours=6
        )
        make_eligible(cls.trainee, cls.framework)

    def setUp(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.certificate = services.issue_certificate(
                person=self.trainee, certification=self.certification, issued_by=self.coordinator
            )

    def test_a_time_limited_certificate_has_an_end_date(self):
        today = timezone.localdate()
        self.assertEqual(self.certificate.valid_until.year, today.year + 2)

    def test_revoking_keeps_the_record_its_date_and_reason(self):
        services.revoke_certificate(
            certificate=self.certificate, by=self.coordinator, reason="Fraude au stage"
        )
        self.certificate.refresh_from_db()
        self.assertEqual(self.certificate.status, Status.REVOKED)
        self.assertEqual(self.certificate.revocation_reason, "Fraude au stage")
        self.assertIsNotNone(self.certificate.revoked_at)
        change = self.certificate.status_changes.last()
        self.assertEqual(
            (change.from_status, change.to_status, change.reason, change.changed_by),
            (Status.VALID, Status.REVOKED, "Fraude au stage", self.coordinator),
        )

    def test_a_revocation_needs_a_reason(self):
        with self.assertRaises(services.CertificationError):
            services.revoke_certificate(
                certificate=self.certificate, by=self.coordinator, reason=""
            )

    def test_suspend_then_reinstate(self):
        services.suspend_certificate(
            certificate=self.certificate, by=self.coordinator, reason="Vérification"
        )
        reinstated = services.reinstate_certificate(
            certificate=self.certificate, by=self.coordinator
        )
        self.assertEqual(reinstated.status, Status.VALID)
        self.assertEqual(
            list(self.certificate.status_changes.values_list("to_status", flat=True)),
            [Status.VALID, Status.SUSPENDED, Status.VALID],
        )

    def test_a_revoked_certificate_cannot_be_reinstated(self):
        services.revoke_certificate(certificate=self.certificate, by=self.coordinator, reason="x")
        with self.assertRaises(services.CertificationError):
            services.reinstate_certificate(certificate=self.certificate, by=self.coordinator)

    def test_certificates_past_their_date_expire(self):
        later = self.certificate.valid_until + timedelta(days=1)
        self.assertEqual(services.expire_certificates(today=self.certificate.valid_until), 0)
        self.assertEqual(services.expire_certificates(today=later), 1)
        self.certificate.refresh_from_db()
        self.assertEqual(self.certificate.status, Status.EXPIRED)
        self.assertEqual(services.expire_certificates(today=later), 0)

    def test_renewal_needs_continuing_education_with_its_ethics_share(self):
        services.record_hours(
            person=self.trainee,
            hours_kind=LedgerEntry.HoursKind.CONTINUING_EDUCATION,
            hours=18,
            source=LedgerEntry.Source.TRAINING_RESULT,
        )
        with self.assertRaisesMessage(services.CertificationError, "6 h of ethics"):
            services.renew_certificate(certificate=self.certificate, by=self.coordinator)
        services.record_hours(
            person=self.trainee,
            hours_kind=LedgerEntry.HoursKind.ETHICS,
            hours=6,
            source=LedgerEntry.Source.TRAINING_RESULT,
        )
        with self.captureOnCommitCallbacks(execute=True):
            renewal = services.renew_certificate(certificate=self.certificate, by=self.coordinator)
            again = services.renew_certificate(certificate=self.certificate, by=self.coordinator)
        self.assertEqual(renewal.pk, again.pk)
        self.assertEqual((renewal.cycle, renewal.renewed_from), (2, self.certificate))
        self.assertGreater(renewal.valid_until, self.certificate.valid_until)
        renewal.refresh_from_db()
        self.assertTrue(renewal.pdf_sha256)


class PdfTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework, cls.certification = make_certification()
        make_eligible(cls.trainee, cls.framework)

    def setUp(self):
        services.set_printed_name(person=self.trainee, name="Julie Œuvray-Dubè")
        with self.captureOnCommitCallbacks(execute=True):
            certificate = services.issue_certificate(
                person=self.trainee, certification=self.certification
            )
        self.certificate = Certificate.objects.get(pk=certificate.pk)
        with storages["private"].open(self.certificate.pdf_name, "rb") as file:
            self.content = file.read()
        reader = PdfReader(io.BytesIO(self.content))
        self.page_count = len(reader.pages)
        self.page = reader.pages[0]

    def test_the_task_stored_the_pdf_with_its_sha256(self):
        self.assertTrue(self.content.startswith(b"%PDF"))
        self.assertEqual(hashlib.sha256(self.content).hexdigest(), self.certificate.pdf_sha256)

    def test_the_pdf_text_holds_the_name_title_and_code(self):
        text = self.page.extract_text()
        self.assertIn("Julie Œuvray-Dubè", text)
        self.assertIn(self.certification.title, text)
        self.assertIn(self.certificate.code, text)
        self.assertIn(self.certification.issuing_body, text)
        self.assertIn("Sophie Lambert", text)

    def test_the_page_is_a4_landscape_with_embedded_fonts(self):
        self.assertEqual(self.page_count, 1)
        width, height = float(self.page.mediabox.width), float(self.page.mediabox.height)
        self.assertAlmostEqual(width, 841.89, places=1)
        self.assertAlmostEqual(height, 595.28, places=1)
        fonts = [f.get_object() for f in self.page["/Resources"]["/Font"].values()]
        embedded = [f for f in fonts if f.get("/Subtype") == "/TrueType"]
        self.assertTrue(any("Vera" in str(f["/BaseFont"]) for f in embedded))

    def test_the_qr_code_encodes_the_verification_url(self):
        url = self.certificate.verification_url
        self.assertTrue(url.endswith(f"/v/{self.certificate.code}"))
        (image,) = self.page.images
        picture = image.image.convert("L")
        expected = segno.make(url, error="m", micro=False)
        size = expected.symbol_size(border=0)[0]
        self.assertEqual(picture.size, (size * pdf.QR_SCALE, size * pdf.QR_SCALE))
        # Read the modules back from the embedded pixels, one sample per module centre.
        half = pdf.QR_SCALE // 2
        modules = [
            [
                picture.getpixel((x * pdf.QR_SCALE + half, y * pdf.QR_SCALE + half)) < 128
                for x in range(size)
            ]
            for y in range(size)
        ]
        self.assertEqual(modules, [[bool(v) for v in row] for row in expected.matrix])
        # A QR code of any other URL differs.
        other = segno.make(url + "X", error="m", micro=False)
        self.assertNotEqual(modules, [[bool(v) for v in row] for row in other.matrix])

    def test_the_verification_url_is_also_a_link_on_the_page(self):
        uris = [a.get_object()["/A"]["/URI"] for a in self.page["/Annots"]]
        self.assertIn(self.certificate.verification_url, uris)

    def test_rendering_again_changes_nothing(self):
        services.render_certificate_pdf(certificate=self.certificate)
        again = Certificate.objects.get(pk=self.certificate.pk)
        self.assertEqual(
            (again.pdf_name, again.pdf_sha256),
            (self.certificate.pdf_name, self.certificate.pdf_sha256),
        )
        with storages["private"].open(again.pdf_name, "rb") as file:
            self.assertEqual(file.read(), self.content)


# Month names written out, so the test does not ask Django what it is testing.
MONTHS = {
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
}


class PdfLanguageTests(PersonasTestCase):
    """The certificate is printed in its holder's language: labels and the month of the date."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework, cls.certification = make_certification()
        make_eligible(cls.trainee, cls.framework)

    def pdf_text(self, language: str) -> tuple[Certificate, str]:
        User.objects.filter(pk=self.trainee.pk).update(preferred_language=language)
        self.trainee.refresh_from_db()
        with self.captureOnCommitCallbacks(execute=True):
            certificate = services.issue_certificate(
                person=self.trainee, certification=self.certification
            )
        certificate = Certificate.objects.get(pk=certificate.pk)
        with storages["private"].open(certificate.pdf_name, "rb") as file:
            reader = PdfReader(io.BytesIO(file.read()))
        return certificate, " ".join(page.extract_text() for page in reader.pages)

    def month(self, language: str, certificate: Certificate) -> str:
        return MONTHS[language].split()[timezone.localtime(certificate.issued_at).month - 1]

    def test_a_dutch_speaking_holder_gets_a_certificate_in_dutch(self):
        certificate, text = self.pdf_text("nl")

        self.assertEqual(certificate.language, "nl")
        self.assertIn("CERTIFICAAT", text)  # text-transform: uppercase
        self.assertIn("wordt uitgereikt aan", text)
        self.assertIn("Verificatiecode", text)
        self.assertIn(f"Uitgereikt op {timezone.localtime(certificate.issued_at).day} ", text)
        self.assertIn(self.month("nl", certificate), text)
        self.assertNotIn(self.month("fr", certificate), text)
        self.assertNotIn("Délivré le", text)

    def test_a_french_speaking_holder_gets_a_certificate_in_french(self):
        certificate, text = self.pdf_text("fr")

        self.assertEqual(certificate.language, "fr")
        self.assertIn("est décerné à", text)
        self.assertIn("Code de vérification", text)
        self.assertIn(f"Délivré le {timezone.localtime(certificate.issued_at).day} ", text)
        self.assertIn(self.month("fr", certificate), text)
        self.assertNotIn(self.month("nl", certificate), text)
        self.assertNotIn("Uitgereikt op", text)


class AutoIssueEverywhereAndExpiryReminderTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework, cls.certification = make_certification(validity_months=24)

    def test_a_ledger_write_that_completes_the_rules_issues_the_certificate(self):
        blocks = list(self.framework.blocks.all())
        for block in blocks[:-1]:
            services.record_acquisition(
                person=self.trainee, block=block, source=LedgerEntry.Source.VAE_DECISION
            )
        self.assertEqual(services.issue_where_eligible(person=self.trainee), [])
        services.record_acquisition(
            person=self.trainee, block=blocks[-1], source=LedgerEntry.Source.VAE_DECISION
        )
        with self.captureOnCommitCallbacks(execute=True):
            (certificate,) = services.issue_where_eligible(person=self.trainee)
        self.assertEqual(certificate.holder, self.trainee)
        self.assertEqual(services.issue_where_eligible(person=self.trainee), [])

    def test_certificates_ending_soon_are_listed_for_reminders(self):
        from certification import selectors

        make_eligible(self.trainee, self.framework)
        with self.captureOnCommitCallbacks(execute=True):
            certificate = services.issue_certificate(
                person=self.trainee, certification=self.certification
            )
        soon = certificate.valid_until - timedelta(days=20)
        self.assertEqual(
            list(selectors.certificates_expiring_within(30, today=soon)), [certificate]
        )
        self.assertEqual(list(selectors.certificates_expiring_within(10, today=soon)), [])


class ImmutabilityTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework, cls.certification = make_certification()
        make_eligible(cls.trainee, cls.framework)

    def test_what_an_issued_certificate_says_cannot_be_changed(self):
        from certification.models import CertificateIsImmutable

        with self.captureOnCommitCallbacks(execute=True):
            certificate = services.issue_certificate(
                person=self.trainee, certification=self.certification
            )
        certificate.refresh_from_db()
        certificate.name_as_printed = "Quelqu'un d'autre"
        with self.assertRaises(CertificateIsImmutable):
            certificate.save()
        with self.assertRaises(CertificateIsImmutable):
            certificate.save(update_fields=["name_as_printed"])
        certificate.refresh_from_db()
        self.assertNotEqual(certificate.name_as_printed, "Quelqu'un d'autre")
