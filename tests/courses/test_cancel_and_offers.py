from datetime import timedelta

from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone, translation

from courses import services
from courses.models import Enrolment, EnrolmentStatusChange
from lms.accounts.roles import Role
from lms.notifications.models import OutboxEmail
from tests.courses.base import EnglishPersonasTestCase as PersonasTestCase
from tests.lms.factories import UserFactory

from .factories import SessionFactory


class CancellationDeadlineTests(PersonasTestCase):
    def test_a_trainee_can_cancel_before_the_deadline(self):
        session = SessionFactory(cancellation_hours=48, meetings__days=10)
        enrolment = services.enrol_trainee(session=session, trainee=self.trainee)
        services.cancel_enrolment(enrolment=enrolment, by=self.trainee, reason="Je suis malade")
        enrolment.refresh_from_db()
        self.assertEqual(enrolment.status, Enrolment.Status.CANCELLED_BY_TRAINEE)

    def test_a_trainee_cannot_cancel_after_the_deadline(self):
        session = SessionFactory(cancellation_hours=24 * 20, meetings__days=10)
        enrolment = services.enrol_trainee(session=session, trainee=self.trainee)
        with self.assertRaises(ValidationError) as caught:
            services.cancel_enrolment(enrolment=enrolment, by=self.trainee)
        self.assertEqual(caught.exception.code, "deadline_passed")
        self.assertIn("coordination", caught.exception.messages[0])

    def test_a_trainee_can_leave_the_waiting_list_after_the_deadline(self):
        session = SessionFactory(capacity=1, cancellation_hours=24 * 20, meetings__days=10)
        services.enrol_trainee(session=session, trainee=self.other_trainee)
        waiting = services.enrol_trainee(session=session, trainee=self.trainee)
        services.cancel_enrolment(enrolment=waiting, by=self.trainee)
        waiting.refresh_from_db()
        self.assertEqual(waiting.status, Enrolment.Status.CANCELLED_BY_TRAINEE)

    def test_a_coordinator_can_cancel_after_the_deadline_with_a_reason(self):
        session = SessionFactory(cancellation_hours=24 * 20, meetings__days=10)
        enrolment = services.enrol_trainee(session=session, trainee=self.trainee)
        with self.assertRaises(ValidationError):
            services.cancel_enrolment(enrolment=enrolment, by=self.coordinator, reason=" ")
        services.cancel_enrolment(enrolment=enrolment, by=self.coordinator, reason="Absent")
        enrolment.refresh_from_db()
        self.assertEqual(enrolment.status, Enrolment.Status.CANCELLED_BY_COORDINATOR)
        self.assertEqual(enrolment.status_changes.last().reason, "Absent")

    def test_another_trainee_cannot_cancel_someone_elses_enrolment(self):
        session = SessionFactory()
        enrolment = services.enrol_trainee(session=session, trainee=self.trainee)
        with self.assertRaises(PermissionDenied):
            services.cancel_enrolment(enrolment=enrolment, by=self.other_trainee, reason="x")


