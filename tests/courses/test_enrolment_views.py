from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core import mail

from courses import services
from courses.models import Enrolment, Meeting
from lms.accounts.roles import Role
from tests.courses.base import EnglishPersonasTestCase as PersonasTestCase
from tests.lms.factories import UserFactory

from .factories import SessionFactory


class EnrolViewTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.session = SessionFactory(capacity=5)
        cls.url = f"/formations/sessions/{cls.session.pk}/inscription/"

    def test_an_anonymous_visitor_is_sent_to_sign_in_and_back(self):
        response = self.client.post(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])
        self.assertIn("next=", response["Location"])

    def test_the_confirmation_page_shows_the_places_left(self):
        self.login(self.trainee)
        response = self.client.get("/en" + self.url)
        self.assertContains(response, "5 places left")

    def test_a_trainee_enrols_and_receives_a_confirmation_with_a_calendar_file(self):
        self.login(self.trainee)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.url)
        self.assertRedirects(response, "/formations/mes-inscriptions/")
        self.assertTrue(
            Enrolment.objects.filter(
                session=self.session, trainee=self.trainee, status=Enrolment.Status.CONFIRMED
            ).exists()
        )
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].attachments[0][2], "text/calendar")

    def test_the_email_is_sent_only_once_even_if_the_task_runs_twice(self):
        from lms.notifications.models import OutboxEmail
        from lms.notifications.tasks import deliver_outbox_email_task

        services.enrol_trainee(session=self.session, trainee=self.trainee)
        outbox = OutboxEmail.objects.get(event="enrolment.confirmed", recipient=self.trainee)

        deliver_outbox_email_task(outbox.pk)
        deliver_outbox_email_task(outbox.pk)
        self.assertEqual(len(mail.outbox), 1)

    def test_the_confirmation_email_writes_the_dates_in_the_trainees_language(self):
        session = SessionFactory(meetings=0)
        starts = datetime(2030, 3, 12, 9, 30, tzinfo=ZoneInfo("Europe/Brussels"))  # a Tuesday
        Meeting.objects.create(
            session=session, starts_at=starts, ends_at=starts + timedelta(hours=6)
        )
        dutch = UserFactory(email="an@example.org", preferred_language="nl")

        with self.captureOnCommitCallbacks(execute=True):
            services.enrol_trainee(session=session, trainee=dutch)

        (message,) = [m for m in mail.outbox if m.to == [dutch.email]]
        html = message.alternatives[0][0]
        for text in (message.body, html):
            self.assertIn("dinsdag 12 maart 2030, 09:30", text)
            self.assertNotIn("March", text)
            self.assertNotIn("mars", text)


class OwnEnrolmentOnlyTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.session = SessionFactory(capacity=1)
        cls.mine = services.enrol_trainee(session=cls.session, trainee=cls.trainee)
        cls.third = UserFactory(role=Role.TRAINEE)
        cls.theirs = services.enrol_trainee(session=cls.session, trainee=cls.other_trainee)

    def test_a_trainee_cannot_see_or_cancel_another_trainees_enrolment(self):
        self.login(self.other_trainee)
        url = f"/formations/inscriptions/{self.mine.pk}/annuler/"
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.post(url).status_code, 404)
        self.mine.refresh_from_db()
        self.assertEqual(self.mine.status, Enrolment.Status.CONFIRMED)

    def test_a_trainee_cannot_answer_another_trainees_offer(self):
        services.cancel_enrolment(enrolment=self.mine, by=self.trainee)
        self.login(self.third)
        for action in ("accepter", "decliner"):
            response = self.client.post(f"/formations/inscriptions/{self.theirs.pk}/{action}/")
            self.assertEqual(response.status_code, 404)
        self.theirs.refresh_from_db()
        self.assertEqual(self.theirs.status, Enrolment.Status.OFFERED)

    def test_the_owner_cancels_after_a_confirmation_page(self):
        self.login(self.trainee)
        url = f"/formations/inscriptions/{self.mine.pk}/annuler/"
        self.assertContains(self.client.get("/en" + url), "Yes, cancel my enrolment")
        self.client.post(url, {"reason": "Empêchée"})
        self.mine.refresh_from_db()
        self.assertEqual(self.mine.status, Enrolment.Status.CANCELLED_BY_TRAINEE)

    def test_the_owner_accepts_an_offer(self):
        services.cancel_enrolment(enrolment=self.mine, by=self.trainee)
        self.login(self.other_trainee)
        self.client.post(f"/formations/inscriptions/{self.theirs.pk}/accepter/")
        self.theirs.refresh_from_db()
        self.assertEqual(self.theirs.status, Enrolment.Status.CONFIRMED)


class DashboardPanelTests(PersonasTestCase):
    def _fill(self, sessions: int) -> None:
        for index in range(sessions):
            session = SessionFactory(capacity=1, meetings=3)
            if index % 2:
                services.enrol_trainee(session=session, trainee=self.other_trainee)
            services.enrol_trainee(session=session, trainee=self.trainee)
        services.get_or_create_feed_token(user=self.trainee)

    def _queries_for_dashboard(self) -> int:
        self.login(self.trainee)
        self.client.get("/espace/")  # warm up the session and caches
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = self.client.get("/espace/")
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_the_space_shows_waiting_position_and_the_feed_address(self):
        self._fill(2)
        self.login(self.trainee)
        response = self.client.get("/en/espace/")
        self.assertContains(response, "My training")
        self.assertContains(response, "position 1")
        self.assertContains(response, "/formations/calendrier/")

    def test_the_space_runs_the_same_number_of_queries_for_2_or_8_sessions(self):
        self._fill(2)
        small = self._queries_for_dashboard()
        self._fill(6)
        self.client.get("/espace/")
        with self.assertNumQueries(small):
            self.client.get("/espace/")

    def test_the_panel_is_not_shown_to_someone_without_the_trainee_role(self):
        self.login(self.partner)
        response = self.client.get("/en/espace/")
        self.assertContains(response, "What you can do")
        self.assertNotContains(response, "My training")


class OnlineSessionEmailTests(PersonasTestCase):
    def test_the_confirmation_of_an_online_session_gives_the_link(self):
        session = SessionFactory(
            venue=None, format="online", online_url="https://visio.example/abc", capacity=3
        )
        with self.captureOnCommitCallbacks(execute=True):
            services.enrol_trainee(session=session, trainee=self.trainee)
        self.assertIn("https://visio.example/abc", mail.outbox[0].body)
