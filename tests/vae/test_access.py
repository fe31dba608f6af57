"""Who may open a candidacy and its evidence: only the candidate, coordinators, the assigned
counsellor and cleared jury members while assigned. Every download is audited."""

from django.urls import reverse

from lms.audit.models import AuditEvent
from tests.base import PersonasTestCase
from tests.vae.factories import make_candidacy, make_vae_certification, pdf_upload, verdicts
from vae import services


class AccessTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework, cls.certification, cls.modules = make_vae_certification()
        cls.candidacy = make_candidacy(
            cls.trainee,
            cls.certification,
            status="portfolio_submitted",
            coordinator=cls.coordinator,
        )

    def setUp(self):
        # Files live in a per-test temporary folder.
        self.evidence = _evidence_for(self.candidacy)

    def _urls(self):
        return [
            reverse("vae:staff-detail", args=[self.candidacy.pk]),
            reverse("vae:evidence-download", args=[self.evidence.pk]),
        ]

    def test_another_candidate_a_trainer_a_partner_and_an_unassigned_assessor_get_nothing(self):
        for person in (
            self.other_trainee,
            self.trainer,
            self.partner,
            self.assessor,
            self.outsider,
        ):
            self.login(person)
            for url in self._urls():
                with self.subTest(person=person.email, url=url):
                    response = self.client.get(url)
                    self.assertIn(response.status_code, (403, 404))
            response = self.client.get(reverse("vae:candidacy-detail", args=[self.candidacy.pk]))
            self.assertEqual(response.status_code, 404)
        self.assertFalse(AuditEvent.objects.filter(action="vae.evidence_downloaded").exists())

    def test_the_candidate_downloads_their_evidence_as_an_attachment_and_it_is_audited(self):
        self.login(self.trainee)
        response = self.client.get(reverse("vae:evidence-download", args=[self.evidence.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Disposition"].startswith("attachment"))
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(b"".join(response.streaming_content).startswith(b"%PDF-"))
        event = AuditEvent.objects.get(action="vae.evidence_downloaded")
        self.assertEqual((event.actor, event.target_id), (self.trainee, str(self.evidence.pk)))

    def test_a_coordinator_downloads_and_each_download_is_a_new_audit_event(self):
        self.login(self.coordinator)
        url = reverse("vae:evidence-download", args=[self.evidence.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assertEqual(
            AuditEvent.objects.filter(
                action="vae.evidence_downloaded", actor=self.coordinator
            ).count(),
            2,
        )

    def test_the_counsellor_sees_the_file_only_while_assigned(self):
        services.assign_counsellor(
            candidacy=self.candidacy, by=self.coordinator, counsellor=self.assessor
        )
        self.login(self.assessor)
        for url in self._urls():
            self.assertEqual(self.client.get(url).status_code, 200)
        services.assign_counsellor(
            candidacy=self.candidacy, by=self.coordinator, counsellor=self.other_assessor
        )
        for url in self._urls():
            self.assertEqual(self.client.get(url).status_code, 404)


class JuryAccessTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework, cls.certification, cls.modules = make_vae_certification()
        cls.third = _assessor("luc@example.org")

    def setUp(self):
        self.candidacy = make_candidacy(
            self.trainee,
            self.certification,
            status="portfolio_submitted",
            coordinator=self.coordinator,
        )
        self.evidence = _evidence_for(self.candidacy)
        from datetime import timedelta

        from django.utils import timezone

        session = services.create_jury_session(
            by=self.coordinator,
            starts_at=timezone.now() + timedelta(days=7),
            members=[self.assessor, self.third],
            chair=self.assessor,
            online=True,
        )
        services.schedule_jury(candidacy=self.candidacy, session=session, by=self.coordinator)
        self.detail = reverse("vae:staff-detail", args=[self.candidacy.pk])

    def test_a_jury_member_sees_the_file_only_after_declaring_no_conflict(self):
        self.login(self.third)
        self.assertEqual(self.client.get(self.detail).status_code, 404)
        declaration = reverse("vae:conflict-declaration", args=[self.candidacy.pk])
        response = self.client.get(declaration)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Ce que j'ai vécu")
        response = self.client.post(declaration, {"has_conflict": "no"})
        self.assertRedirects(response, self.detail)
        self.assertEqual(self.client.get(self.detail).status_code, 200)

    def test_a_member_declaring_a_conflict_never_sees_the_file_and_the_jury_cannot_decide(self):
        self.login(self.third)
        self.client.post(
            reverse("vae:conflict-declaration", args=[self.candidacy.pk]), {"has_conflict": "yes"}
        )
        self.assertEqual(self.client.get(self.detail).status_code, 404)
        services.declare_conflict_of_interest(
            candidacy=self.candidacy, member=self.assessor, has_conflict=False
        )
        with self.assertRaises(services.VaeError):
            services.record_jury_decision(
                candidacy=self.candidacy,
                chair=self.assessor,
                overall="full",
                verdicts=verdicts(self.framework, {"B1", "B2", "B3", "B4"}),
            )

    def test_jury_members_lose_access_once_the_decision_is_recorded(self):
        for member in (self.assessor, self.third):
            services.declare_conflict_of_interest(
                candidacy=self.candidacy, member=member, has_conflict=False
            )
        self.login(self.third)
        self.assertEqual(self.client.get(self.detail).status_code, 200)
        services.record_jury_decision(
            candidacy=self.candidacy,
            chair=self.assessor,
            overall="partial",
            verdicts=verdicts(self.framework, {"B1"}),
        )
        self.assertEqual(self.client.get(self.detail).status_code, 404)
        url = reverse("vae:evidence-download", args=[self.evidence.pk])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_the_chair_records_the_decision_through_the_form(self):
        for member in (self.assessor, self.third):
            services.declare_conflict_of_interest(
                candidacy=self.candidacy, member=member, has_conflict=False
            )
        self.login(self.assessor)
        url = reverse("vae:jury-decision", args=[self.candidacy.pk])
        self.assertEqual(self.client.get(url).status_code, 200)
        data = {"overall": "partial", "recommendations": "Pratiquer en équipe."}
        for block in self.framework.blocks.all():
            data[f"block_{block.pk}"] = "yes" if block.code in ("B1", "B2") else "no"
            data[f"justification_{block.pk}"] = f"Motif {block.code}"
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302)
        self.candidacy.refresh_from_db()
        self.assertEqual(self.candidacy.status, "decided")

    def test_a_member_who_is_not_chair_cannot_open_the_decision_form(self):
        services.declare_conflict_of_interest(
            candidacy=self.candidacy, member=self.third, has_conflict=False
        )
        self.login(self.third)
        url = reverse("vae:jury-decision", args=[self.candidacy.pk])
        self.assertEqual(self.client.get(url).status_code, 403)


def _assessor(email):
    from lms.accounts.roles import Role
    from tests.lms.factories import UserFactory

    # Assessors get an authenticator app from the factory (two-factor is required for them).
    return UserFactory(email=email, first_name="Luc", role=Role.ASSESSOR)


def _evidence_for(candidacy):
    """An evidence file already in the private storage (as the upload service leaves it)."""
    from vae.models import Evidence

    stored = services.evidence.storage().save("vae/evidence/test-fixture.pdf", pdf_upload())
    return Evidence.objects.create(
        candidacy=candidacy,
        original_name="attestation.pdf",
        stored_name=stored,
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        uploaded_by=candidacy.candidate,
    )
