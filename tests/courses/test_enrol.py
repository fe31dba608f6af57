from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from courses import services
from courses.models import Enrolment, EnrolmentStatusChange, Session
from lms.accounts.roles import Role
from tests.courses.base import EnglishPersonasTestCase as PersonasTestCase
from tests.lms.factories import UserFactory

from .factories import CourseFactory, ModuleFactory, SessionFactory


class EnrolTraineeTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.session = SessionFactory(capacity=2)

    def test_it_confirms_a_trainee_when_places_are_left(self):
        enrolment = services.enrol_trainee(session=self.session, trainee=self.trainee)
        self.assertEqual(enrolment.status, Enrolment.Status.CONFIRMED)
        change = EnrolmentStatusChange.objects.get(enrolment=enrolment)
        self.assertEqual((change.from_status, change.to_status), ("", Enrolment.Status.CONFIRMED))
        self.assertEqual(change.changed_by, self.trainee)

    def test_it_puts_the_third_trainee_on_the_waiting_list_of_a_two_place_session(self):
        services.enrol_trainee(session=self.session, trainee=self.trainee)
        services.enrol_trainee(session=self.session, trainee=self.other_trainee)
        third = services.enrol_trainee(session=self.session, trainee=self.outsider)
        fourth = services.enrol_trainee(session=self.session, trainee=self.partner)
        self.assertEqual(third.status, Enrolment.Status.WAITING_LIST)
        self.assertLess(third.queue_position, fourth.queue_position)

    def test_it_refuses_a_second_enrolment_in_the_same_session(self):
        services.enrol_trainee(session=self.session, trainee=self.trainee)
        with self.assertRaisesMessage(ValidationError, "already enrolled"):
            services.enrol_trainee(session=self.session, trainee=self.trainee)

    def test_it_lets_a_trainee_enrol_again_after_cancelling(self):
        first = services.enrol_trainee(session=self.session, trainee=self.trainee)
        services.cancel_enrolment(enrolment=first, by=self.trainee)
        again = services.enrol_trainee(session=self.session, trainee=self.trainee)
        self.assertEqual(again.status, Enrolment.Status.CONFIRMED)

    def test_it_refuses_a_draft_session(self):
        draft = SessionFactory(status=Session.Status.DRAFT)
        with self.assertRaises(ValidationError):
            services.enrol_trainee(session=draft, trainee=self.trainee)

    def test_it_asks_for_approval_when_the_session_requires_it(self):
        session = SessionFactory(approval_required=True)
        enrolment = services.enrol_trainee(session=session, trainee=self.trainee)
        self.assertEqual(enrolment.status, Enrolment.Status.REQUESTED)


class EnrolmentWindowTests(PersonasTestCase):
    def test_it_refuses_before_the_window_opens_and_says_when(self):
        session = SessionFactory(enrolment_opens=timezone.now() + timedelta(days=2))
        with self.assertRaises(ValidationError) as caught:
            services.enrol_trainee(session=session, trainee=self.trainee)
        self.assertEqual(caught.exception.code, "not_open")

    def test_it_refuses_after_the_window_closes(self):
        session = SessionFactory(
            enrolment_opens=timezone.now() - timedelta(days=10),
            enrolment_closes=timezone.now() - timedelta(days=1),
        )
        with self.assertRaises(ValidationError) as caught:
            services.enrol_trainee(session=session, trainee=self.trainee)
        self.assertEqual(caught.exception.code, "closed")

    def test_it_closes_enrolment_at_the_first_meeting_by_default(self):
        session = SessionFactory(meetings__days=-1)
        with self.assertRaises(ValidationError) as caught:
            services.enrol_trainee(session=session, trainee=self.trainee)
        self.assertEqual(caught.exception.code, "closed")

    def test_it_accepts_inside_the_window(self):
        session = SessionFactory(
            enrolment_opens=timezone.now() - timedelta(days=1),
            enrolment_closes=timezone.now() + timedelta(days=1),
        )
        enrolment = services.enrol_trainee(session=session, trainee=self.trainee)
        self.assertEqual(enrolment.status, Enrolment.Status.CONFIRMED)


class PrerequisiteTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.base = CourseFactory(title="Formation de base à la pair-aidance")
        cls.ethics = ModuleFactory(title="Éthique et limites")
        cls.advanced = CourseFactory(title="Intervision et éthique")
        cls.advanced.prerequisite_courses.add(cls.base)
        cls.advanced.prerequisite_modules.add(cls.ethics)
        cls.session = SessionFactory(course=cls.advanced)

    def test_it_names_every_missing_prerequisite_in_a_kind_message(self):
        with self.assertRaises(ValidationError) as caught:
            services.enrol_trainee(session=self.session, trainee=self.trainee)
        message = caught.exception.messages[0]
        self.assertIn("Formation de base à la pair-aidance", message)
        self.assertIn("Éthique et limites", message)
        self.assertIn("exemption", message)
        self.assertEqual(caught.exception.code, "prerequisites")

    def test_exemptions_satisfy_prerequisites(self):
        services.grant_exemption(
            person=self.trainee, course=self.base, source="vae", granted_by=self.coordinator
        )
        services.grant_exemption(
            person=self.trainee, module=self.ethics, source="vae", granted_by=self.coordinator
        )
        enrolment = services.enrol_trainee(session=self.session, trainee=self.trainee)
        self.assertEqual(enrolment.status, Enrolment.Status.CONFIRMED)

    def test_completing_the_base_course_satisfies_its_prerequisite(self):
        base_session = SessionFactory(course=self.base)
        enrolment = services.enrol_trainee(session=base_session, trainee=self.trainee)
        services.complete_session(session=base_session, by=self.coordinator)
        enrolment.refresh_from_db()
        self.assertEqual(enrolment.status, Enrolment.Status.COMPLETED)
        # The ethics module is still missing.
        with self.assertRaises(ValidationError) as caught:
            services.enrol_trainee(session=self.session, trainee=self.trainee)
        self.assertNotIn("Formation de base", caught.exception.messages[0])
        self.assertIn("Éthique et limites", caught.exception.messages[0])

    def test_granting_the_same_exemption_twice_keeps_one(self):
        for _ in range(2):
            services.grant_exemption(
                person=self.trainee,
                module=self.ethics,
                source="vae",
                granted_by=None,
                reference="J-1",
            )
        self.assertEqual(self.trainee.course_exemptions.count(), 1)


class ReservedPlacesTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.session = SessionFactory(capacity=3)
        cls.partner_trainee = UserFactory(role=Role.TRAINEE)

    def test_reserved_places_are_not_given_to_the_public(self):
        reservation = services.reserve_seats(
            session=self.session, organisation="SMES", seats=2, by=self.coordinator
        )
        first = services.enrol_trainee(session=self.session, trainee=self.trainee)
        second = services.enrol_trainee(session=self.session, trainee=self.other_trainee)
        self.assertEqual(first.status, Enrolment.Status.CONFIRMED)
        self.assertEqual(second.status, Enrolment.Status.WAITING_LIST)
        placed = services.enrol_trainee(
            session=self.session,
            trainee=self.partner_trainee,
            by=self.coordinator,
            reservation=reservation,
        )
        self.assertEqual(placed.status, Enrolment.Status.CONFIRMED)
        self.assertEqual(placed.reserved_for, reservation)

    def test_it_cannot_reserve_more_places_than_are_free(self):
        services.enrol_trainee(session=self.session, trainee=self.trainee)
        with self.assertRaises(ValidationError) as caught:
            services.reserve_seats(
                session=self.session, organisation="SMES", seats=3, by=self.coordinator
            )
        self.assertEqual(caught.exception.code, "too_many")

    def test_a_full_reservation_refuses_another_person(self):
        reservation = services.reserve_seats(
            session=self.session, organisation="SMES", seats=1, by=self.coordinator
        )
        services.enrol_trainee(
            session=self.session, trainee=self.trainee, by=self.coordinator, reservation=reservation
        )
        with self.assertRaises(ValidationError) as caught:
            services.enrol_trainee(
                session=self.session,
                trainee=self.other_trainee,
                by=self.coordinator,
                reservation=reservation,
            )
        self.assertEqual(caught.exception.code, "reservation_full")

    def test_a_trainee_cannot_take_a_reserved_place_themselves(self):
        from django.core.exceptions import PermissionDenied

        reservation = services.reserve_seats(
            session=self.session, organisation="SMES", seats=1, by=self.coordinator
        )
        with self.assertRaises(PermissionDenied):
            services.enrol_trainee(
                session=self.session, trainee=self.trainee, by=self.trainee, reservation=reservation
            )

    def test_releasing_a_reservation_offers_its_places_to_the_waiting_list(self):
        reservation = services.reserve_seats(
            session=self.session, organisation="SMES", seats=3, by=self.coordinator
        )
        waiting = services.enrol_trainee(session=self.session, trainee=self.trainee)
        self.assertEqual(waiting.status, Enrolment.Status.WAITING_LIST)
        services.release_seat_reservation(reservation=reservation, by=self.coordinator)
        waiting.refresh_from_db()
        self.assertEqual(waiting.status, Enrolment.Status.OFFERED)