@override_settings(COURSES_OFFER_HOURS=48)
class OfferTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.third = UserFactory(first_name="Amina", role=Role.TRAINEE)
        cls.session = SessionFactory(capacity=1)

    def setUp(self):
        self.first = services.enrol_trainee(session=self.session, trainee=self.trainee)
        self.second = services.enrol_trainee(session=self.session, trainee=self.other_trainee)
        self.third_enrolment = services.enrol_trainee(session=self.session, trainee=self.third)

    def test_a_freed_place_is_offered_to_the_first_person_waiting_for_48_hours(self):
        before = timezone.now()
        services.cancel_enrolment(enrolment=self.first, by=self.trainee)
        self.second.refresh_from_db()
        self.third_enrolment.refresh_from_db()
        self.assertEqual(self.second.status, Enrolment.Status.OFFERED)
        self.assertEqual(self.third_enrolment.status, Enrolment.Status.WAITING_LIST)
        self.assertAlmostEqual(
            self.second.offer_expires_at, before + timedelta(hours=48), delta=timedelta(minutes=1)
        )

    def test_the_offer_holds_the_place_against_newcomers(self):
        services.cancel_enrolment(enrolment=self.first, by=self.trainee)
        newcomer = services.enrol_trainee(session=self.session, trainee=self.outsider)
        self.assertEqual(newcomer.status, Enrolment.Status.WAITING_LIST)

    def test_accepting_the_offer_confirms_the_place(self):
        services.cancel_enrolment(enrolment=self.first, by=self.trainee)
        services.accept_offer(enrolment=self.second, trainee=self.other_trainee)
        self.second.refresh_from_db()
        self.assertEqual(self.second.status, Enrolment.Status.CONFIRMED)
        self.assertIsNone(self.second.offer_expires_at)

    def test_declining_rolls_the_offer_to_the_next_person(self):
        services.cancel_enrolment(enrolment=self.first, by=self.trainee)
        services.decline_offer(enrolment=self.second, trainee=self.other_trainee)
        self.third_enrolment.refresh_from_db()
        self.assertEqual(self.third_enrolment.status, Enrolment.Status.OFFERED)

    def test_an_expired_offer_rolls_to_the_next_person(self):
        services.cancel_enrolment(enrolment=self.first, by=self.trainee)
        self.assertEqual(services.expire_offers(), 0)
        expired = services.expire_offers(now=timezone.now() + timedelta(hours=49))
        self.assertEqual(expired, 1)
        self.second.refresh_from_db()
        self.third_enrolment.refresh_from_db()
        self.assertEqual(self.second.status, Enrolment.Status.OFFER_EXPIRED)
        self.assertEqual(self.third_enrolment.status, Enrolment.Status.OFFERED)
        change = self.second.status_changes.last()
        self.assertEqual(change.to_status, Enrolment.Status.OFFER_EXPIRED)
        self.assertIsNone(change.changed_by)

    def test_an_expired_offer_cannot_be_accepted(self):
        services.cancel_enrolment(enrolment=self.first, by=self.trainee)
        Enrolment.objects.filter(pk=self.second.pk).update(
            offer_expires_at=timezone.now() - timedelta(minutes=1)
        )
        with self.assertRaises(ValidationError) as caught:
            services.accept_offer(enrolment=self.second, trainee=self.other_trainee)
        self.assertEqual(caught.exception.code, "offer_expired")

    def test_a_trainee_cannot_accept_someone_elses_offer(self):
        services.cancel_enrolment(enrolment=self.first, by=self.trainee)
        with self.assertRaises(PermissionDenied):
            services.accept_offer(enrolment=self.second, trainee=self.third)
        with self.assertRaises(PermissionDenied):
            services.decline_offer(enrolment=self.second, trainee=self.third)

    def test_the_offer_email_says_until_when_in_the_trainees_language(self):
        self.other_trainee.preferred_language = "en"
        self.other_trainee.save()
        with self.captureOnCommitCallbacks(execute=True):
            services.cancel_enrolment(enrolment=self.first, by=self.trainee)
        offer_mail = [m for m in mail.outbox if m.to == [self.other_trainee.email]]
        self.assertEqual(len(offer_mail), 1)
        self.assertIn("A place is free for you", offer_mail[0].subject)
        self.assertIn("text/html", offer_mail[0].alternatives[0][1])


