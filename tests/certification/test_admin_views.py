from django.urls import reverse

from certification import services
from certification.models import Certificate, CertificationRules, CompetencyFramework
from tests.base import EnglishPersonasTestCase as PersonasTestCase
from tests.certification.helpers import make_certification, make_eligible


class AdminTestCase(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework, cls.certification = make_certification()
        make_eligible(cls.trainee, cls.framework)
        make_eligible(cls.other_trainee, cls.framework)


class CertificateAdminTests(AdminTestCase):
    def setUp(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.certificate = services.issue_certificate(
                person=self.trainee, certification=self.certification
            )

    def test_a_coordinator_lists_and_filters_certificates(self):
        self.login(self.coordinator)
        url = reverse("certification_admin:certificate-list")
        response = self.client.get(url)
        self.assertContains(response, self.certificate.code)
        response = self.client.get(url, {"status": "revoked"})
        self.assertNotContains(response, self.certificate.code)
        response = self.client.get(url, {"q": self.certificate.code.lower()})
        self.assertContains(response, self.certificate.code)

    def test_the_list_needs_the_same_number_of_queries_for_more_certificates(self):
        self.login(self.coordinator)
        url = reverse("certification_admin:certificate-list")
        self.client.get(url)
        before = len(self._queries(url))
        with self.captureOnCommitCallbacks(execute=True):
            services.issue_certificate(person=self.other_trainee, certification=self.certification)
        with self.assertNumQueries(before):
            response = self.client.get(url)
        self.assertContains(response, "<code>", count=2)

    def _queries(self, url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as context:
            self.client.get(url)
        return context.captured_queries

    def test_the_admin_menu_offers_the_certification_screens_to_coordinators(self):
        self.login(self.coordinator)
        response = self.client.get("/admin/")
        self.assertContains(response, reverse("certification_admin:certificate-list"))

    def test_trainees_and_trainers_cannot_reach_the_admin_screens(self):
        for person in (self.trainee, self.trainer):
            self.login(person)
            response = self.client.get(reverse("certification_admin:certificate-list"))
            self.assertNotEqual(response.status_code, 200)

    def test_revoking_asks_for_confirmation_and_a_reason_then_keeps_them(self):
        self.login(self.coordinator)
        url = reverse(
            "certification_admin:certificate-status", args=[self.certificate.pk, "revoke"]
        )
        self.assertContains(self.client.get(url), "Revoke this certificate?")
        self.client.post(url, {"reason": ""})
        self.certificate.refresh_from_db()
        self.assertEqual(self.certificate.status, Certificate.Status.VALID)
        self.client.post(url, {"reason": "Stage non effectué"})
        self.certificate.refresh_from_db()
        self.assertEqual(self.certificate.status, Certificate.Status.REVOKED)
        self.assertEqual(self.certificate.revocation_reason, "Stage non effectué")
        detail = self.client.get(
            reverse("certification_admin:certificate-detail", args=[self.certificate.pk])
        )
        self.assertContains(detail, "Stage non effectué")

    def test_a_partner_cannot_revoke(self):
        self.login(self.partner)
        url = reverse(
            "certification_admin:certificate-status", args=[self.certificate.pk, "revoke"]
        )
        self.client.post(url, {"reason": "x"})
        self.certificate.refresh_from_db()
        self.assertEqual(self.certificate.status, Certificate.Status.VALID)


class IssueAdminTests(AdminTestCase):
    def test_the_eligible_list_shows_who_can_receive_it_and_bulk_issue_issues_once(self):
        self.login(self.coordinator)
        url = reverse("certification_admin:issue", args=[self.certification.pk])
        response = self.client.get(url)
        self.assertContains(response, self.trainee.email)
        self.assertContains(response, self.other_trainee.email)
        self.assertNotContains(response, self.trainer.email)
        data = {"person": [self.trainee.pk, self.other_trainee.pk]}
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(url, data)
            self.client.post(url, data)  # a double click
        self.assertEqual(Certificate.objects.filter(certification=self.certification).count(), 2)
        self.assertNotContains(self.client.get(url), self.trainee.email)

    def test_a_trainee_cannot_issue(self):
        self.login(self.trainee)
        url = reverse("certification_admin:issue", args=[self.certification.pk])
        self.client.post(url, {"person": [self.trainee.pk]})
        self.assertFalse(Certificate.objects.exists())


class FrameworkAndRulesAdminTests(AdminTestCase):
    def test_a_coordinator_creates_and_activates_a_new_version(self):
        self.login(self.coordinator)
        response = self.client.post(
            reverse("certification_admin:framework-new-version", args=[self.framework.pk])
        )
        draft = CompetencyFramework.objects.get(code=self.framework.code, version=2)
        self.assertRedirects(
            response, reverse("certification_admin:framework-detail", args=[draft.pk])
        )
        activate = reverse("certification_admin:framework-activate", args=[draft.pk])
        self.assertContains(self.client.get(activate), "retired")
        self.client.post(activate)
        draft.refresh_from_db()
        self.assertEqual(draft.status, CompetencyFramework.Status.ACTIVE)

    def test_the_framework_exports_as_json_and_csv(self):
        self.login(self.coordinator)
        for fmt in ("json", "csv"):
            response = self.client.get(
                reverse("certification_admin:framework-export", args=[self.framework.pk, fmt])
            )
            self.assertContains(response, "B1.1")

    def test_a_coordinator_edits_the_rules(self):
        self.login(self.coordinator)
        url = reverse("certification_admin:rules-edit", args=[self.certification.pk])
        response = self.client.post(
            url,
            {
                "required_block_codes": "b1, B4",
                "total_training_hours": "84",
                "ethics_hours": "16",
                "min_attendance_rate": "80",
                "internship_hours": "35",
                "supervision_hours": "4",
                "validity_months": "24",
                "renewal_hours": "20",
                "renewal_ethics_hours": "6",
                "auto_issue": "on",
                "signatories": "Sophie Lambert, coordinatrice",
            },
        )
        self.assertRedirects(response, reverse("certification_admin:certification-list"))
        rules = CertificationRules.objects.get(certification=self.certification)
        self.assertEqual(rules.required_block_codes, ["B1", "B4"])
        self.assertEqual(rules.validity_months, 24)

    def test_a_trainer_cannot_create_a_version(self):
        self.login(self.trainer)
        self.client.post(
            reverse("certification_admin:framework-new-version", args=[self.framework.pk])
        )
        self.assertFalse(CompetencyFramework.objects.filter(version=2).exists())


class ImportAndRenewAdminTests(AdminTestCase):
    def test_an_uploaded_csv_becomes_a_draft_version(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from certification import exchange

        self.login(self.coordinator)
        upload = SimpleUploadedFile(
            "referentiel.csv", exchange.export_csv(self.framework).encode("utf-8"), "text/csv"
        )
        response = self.client.post(
            reverse("certification_admin:framework-import"), {"file": upload}
        )
        draft = CompetencyFramework.objects.get(code=self.framework.code, version=2)
        self.assertRedirects(
            response, reverse("certification_admin:framework-detail", args=[draft.pk])
        )
        self.assertEqual(draft.status, CompetencyFramework.Status.DRAFT)
        self.assertEqual(draft.blocks.count(), self.framework.blocks.count())

    def test_an_unreadable_file_is_refused_with_a_message(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        self.login(self.coordinator)
        upload = SimpleUploadedFile("referentiel.json", b"{not json", "application/json")
        response = self.client.post(
            reverse("certification_admin:framework-import"), {"file": upload}
        )
        self.assertContains(response, "The file could not be read")
        self.assertFalse(CompetencyFramework.objects.filter(version=2).exists())

    def test_a_coordinator_renews_a_certificate_when_the_hours_are_done(self):
        rules = self.certification.rules
        rules.validity_months = 24
        rules.renewal_hours = 20
        rules.save()
        with self.captureOnCommitCallbacks(execute=True):
            certificate = services.issue_certificate(
                person=self.trainee, certification=self.certification
            )
        self.login(self.coordinator)
        url = reverse("certification_admin:certificate-renew", args=[certificate.pk])
        detail = reverse("certification_admin:certificate-detail", args=[certificate.pk])
        self.assertContains(self.client.get(detail), url)
        self.client.post(url)
        self.assertFalse(Certificate.objects.filter(renewed_from=certificate).exists())
        from certification.models import LedgerEntry

        services.record_hours(
            person=self.trainee,
            hours_kind=LedgerEntry.HoursKind.CONTINUING_EDUCATION,
            hours=20,
            source=LedgerEntry.Source.TRAINING_RESULT,
        )
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(url)
        renewal = Certificate.objects.get(renewed_from=certificate)
        self.assertEqual(renewal.cycle, 2)
