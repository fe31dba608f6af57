from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from cms_pages.models import CourseIndexPage, CoursePage, SessionFinderPage
from courses.models import Enrolment, Session


class CoursesDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", stdout=StringIO())

    def test_sessions_run_in_five_towns_and_online(self):
        sessions = Session.objects.filter(status=Session.Status.PUBLISHED)
        towns = set(sessions.exclude(venue=None).values_list("venue__town", flat=True))
        self.assertGreaterEqual(len(towns), 5)
        self.assertTrue(sessions.filter(format=Session.Format.ONLINE).exists())
        for session in sessions:
            self.assertTrue(3 <= session.meetings.count() <= 6, session.code)
            self.assertTrue(session.trainers.exists(), session.code)

    def test_one_session_is_full_with_a_waiting_list_and_an_open_offer(self):
        mons = Session.objects.get(code="DEMO-MON-1")
        self.assertTrue(mons.enrolments.filter(status=Enrolment.Status.OFFERED).exists())
        self.assertTrue(mons.enrolments.filter(status=Enrolment.Status.WAITING_LIST).exists())

    def test_the_catalogue_pages_are_live_and_the_finder_filters_by_region(self):
        self.assertTrue(CourseIndexPage.objects.live().exists())
        # Two course pages and one finder per language (fr, en, nl).
        self.assertEqual(CoursePage.objects.live().count(), 6)
        finder = SessionFinderPage.objects.live().get(locale__language_code="fr")
        self.assertTrue(finder.show_in_menus)
        response = self.client.get(finder.url, {"region": "hainaut"})
        towns = {s.venue.town for s in response.context["sessions"]}
        self.assertEqual(towns, {"Charleroi", "Mons"})
        english = SessionFinderPage.objects.live().get(locale__language_code="en")
        self.assertEqual(self.client.get(english.url).status_code, 200)
