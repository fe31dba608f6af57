"""The whole VAE journey: candidacy → admissible → portfolio → jury → partial award → the
remaining blocks through training → certificate, with both routes on the transcript."""

import io

from django.db import connection
from pypdf import PdfReader

from certification import pdf, selectors
from certification import services as certification_services
from certification.models import Certificate, LedgerEntry
from courses.models import Exemption
from lms.audit.models import AuditEvent
from lms.notifications.models import Notification
from tests.base import PersonasTestCase
from tests.vae.factories import make_candidacy, make_vae_certification, verdicts
from vae import services
from vae.models import BlockOutcome, Candidacy, DecisionIsFinal, JuryDecision


class FullJourneyTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework, cls.certification, cls.modules = make_vae_certification()

    def _decided_partial(self):
        candidacy = make_candidacy(
            self.trainee,
            self.certification,
            status="jury_scheduled",
            coordinator=self.coordinator,
            jury=(self.assessor, self.other_assessor),
        )
        decision = services.record_jury_decision(
            candidacy=candidacy,
            chair=self.assessor,
            overall="partial",
            verdicts=verdicts(self.framework, {"B1", "B2"}),
            recommendations="Suivre les modules B3 et B4.",
            recommended_modules=[self.modules["B3"], self.modules["B4"]],
            exempted_modules=[self.modules["B1"], self.modules["B2"]],
        )
        return candidacy, decision

    def test_a_partial_award_then_training_leads_to_a_certificate_mentioning_both_routes(self):
        candidacy, decision = self._decided_partial()
        candidacy.refresh_from_db()
        self.assertEqual(candidacy.status, Candidacy.Status.DECIDED)
        vae_entries = LedgerEntry.objects.filter(
            person=self.trainee, source=LedgerEntry.Source.VAE_DECISION
        )
        self.assertEqual(sorted(e.block.code for e in vae_entries), ["B1", "B2"])
        self.assertEqual(
            set(
                Exemption.objects.filter(person=self.trainee, source="vae").values_list(
                    "module__code", flat=True
                )
            ),
            {self.modules["B1"].code, self.modules["B2"].code},
        )
        # Not yet eligible: B3 and B4 are missing.
        self.assertFalse(Certificate.objects.filter(holder=self.trainee).exists())

        # The remaining modules are followed; grading writes their blocks, then auto-issues.
        for code in ("B3", "B4"):
            certification_services.record_acquisition(
                person=self.trainee,
                source=LedgerEntry.Source.TRAINING_RESULT,
                block=self.framework.blocks.get(code=code),
                source_reference=f"courses.Result:{code}",
                dedupe_key=f"test-result:{code}",
            )
        certificate = certification_services.issue_if_eligible(
            person=self.trainee, certification=self.certification
        )
        self.assertIsNotNone(certificate)

        holdings = selectors.holdings_for_person(self.trainee, self.framework.code)
        how = {h.code: h.how for h in holdings}
        self.assertIn(str(LedgerEntry.Source.VAE_DECISION.label), how["B1"])
        self.assertIn(str(LedgerEntry.Source.TRAINING_RESULT.label), how["B3"])
        content = pdf.transcript_pdf(
            person_name="Julie",
            certification=self.certification,
            holdings=holdings,
            language="en",
        )
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
        self.assertIn("VAE jury decision", text)
        self.assertIn("Training result", text)

    def test_recording_the_decision_twice_writes_each_block_once(self):
        candidacy, decision = self._decided_partial()
        with self.assertRaises(services.TransitionNotAllowed):
            services.record_jury_decision(
                candidacy=candidacy,
                chair=self.assessor,
                overall="partial",
                verdicts=verdicts(self.framework, {"B1", "B2"}),
            )
        self.assertEqual(
            LedgerEntry.objects.filter(source=LedgerEntry.Source.VAE_DECISION).count(), 2
        )

    def test_the_candidate_is_notified_at_each_step_and_decisions_are_audited(self):
        candidacy, decision = self._decided_partial()
        events = set(
            Notification.objects.filter(recipient=self.trainee).values_list("event", flat=True)
        )
        self.assertTrue(
            {"vae.submitted", "vae.admissible", "vae.portfolio_submitted", "vae.jury_scheduled"}
            | {"vae.decided"}
            <= events
        )
        self.assertTrue(
            AuditEvent.objects.filter(
                action="vae.jury_decision_recorded", target_id=str(decision.pk)
            ).exists()
        )

    def test_justifications_are_encrypted_at_rest(self):
        candidacy, decision = self._decided_partial()
        outcome = decision.outcomes.first()
        self.assertTrue(outcome.justification.startswith("Justification"))
        with connection.cursor() as cursor:
            cursor.execute("SELECT justification FROM vae_blockoutcome WHERE id = %s", [outcome.pk])
            raw = cursor.fetchone()[0]
        self.assertNotIn("Justification", raw)

    def test_a_decision_is_never_edited(self):
        candidacy, decision = self._decided_partial()
        decision.recommendations = "Autre chose"
        with self.assertRaises(DecisionIsFinal):
            decision.save()
        self.assertEqual(
            JuryDecision.objects.get(pk=decision.pk).recommendations,
            "Suivre les modules B3 et B4.",
        )

    def test_an_appeal_leads_to_a_new_decision_that_supersedes_the_first(self):
        candidacy, first = self._decided_partial()
        services.appeal_decision(
            candidacy=candidacy, by=self.trainee, reason="J'ai des preuves pour B3."
        )
        second = services.record_jury_decision(
            candidacy=candidacy,
            chair=self.assessor,
            overall="partial",
            verdicts=verdicts(self.framework, {"B1", "B2", "B3"}),
        )
        self.assertEqual(second.supersedes, first)
        self.assertEqual(services.current_decision(candidacy), second)
        self.assertEqual(
            sorted(
                LedgerEntry.objects.current()
                .filter(person=self.trainee, source=LedgerEntry.Source.VAE_DECISION)
                .values_list("block__code", flat=True)
            ),
            ["B1", "B2", "B3"],
        )
        self.assertEqual(BlockOutcome.objects.filter(decision=second).count(), 4)

    def test_only_the_chair_signs_the_decision(self):
        candidacy = make_candidacy(
            self.trainee,
            self.certification,
            status="jury_scheduled",
            coordinator=self.coordinator,
            jury=(self.assessor, self.other_assessor),
        )
        with self.assertRaises(services.VaeError):
            services.record_jury_decision(
                candidacy=candidacy,
                chair=self.other_assessor,
                overall="full",
                verdicts=verdicts(self.framework, {"B1", "B2", "B3", "B4"}),
            )
        self.assertFalse(JuryDecision.objects.exists())

    def test_an_overall_result_that_contradicts_the_blocks_is_refused(self):
        candidacy = make_candidacy(
            self.trainee,
            self.certification,
            status="jury_scheduled",
            coordinator=self.coordinator,
            jury=(self.assessor, self.other_assessor),
        )
        with self.assertRaises(services.VaeError):
            services.record_jury_decision(
                candidacy=candidacy,
                chair=self.assessor,
                overall="full",
                verdicts=verdicts(self.framework, {"B1"}),
            )


class AppealJuryTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework, cls.certification, cls.modules = make_vae_certification()

    def test_an_appeal_can_go_before_a_new_jury_whose_members_declare_first(self):
        from datetime import timedelta

        from django.utils import timezone

        from lms.accounts.roles import Role
        from tests.lms.factories import UserFactory

        candidacy = make_candidacy(
            self.trainee,
            self.certification,
            status="jury_scheduled",
            coordinator=self.coordinator,
            jury=(self.assessor, self.other_assessor),
        )
        services.record_jury_decision(
            candidacy=candidacy,
            chair=self.assessor,
            overall="none",
            verdicts=verdicts(self.framework, set()),
        )
        services.appeal_decision(candidacy=candidacy, by=self.trainee, reason="Je conteste.")
        third = UserFactory(role=Role.ASSESSOR)
        session = services.create_jury_session(
            by=self.coordinator,
            starts_at=timezone.now() + timedelta(days=10),
            members=[third, self.other_assessor],
            chair=third,
            online=True,
        )
        services.schedule_jury(candidacy=candidacy, session=session, by=self.coordinator)
        candidacy.refresh_from_db()
        self.assertEqual(candidacy.status, Candidacy.Status.APPEALED)
        with self.assertRaises(services.VaeError):
            services.record_jury_decision(
                candidacy=candidacy,
                chair=third,
                overall="partial",
                verdicts=verdicts(self.framework, {"B1"}),
            )
        services.declare_conflict_of_interest(candidacy=candidacy, member=third, has_conflict=False)
        decision = services.record_jury_decision(
            candidacy=candidacy,
            chair=third,
            overall="partial",
            verdicts=verdicts(self.framework, {"B1"}),
        )
        self.assertEqual(decision.jury_session, session)
        self.assertIsNotNone(decision.supersedes)

    def test_opening_a_file_as_staff_is_audited(self):
        from django.urls import reverse

        candidacy = make_candidacy(self.trainee, self.certification)
        self.login(self.coordinator)
        self.client.get(reverse("vae:staff-detail", args=[candidacy.pk]))
        self.assertTrue(
            AuditEvent.objects.filter(
                action="vae.file_viewed", actor=self.coordinator, target_id=str(candidacy.pk)
            ).exists()
        )


class CandidateLanguageTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework, cls.certification, cls.modules = make_vae_certification()

    def test_a_step_email_is_written_in_the_candidates_language_not_the_staffs(self):
        from django.utils import translation

        from lms.notifications.models import OutboxEmail
        from vae.services.candidacies import STATUS_MESSAGES

        self.trainee.preferred_language = "nl"
        self.trainee.save(update_fields=["preferred_language"])
        with translation.override("fr"):  # the person acting reads French
            make_candidacy(self.trainee, self.certification, status="submitted")
        email = OutboxEmail.objects.get(recipient=self.trainee, event="vae.submitted")
        with translation.override("nl"):
            expected = str(STATUS_MESSAGES[Candidacy.Status.SUBMITTED])
        self.assertIn(expected, email.text_body)
        self.assertIn('lang="nl"', email.html_body)
