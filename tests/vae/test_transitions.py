"""The status table: allowed moves write a history row, forbidden ones a clear message."""

from datetime import timedelta

from django.utils import timezone

from lms.notifications.models import Notification
from tests.base import PersonasTestCase
from tests.vae.factories import make_candidacy, make_vae_certification
from vae import services, transitions
from vae.models import AdmissibilityDecision, Candidacy, CandidacyStatusChange

Status = Candidacy.Status


class TransitionTableTests(PersonasTestCase):
    def test_every_status_of_the_model_is_in_the_table(self):
        self.assertEqual(set(transitions.ALLOWED), set(Status.values))

    def test_closed_and_withdrawn_lead_nowhere(self):
        self.assertEqual(transitions.ALLOWED[Status.CLOSED], frozenset())
        self.assertEqual(transitions.ALLOWED[Status.WITHDRAWN], frozenset())


class TransitionServiceTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework, cls.certification, cls.modules = make_vae_certification()

    def test_a_draft_cannot_be_declared_admissible_and_the_message_names_both_statuses(self):
        candidacy = make_candidacy(self.trainee, self.certification)
        with self.assertRaises(services.TransitionNotAllowed) as caught:
            services.decide_admissibility(
                candidacy=candidacy, by=self.coordinator, outcome="admissible"
            )
        message = caught.exception.messages[0]
        self.assertIn(str(Status.DRAFT.label), message)
        self.assertIn(str(Status.ADMISSIBLE.label), message)
        candidacy.refresh_from_db()
        self.assertEqual(candidacy.status, Status.DRAFT)
        self.assertFalse(AdmissibilityDecision.objects.exists())

    def test_a_withdrawn_candidacy_cannot_be_submitted(self):
        candidacy = make_candidacy(self.trainee, self.certification)
        services.withdraw_candidacy(candidacy=candidacy, by=self.trainee)
        with self.assertRaises(services.TransitionNotAllowed):
            services.submit_candidacy(candidacy=candidacy, by=self.trainee)

    def test_a_candidacy_cannot_be_sent_without_an_experience_and_the_sworn_statement(self):
        candidacy = make_candidacy(self.trainee, self.certification)
        with self.assertRaises(services.VaeError) as caught:
            services.submit_candidacy(candidacy=candidacy, by=self.trainee)
        self.assertEqual(len(caught.exception.messages), 2)

    def test_every_transition_of_a_journey_has_a_history_row(self):
        candidacy = make_candidacy(
            self.trainee,
            self.certification,
            status="jury_scheduled",
            coordinator=self.coordinator,
            jury=(self.assessor, self.other_assessor),
        )
        moves = list(
            CandidacyStatusChange.objects.filter(candidacy=candidacy).values_list(
                "from_status", "to_status"
            )
        )
        self.assertEqual(
            moves,
            [
                ("", "draft"),
                ("draft", "submitted"),
                ("submitted", "admissible"),
                ("admissible", "portfolio_in_progress"),
                ("portfolio_in_progress", "portfolio_submitted"),
                ("portfolio_submitted", "jury_scheduled"),
            ],
        )
        last = CandidacyStatusChange.objects.filter(candidacy=candidacy).last()
        self.assertEqual(last.changed_by, self.coordinator)

    def test_an_incomplete_candidacy_lists_the_missing_pieces_and_comes_back_resubmitted(self):
        candidacy = make_candidacy(
            self.trainee, self.certification, status="submitted", coordinator=self.coordinator
        )
        services.decide_admissibility(
            candidacy=candidacy,
            by=self.coordinator,
            outcome="incomplete",
            missing_pieces=["Attestation de bénévolat"],
        )
        candidacy.refresh_from_db()
        self.assertEqual(candidacy.status, Status.INCOMPLETE)
        notification = Notification.objects.filter(event="vae.incomplete").get()
        self.assertIn("Attestation de bénévolat", notification.body)
        services.submit_candidacy(candidacy=candidacy, by=self.trainee)
        candidacy.refresh_from_db()
        self.assertEqual(candidacy.status, Status.RESUBMITTED)

    def test_incomplete_without_missing_pieces_is_refused(self):
        candidacy = make_candidacy(
            self.trainee, self.certification, status="submitted", coordinator=self.coordinator
        )
        with self.assertRaises(services.VaeError):
            services.decide_admissibility(
                candidacy=candidacy, by=self.coordinator, outcome="incomplete"
            )

    def test_only_a_coordinator_rules_on_admissibility(self):
        candidacy = make_candidacy(
            self.trainee, self.certification, status="submitted", coordinator=self.coordinator
        )
        with self.assertRaises(services.VaeError):
            services.decide_admissibility(
                candidacy=candidacy, by=self.assessor, outcome="admissible"
            )

    def test_the_jury_deadline_follows_the_complete_portfolio(self):
        candidacy = make_candidacy(
            self.trainee,
            self.certification,
            status="portfolio_submitted",
            coordinator=self.coordinator,
        )
        with self.settings(VAE_JURY_WITHIN_WEEKS=6):
            self.assertEqual(
                candidacy.jury_due_on,
                timezone.localdate(candidacy.portfolio_submitted_at) + timedelta(weeks=6),
            )


class LapseTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework, cls.certification, cls.modules = make_vae_certification()

    def test_an_inactive_candidacy_is_warned_then_lapses_and_can_be_contested(self):
        candidacy = make_candidacy(self.trainee, self.certification)
        later = timezone.now() + timedelta(days=151)
        self.assertEqual(services.warn_and_lapse_inactive_candidacies(now=later), (1, 0))
        # Running again the same day changes nothing more.
        self.assertEqual(services.warn_and_lapse_inactive_candidacies(now=later), (0, 0))
        self.assertTrue(Notification.objects.filter(event="vae.lapse_warning").exists())
        much_later = later + timedelta(days=31)
        self.assertEqual(services.warn_and_lapse_inactive_candidacies(now=much_later), (0, 1))
        candidacy.refresh_from_db()
        self.assertEqual(candidacy.status, Status.LAPSED)

        with self.assertRaises(services.VaeError):
            services.contest_lapse(candidacy=candidacy, by=self.trainee, reason=" ")
        services.contest_lapse(candidacy=candidacy, by=self.trainee, reason="J'étais hospitalisée.")
        candidacy.refresh_from_db()
        self.assertEqual(candidacy.status, Status.DRAFT)
        last = CandidacyStatusChange.objects.filter(candidacy=candidacy).last()
        self.assertEqual((last.from_status, last.to_status), ("lapsed", "draft"))
        self.assertEqual(last.reason, "J'étais hospitalisée.")

    def test_the_lapse_reason_is_written_in_the_candidates_language(self):
        self.trainee.preferred_language = "nl"
        self.trainee.save(update_fields=["preferred_language"])
        make_candidacy(self.trainee, self.certification)
        later = timezone.now() + timedelta(days=151)
        services.warn_and_lapse_inactive_candidacies(now=later)

        # The periodic job runs in the site's language (French): the reason must not follow it.
        services.warn_and_lapse_inactive_candidacies(now=later + timedelta(days=31))

        lapsed = Notification.objects.get(recipient=self.trainee, event="vae.lapsed")
        self.assertIn("Geen activiteit sinds de waarschuwing.", lapsed.body)

    def test_activity_postpones_the_warning(self):
        candidacy = make_candidacy(self.trainee, self.certification)
        services.sign_sworn_statement(candidacy=candidacy, by=self.trainee, sworn=True)
        self.assertEqual(
            services.warn_and_lapse_inactive_candidacies(now=timezone.now() + timedelta(days=149)),
            (0, 0),
        )

    def test_a_candidacy_waiting_for_staff_never_lapses(self):
        make_candidacy(
            self.trainee, self.certification, status="submitted", coordinator=self.coordinator
        )
        self.assertEqual(
            services.warn_and_lapse_inactive_candidacies(now=timezone.now() + timedelta(days=400)),
            (0, 0),
        )


class TargetBlocksTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework, cls.certification, cls.modules = make_vae_certification()

    def test_a_request_for_some_blocks_is_about_those_blocks_only(self):
        b2 = self.framework.blocks.get(code="B2")
        candidacy = services.open_candidacy(
            candidate=self.trainee, certification=self.certification, request="blocks", blocks=[b2]
        )
        self.assertEqual(services.target_blocks(candidacy), [b2])

    def test_a_request_for_exemptions_is_about_the_blocks_the_modules_cover(self):
        b3 = self.framework.blocks.get(code="B3")
        module = self.modules["B3"]
        module.competencies.set(b3.competencies.all())
        candidacy = services.open_candidacy(
            candidate=self.trainee,
            certification=self.certification,
            request="exemptions",
            modules=[module],
        )
        self.assertEqual(services.target_blocks(candidacy), [b3])

    def test_a_request_for_blocks_without_any_block_is_refused(self):
        with self.assertRaises(services.VaeError):
            services.open_candidacy(
                candidate=self.trainee, certification=self.certification, request="blocks"
            )
        self.assertFalse(Candidacy.objects.exists())

    def test_opening_twice_returns_the_open_candidacy(self):
        first = services.open_candidacy(candidate=self.trainee, certification=self.certification)
        again = services.open_candidacy(candidate=self.trainee, certification=self.certification)
        self.assertEqual(first, again)
