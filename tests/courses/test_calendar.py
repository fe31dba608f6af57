from icalendar import Calendar

from courses import services
from courses.ics import session_ics
from tests.courses.base import EnglishPersonasTestCase as PersonasTestCase

from .factories import SessionFactory


class SessionCalendarTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.session = SessionFactory(meetings=3)

    def test_the_session_file_parses_with_one_event_per_meeting_in_brussels_time(self):
        calendar = Calendar.from_ical(session_ics(self.session))
        events = calendar.walk("VEVENT")
        self.assertEqual(len(events), 3)
        self.assertEqual(str(events[0]["DTSTART"].dt.tzinfo), "Europe/Brussels")
        self.assertIn("Namur", str(events[0]["LOCATION"]))
        self.assertTrue(str(events[0]["URL"]).endswith(f"/formations/sessions/{self.session.pk}/"))
        self.assertEqual(len(calendar.walk("VTIMEZONE")), 1)

    def test_the_public_calendar_download_needs_no_sign_in(self):
        response = self.client.get(f"/formations/sessions/{self.session.pk}/calendar.ics")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        Calendar.from_ical(response.content)


class PersonalFeedTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.mine = SessionFactory(meetings=2)
        cls.other = SessionFactory(meetings=4)
        services.enrol_trainee(session=cls.mine, trainee=cls.trainee)
        services.enrol_trainee(session=cls.other, trainee=cls.other_trainee)

    def test_the_feed_lists_only_the_owners_confirmed_meetings_without_sign_in(self):
        token = services.get_or_create_feed_token(user=self.trainee)
        response = self.client.get(f"/formations/calendrier/{token.token}.ics")
        self.assertEqual(response.status_code, 200)
        events = Calendar.from_ical(response.content).walk("VEVENT")
        self.assertEqual(len(events), 2)

    def test_a_regenerated_token_revokes_the_old_address(self):
        old = services.get_or_create_feed_token(user=self.trainee).token
        new = services.regenerate_feed_token(user=self.trainee).token
        self.assertNotEqual(old, new)
        self.assertEqual(self.client.get(f"/formations/calendrier/{old}.ics").status_code, 404)
        self.assertEqual(self.client.get(f"/formations/calendrier/{new}.ics").status_code, 200)

    def test_regenerating_needs_a_post_by_the_signed_in_person(self):
        self.login(self.trainee)
        self.assertEqual(
            self.client.get("/formations/calendrier/nouvelle-adresse/").status_code, 405
        )
        response = self.client.post("/formations/calendrier/nouvelle-adresse/")
        self.assertRedirects(response, "/formations/mes-inscriptions/")
        self.assertTrue(hasattr(self.trainee, "calendar_feed_token"))
