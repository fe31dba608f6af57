from courses import services
from courses.models import Enrolment, EnrolmentStatusChange, Session
from tests.courses.base import EnglishPersonasTestCase

from .factories import SessionFactory, VenueFactory


class CoordinatorScreensTests(EnglishPersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.session = SessionFactory(code="NAM-1", capacity=1, approval_required=True)
        cls.requested = services.enrol_trainee(session=cls.session, trainee=cls.trainee)
        cls.waiting = services.enrol_trainee(session=cls.session, trainee=cls.other_trainee)

    def setUp(self):
        super().setUp()
        self.login(self.coordinator)

    def test_the_coordinator_sees_sessions_with_places(self):
        response = self.client.get("/admin/courses_sessions/")
        self.assertContains(response, "NAM-1")
        for url in ("/admin/courses_courses/", "/admin/courses_modules/", "/admin/courses_venues/"):
            self.assertEqual(self.client.get(url).status_code, 200)

    def test_the_session_list_runs_the_same_number_of_queries_for_more_sessions(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def count():
            with CaptureQueriesContext(connection) as queries:
                self.client.get("/admin/courses_sessions/")
            return len(queries)

        count()
        small = count()
        for _ in range(5):
            SessionFactory()
        self.assertEqual(small, count())

    def test_the_enrolment_list_filters_by_session_and_exports_csv(self):
        other = SessionFactory(code="LIE-9")
        services.enrol_trainee(session=other, trainee=self.outsider)
        response = self.client.get(f"/admin/courses_enrolments/?session={self.session.pk}")
        self.assertContains(response, self.trainee.public_name)
        self.assertNotContains(response, self.outsider.public_name)
        export = self.client.get(f"/admin/courses_enrolments/?session={self.session.pk}&export=csv")
        self.assertEqual(export.status_code, 200)
        content = (
            b"".join(export.streaming_content).decode()
            if export.streaming
            else export.content.decode()
        )
        self.assertIn(self.trainee.email, content)
        self.assertNotIn(self.outsider.email, content)

    def test_the_coordinator_approves_a_request(self):
        url = f"/admin/courses_enrolments/approve/{self.requested.pk}/"
        self.assertEqual(self.client.get(url).status_code, 200)
        self.client.post(url)
        self.requested.refresh_from_db()
        self.assertEqual(self.requested.status, Enrolment.Status.CONFIRMED)

    def test_refusing_needs_a_reason(self):
        url = f"/admin/courses_enrolments/refuse/{self.requested.pk}/"
        self.assertEqual(self.client.post(url, {"reason": ""}).status_code, 200)
        self.client.post(url, {"reason": "Le module de base manque"})
        self.requested.refresh_from_db()
        self.assertEqual(self.requested.status, Enrolment.Status.REFUSED)

    def test_enrolments_cannot_be_edited_directly(self):
        response = self.client.post(
            f"/admin/courses_enrolments/edit/{self.requested.pk}/", {"status": "confirmed"}
        )
        self.assertEqual(response.status_code, 302)
        self.requested.refresh_from_db()
        self.assertEqual(self.requested.status, Enrolment.Status.REQUESTED)

    def test_duplicating_a_session_to_another_town_copies_its_meetings_as_a_draft(self):
        liege = VenueFactory(town="Liège", region="liege")
        response = self.client.post(
            f"/admin/courses_sessions/duplicate/{self.session.pk}/",
            {"code": "LIE-1", "session_format": "in_person", "venue": liege.pk, "shift_days": 7},
        )
        copy = Session.objects.get(code="LIE-1")
        self.assertRedirects(response, f"/admin/courses_sessions/edit/{copy.pk}/")
        self.assertEqual(copy.venue, liege)
        self.assertEqual(copy.status, Session.Status.DRAFT)
        self.assertEqual(copy.meetings.count(), self.session.meetings.count())
        first_old = self.session.meetings.order_by("starts_at").first().starts_at
        first_new = copy.meetings.order_by("starts_at").first().starts_at
        self.assertEqual((first_new - first_old).days, 7)

    def test_reserving_places_and_reordering_the_waiting_list(self):
        session = SessionFactory(capacity=1)
        services.enrol_trainee(session=session, trainee=self.partner)
        a = services.enrol_trainee(session=session, trainee=self.trainee)
        b = services.enrol_trainee(session=session, trainee=self.other_trainee)
        self.client.post(
            f"/admin/courses_sessions/waiting-list/{session.pk}/",
            {f"position_{a.pk}": 2, f"position_{b.pk}": 1, "reason": "Priorité sociale"},
        )
        a.refresh_from_db()
        b.refresh_from_db()
        self.assertLess(b.queue_position, a.queue_position)
        self.assertTrue(
            EnrolmentStatusChange.objects.filter(enrolment=b, reason__contains="Priorité").exists()
        )
        bigger = SessionFactory(capacity=5)
        self.client.post(
            f"/admin/courses_sessions/reserve/{bigger.pk}/", {"organisation": "SMES", "seats": 2}
        )
        self.assertEqual(bigger.reservations.get().seats, 2)


class AdminBoundaryTests(EnglishPersonasTestCase):
    def test_a_trainee_cannot_reach_the_coordinator_screens(self):
        session = SessionFactory()
        self.login(self.trainee)
        for url in (
            "/admin/courses_sessions/",
            "/admin/courses_enrolments/",
            f"/admin/courses_sessions/duplicate/{session.pk}/",
        ):
            response = self.client.get(url)
            self.assertIn(response.status_code, (302, 403), url)


class SessionFormTests(EnglishPersonasTestCase):
    def test_the_session_forms_open_with_their_meetings(self):
        session = SessionFactory(meetings=2)
        self.login(self.coordinator)
        self.assertEqual(self.client.get("/admin/courses_sessions/new/").status_code, 200)
        response = self.client.get(f"/admin/courses_sessions/edit/{session.pk}/")
        self.assertContains(response, "meetings-TOTAL_FORMS")
        self.assertEqual(
            self.client.get("/admin/courses_sessions/?region=namur&status=published").status_code,
            200,
        )

    def test_a_meeting_row_without_a_readable_id_is_refused_on_the_form(self):
        """The hidden id of a meeting row, removed or garbled, was a server error (found by
        the fuzz suite): now the form says the rows were changed and nothing is saved."""
        from tests.security.pageforms import untouched_form

        session = SessionFactory(meetings=2, notes="Avant")
        meetings = list(session.meetings.values_list("pk", "starts_at"))
        self.login(self.coordinator)
        url = f"/admin/courses_sessions/edit/{session.pk}/"
        sent = untouched_form(self.client.get(url).content.decode())
        self.assertIn("meetings-0-id", sent)
        for garbled in (None, "abc", "1.5"):
            with self.subTest(id=garbled):
                data = {**sent, "notes": "Après"}
                if garbled is None:
                    del data["meetings-0-id"]
                else:
                    data["meetings-0-id"] = garbled

                response = self.client.post(url, data)

                self.assertContains(response, "Some rows of this form were changed outside")
                session.refresh_from_db()
                self.assertEqual(session.notes, "Avant")
                self.assertEqual(list(session.meetings.values_list("pk", "starts_at")), meetings)

        response = self.client.post(url, {**sent, "notes": "Après"})
        self.assertEqual(response.status_code, 302)  # the untouched form still saves


class OfferPlacesActionTests(EnglishPersonasTestCase):
    def test_after_adding_places_the_coordinator_offers_them_to_the_waiting_list(self):
        session = SessionFactory(capacity=1)
        services.enrol_trainee(session=session, trainee=self.partner)
        waiting = services.enrol_trainee(session=session, trainee=self.trainee)
        Session.objects.filter(pk=session.pk).update(capacity=2)
        self.login(self.coordinator)
        self.client.post(f"/admin/courses_sessions/offer/{session.pk}/")
        waiting.refresh_from_db()
        self.assertEqual(waiting.status, Enrolment.Status.OFFERED)


class ExemptionAdminTests(EnglishPersonasTestCase):
    def test_a_coordinator_grants_an_exemption_recorded_as_theirs(self):
        from .factories import CourseFactory

        course = CourseFactory()
        self.login(self.coordinator)
        self.client.post(
            "/admin/courses_exemptions/new/",
            {"person": self.trainee.pk, "course": course.pk, "source": "vae", "reference": "J-12"},
        )
        exemption = self.trainee.course_exemptions.get()
        self.assertEqual(exemption.granted_by, self.coordinator)

    def test_the_enrolment_detail_shows_its_history(self):
        session = SessionFactory()
        enrolment = services.enrol_trainee(session=session, trainee=self.trainee)
        services.cancel_enrolment(enrolment=enrolment, by=self.trainee, reason="Malade")
        self.login(self.coordinator)
        response = self.client.get(f"/admin/courses_enrolments/inspect/{enrolment.pk}/")
        self.assertContains(response, "Malade")


class ProtectedDeleteTests(EnglishPersonasTestCase):
    """Deleting a session, module or venue that enrolments or sessions still use is refused
    with a message, never a server error, and deletes nothing."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.session = SessionFactory(code="NAM-2")
        services.enrol_trainee(session=cls.session, trainee=cls.trainee)

    def test_a_used_session_module_or_venue_is_not_deleted(self):
        from courses.models import Module, Venue
        from tests.courses.factories import ModuleFactory

        module = ModuleFactory(course=self.session.course)
        Session.objects.filter(pk=self.session.pk).update(module=module)
        self.login(self.coordinator)
        for viewset, pk in (
            ("courses_sessions", self.session.pk),
            ("courses_modules", module.pk),
            ("courses_venues", self.session.venue_id),
        ):
            with self.subTest(viewset):
                response = self.client.post(f"/admin/{viewset}/delete/{pk}/", follow=True)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "cannot be deleted")
        self.assertTrue(Session.objects.filter(pk=self.session.pk).exists())
        self.assertTrue(Module.objects.filter(pk=module.pk).exists())
        self.assertTrue(Venue.objects.filter(pk=self.session.venue_id).exists())

    def test_an_unused_venue_is_deleted(self):
        from courses.models import Venue
        from tests.courses.factories import VenueFactory

        venue = VenueFactory()
        self.login(self.coordinator)
        response = self.client.post(f"/admin/courses_venues/delete/{venue.pk}/", follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "cannot be deleted")
        self.assertFalse(Venue.objects.filter(pk=venue.pk).exists())