class ReasonLanguageTests(PersonasTestCase):
    """A reason the system gives is written in the trainee's language, not the actor's; a
    reason a coordinator typed reaches the trainee as typed."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.dutch = UserFactory(first_name="Lotte", role=Role.TRAINEE, preferred_language="nl")
        cls.session = SessionFactory(capacity=1)

    def setUp(self):
        self.first = services.enrol_trainee(session=self.session, trainee=self.trainee)
        self.waiting = services.enrol_trainee(session=self.session, trainee=self.dutch)

    def text_to_dutch_trainee(self, event: str) -> str:
        return OutboxEmail.objects.get(recipient=self.dutch, event=event).text_body

    def test_a_place_offered_after_someone_else_cancels_gives_the_reason_in_dutch(self):
        # The actor reads French here: the reason must not follow them.
        services.cancel_enrolment(enrolment=self.first, by=self.trainee)

        text = self.text_to_dutch_trainee("enrolment.offered")
        self.assertIn("Reden: Er is een plaats vrijgekomen.", text)
        # The history keeps the reason too.
        self.assertTrue(self.waiting.status_changes.exclude(reason="").exists())

    def test_an_offer_expired_by_the_periodic_job_gives_the_reason_in_dutch(self):
        services.cancel_enrolment(enrolment=self.first, by=self.trainee)

        services.expire_offers(now=timezone.now() + timedelta(days=30))

        text = self.text_to_dutch_trainee("enrolment.offer_expired")
        self.assertIn("Het aanbod werd niet op tijd beantwoord.", text)

    def test_a_reason_a_coordinator_typed_stays_as_typed(self):
        services.cancel_enrolment(
            enrolment=self.waiting, by=self.coordinator, reason="Le formateur est malade."
        )

        text = self.text_to_dutch_trainee("enrolment.cancelled")
        self.assertIn("Reden: Le formateur est malade.", text)


class ApprovalTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.session = SessionFactory(approval_required=True, capacity=1)

    def test_a_coordinator_approves_a_request(self):
        enrolment = services.enrol_trainee(session=self.session, trainee=self.trainee)
        services.approve_enrolment(enrolment=enrolment, by=self.coordinator)
        enrolment.refresh_from_db()
        self.assertEqual(enrolment.status, Enrolment.Status.CONFIRMED)

    def test_a_trainee_cannot_approve(self):
        enrolment = services.enrol_trainee(session=self.session, trainee=self.trainee)
        with self.assertRaises(PermissionDenied):
            services.approve_enrolment(enrolment=enrolment, by=self.trainee)

    def test_refusing_a_request_frees_the_place_for_the_next_person(self):
        enrolment = services.enrol_trainee(session=self.session, trainee=self.trainee)
        waiting = services.enrol_trainee(session=self.session, trainee=self.other_trainee)
        self.assertEqual(waiting.status, Enrolment.Status.WAITING_LIST)
        services.refuse_enrolment(enrolment=enrolment, by=self.coordinator, reason="Profil")
        waiting.refresh_from_db()
        self.assertEqual(waiting.status, Enrolment.Status.OFFERED)


class ReorderWaitingListTests(PersonasTestCase):
    def test_a_coordinator_reorders_the_list_with_a_reason_kept_in_history(self):
        session = SessionFactory(capacity=1)
        services.enrol_trainee(session=session, trainee=self.partner)
        a = services.enrol_trainee(session=session, trainee=self.trainee)
        b = services.enrol_trainee(session=session, trainee=self.other_trainee)
        services.reorder_waiting_list(
            session=session,
            enrolment_ids=[b.pk, a.pk],
            by=self.coordinator,
            reason="Urgence sociale",
        )
        a.refresh_from_db()
        b.refresh_from_db()
        self.assertLess(b.queue_position, a.queue_position)
        reasons = EnrolmentStatusChange.objects.filter(enrolment=b).values_list("reason", flat=True)
        self.assertTrue(any("Urgence sociale" in r for r in reasons))

    def test_reordering_needs_a_reason_and_the_whole_list(self):
        session = SessionFactory(capacity=0)
        a = services.enrol_trainee(session=session, trainee=self.trainee)
        services.enrol_trainee(session=session, trainee=self.other_trainee)
        with self.assertRaises(ValidationError):
            services.reorder_waiting_list(
                session=session, enrolment_ids=[a.pk], by=self.coordinator, reason="x"
            )
        with self.assertRaises(ValidationError):
            services.reorder_waiting_list(
                session=session, enrolment_ids=[a.pk], by=self.coordinator, reason=""
            )


class HistoryLanguageTests(PersonasTestCase):
    """The history is a staff record: the system's reasons are written in the site's language
    (French) whichever language the person who triggered them reads; their own words stay."""

    def test_a_dutch_request_writes_system_reasons_in_french(self):
        session = SessionFactory(capacity=1)
        first = services.enrol_trainee(session=session, trainee=self.trainee)
        second = services.enrol_trainee(session=session, trainee=self.other_trainee)
        third = services.enrol_trainee(session=session, trainee=self.outsider)

        with translation.override("nl"):
            services.reorder_waiting_list(
                session=session,
                enrolment_ids=[third.pk, second.pk],
                by=self.coordinator,
                reason="Priorité CPAS",
            )
            services.cancel_enrolment(enrolment=first, by=self.trainee)
            services.decline_offer(enrolment=third, trainee=self.outsider)

        reasons = set(
            EnrolmentStatusChange.objects.filter(enrolment__session=session).values_list(
                "reason", flat=True
            )
        )
        self.assertLessEqual(
            {
                "Position sur la liste d'attente 2 → 1. Priorité CPAS",
                "Une place s'est libérée.",
                "Offre refusée.",
            },
            reasons,
        )
