from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from icalendar import Calendar
from wagtail.models import PageViewRestriction, Site
from wagtail.test.utils import WagtailPageTestCase

from cms_pages.models import CourseIndexPage, CoursePage, HomePage, SessionFinderPage
from courses import services
from courses.models import Meeting, Region, Session
from tests.courses.factories import (
    CompetencyFactory,
    CourseFactory,
    ModuleFactory,
    SessionFactory,
    VenueFactory,
)
from tests.lms.factories import UserFactory


class CataloguePagesTestCase(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = Site.objects.get(is_default_site=True).root_page.specific
        cls.course = CourseFactory(title="Formation de base à la pair-aidance")
        module = ModuleFactory(course=cls.course, title="Relation d'aide")
        module.competencies.add(CompetencyFactory(label="Écouter activement"))
        cls.index = cls.home.add_child(
            instance=CourseIndexPage(title="Formations", slug="formations-cat")
        )
        cls.course_page = cls.index.add_child(
            instance=CoursePage(title="Formation de base", slug="base", course=cls.course)
        )
        cls.finder = cls.home.add_child(
            instance=SessionFinderPage(title="Trouver une session", slug="sessions")
        )
        cls.namur = VenueFactory(town="Namur", region=Region.NAMUR)
        cls.liege = VenueFactory(town="Liège", region=Region.LIEGE)
        cls.trainer = UserFactory(display_name="Marc D.")
        cls.session = SessionFactory(course=cls.course, venue=cls.namur, code="NAM-1", capacity=3)
        cls.session.trainers.add(cls.trainer)

    def setUp(self):
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def add_sessions(self, count: int) -> None:
        for index in range(count):
            venue = self.liege if index % 2 else self.namur
            session = SessionFactory(course=self.course, venue=venue, meetings=3)
            session.trainers.add(self.trainer)
            services.enrol_trainee(session=session, trainee=UserFactory())

    def count_queries(self, url: str) -> int:
        self.client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def assertQueriesStay(self, count: int, url: str) -> None:
        """The page at ``url`` still runs exactly ``count`` queries (listed on failure)."""
        self.client.get(url)
        with self.assertNumQueries(count):
            self.client.get(url)


class PageTypeTests(CataloguePagesTestCase):
    def test_catalogue_pages_can_be_created_where_they_belong(self):
        self.assertCanCreateAt(HomePage, CourseIndexPage)
        self.assertCanCreateAt(CourseIndexPage, CoursePage)
        self.assertCanCreateAt(HomePage, SessionFinderPage)
        self.assertCanNotCreateAt(HomePage, CoursePage)

    def test_every_catalogue_page_renders(self):
        self.assertPageIsRenderable(self.index)
        self.assertPageIsRenderable(self.course_page)
        self.assertPageIsRenderable(self.finder)
        self.assertPageIsRenderable(self.finder, route_path=f"/{self.session.pk}/")

    def test_the_course_page_shows_modules_competencies_and_sessions(self):
        response = self.client.get(self.course_page.url)
        self.assertContains(response, "Relation d&#x27;aide")
        self.assertContains(response, "Écouter activement")
        self.assertContains(response, "Namur")

    def test_the_index_lists_the_course_with_its_next_session(self):
        response = self.client.get(self.index.url)
        self.assertContains(response, "Formation de base")
        self.assertContains(response, f"{self.finder.url}{self.session.pk}/")


class FinderTests(CataloguePagesTestCase):
    def test_filtering_by_region_returns_only_that_regions_sessions(self):
        SessionFactory(course=self.course, venue=self.liege, code="LIE-1")
        response = self.client.get(self.finder.url, {"region": Region.LIEGE})
        sessions = list(response.context["sessions"])
        self.assertEqual([s.code for s in sessions], ["LIE-1"])
        self.assertTrue(all(s.venue.region == Region.LIEGE for s in sessions))

    def test_places_left_only_hides_full_sessions(self):
        full = SessionFactory(course=self.course, venue=self.liege, capacity=1, code="FULL")
        services.enrol_trainee(session=full, trainee=UserFactory())
        response = self.client.get(self.finder.url, {"places_left": "on"})
        codes = [s.code for s in response.context["sessions"]]
        self.assertIn("NAM-1", codes)
        self.assertNotIn("FULL", codes)

    def test_free_text_and_format_filters(self):
        SessionFactory(course=self.course, venue=None, format=Session.Format.ONLINE, code="WEB-1")
        response = self.client.get(self.finder.url, {"format": "online"})
        self.assertEqual([s.code for s in response.context["sessions"]], ["WEB-1"])
        response = self.client.get(self.finder.url, {"q": "namur"})
        self.assertEqual([s.code for s in response.context["sessions"]], ["NAM-1"])

    def test_drafts_and_unpublished_courses_never_appear(self):
        SessionFactory(
            course=self.course, venue=self.liege, status=Session.Status.DRAFT, code="DRAFT"
        )
        SessionFactory(course=CourseFactory(is_published=False), venue=self.liege, code="HIDDEN")
        codes = [s.code for s in self.client.get(self.finder.url).context["sessions"]]
        self.assertEqual(codes, ["NAM-1"])
        self.assertEqual(
            self.client.get(
                f"{self.finder.url}{Session.objects.get(code='DRAFT').pk}/"
            ).status_code,
            404,
        )

    def test_results_are_paginated_by_twenty_with_shareable_links(self):
        for _ in range(21):
            SessionFactory(course=self.course, venue=self.liege, meetings=1)
        response = self.client.get(self.finder.url, {"region": Region.LIEGE})
        self.assertEqual(len(response.context["sessions"]), 20)
        self.assertContains(response, "?region=liege&amp;page=2")

    def test_the_finder_runs_the_same_number_of_queries_for_3_or_13_sessions(self):
        url = self.finder.url + "?places_left=on&region=namur"
        self.add_sessions(2)
        small = self.count_queries(url)
        self.add_sessions(10)
        self.assertQueriesStay(small, url)

    def test_the_catalogue_runs_the_same_number_of_queries_for_3_or_13_sessions(self):
        self.add_sessions(2)
        small_index = self.count_queries(self.index.url)
        small_course = self.count_queries(self.course_page.url)
        self.add_sessions(10)
        self.assertQueriesStay(small_index, self.index.url)
        self.assertQueriesStay(small_course, self.course_page.url)

    def test_the_course_page_runs_at_most_20_queries_whatever_its_sessions_and_modules(self):
        small = self.count_queries(self.course_page.url)
        self.assertLessEqual(small, 20)
        self.add_sessions(10)
        for _ in range(3):
            module = ModuleFactory(course=self.course)
            module.competencies.add(CompetencyFactory(), CompetencyFactory())
        self.course.prerequisite_courses.add(CourseFactory())
        self.course.prerequisite_modules.add(ModuleFactory())
        response = self.client.get(self.course_page.url)
        self.assertEqual(len(response.context["sessions"]), 11)
        self.assertEqual(len(response.context["modules"]), 4)
        self.assertQueriesStay(small, self.course_page.url)

    def test_catalogue_rows_are_the_session_row_include_rendered(self):
        # The catalogue writes its session rows itself (no include per session): they must stay
        # what courses/includes/session_row.html renders, whatever the session shows.
        self.add_sessions(2)
        SessionFactory(course=self.course, venue=self.liege, cost=25, code="PAID", meetings=1)
        Session.objects.filter(venue=self.namur).update(capacity=1)
        SessionFactory(
            course=self.course,
            venue=None,
            format=Session.Format.ONLINE,
            online_url="https://visio.example/salle",
            language="nl",
            code="WEB",
        )
        self.liege.step_free_access = True
        self.liege.save()
        for prefix in ("", "/en", "/nl"):
            response = self.client.get(prefix + self.index.url)
            html = response.content.decode()
            sessions = [s for _page, rows in response.context["course_pages"] for s in rows]
            self.assertEqual(len(sessions), 3)
            for session in sessions:
                row = render_to_string(
                    "courses/includes/session_row.html",
                    {"session": session, "finder": response.context["finder"]},
                    request=response.wsgi_request,
                )
                self.assertInHTML(row, html)

    def test_pages_behind_a_view_restriction_stay_out_of_the_catalogue(self):
        self.add_courses(2)
        hidden = CoursePage.objects.get(slug="cours-0")
        PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)
        listed = [p.pk for p, _s in self.client.get(self.index.url).context["course_pages"]]
        self.assertNotIn(hidden.pk, listed)
        self.assertEqual(len(listed), 2)
        # A finder in a private section is not offered either.
        PageViewRestriction.objects.create(
            page=self.finder, restriction_type=PageViewRestriction.LOGIN
        )
        self.assertIsNone(SessionFinderPage.for_locale())

    def add_courses(self, count: int) -> None:
        for index in range(count):
            course = CourseFactory(title=f"Cours {index:02d}")
            self.index.add_child(
                instance=CoursePage(title=course.title, slug=f"cours-{index}", course=course)
            )
            SessionFactory(course=course, venue=self.namur, meetings=1)

    def test_the_catalogue_runs_the_same_number_of_queries_for_1_or_25_courses(self):
        small = self.count_queries(self.index.url)
        self.add_courses(24)
        self.assertQueriesStay(small, self.index.url)

    def test_the_catalogue_shows_twenty_courses_a_page_and_three_sessions_each(self):
        self.add_courses(24)
        self.add_sessions(4)

        first = self.client.get(self.index.url)
        second = self.client.get(self.index.url + "?page=2")

        self.assertEqual(len(first.context["course_pages"]), 20)
        self.assertEqual(len(second.context["course_pages"]), 5)
        self.assertContains(first, "?page=2")
        sessions = {p.course_id: s for p, s in first.context["course_pages"]}[self.course.pk]
        self.assertEqual(len(sessions), 3)
        starts = [s.first_starts_at for s in sessions]
        self.assertEqual(starts, sorted(starts))


class SessionPageTests(CataloguePagesTestCase):
    def test_the_session_page_shows_dates_place_map_trainers_and_places(self):
        # Under /en/, so the English source texts show whatever the French catalogue says.
        response = self.client.get(f"/en{self.finder.url}{self.session.pk}/")
        self.assertContains(response, "https://www.openstreetmap.org/search?query=")
        self.assertContains(response, "Marc D.")
        self.assertContains(response, "3 places left")
        self.assertContains(response, f"/formations/sessions/{self.session.pk}/inscription/")
        self.assertContains(response, f"{self.finder.url}{self.session.pk}/calendrier/")

    def test_the_session_page_runs_the_same_number_of_queries_with_more_enrolments(self):
        url = f"{self.finder.url}{self.session.pk}/"
        services.enrol_trainee(session=self.session, trainee=UserFactory())
        small = self.count_queries(url)
        for _ in range(4):
            services.enrol_trainee(session=self.session, trainee=UserFactory())
        self.session.trainers.add(UserFactory(), UserFactory())
        self.assertQueriesStay(small, url)

    def test_the_calendar_route_returns_a_parsable_ics_file(self):
        response = self.client.get(f"{self.finder.url}{self.session.pk}/calendrier/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(Calendar.from_ical(response.content).walk("VEVENT")), 2)

    def test_the_stable_session_address_redirects_to_the_page(self):
        response = self.client.get(f"/formations/sessions/{self.session.pk}/")
        self.assertRedirects(response, f"{self.finder.url}{self.session.pk}/")


class EnrolmentStateOnThePageTests(CataloguePagesTestCase):
    def test_a_session_whose_enrolment_has_not_opened_says_when_and_has_no_button(self):
        from datetime import timedelta

        from django.utils import timezone

        later = SessionFactory(
            course=self.course, venue=self.namur, enrolment_opens=timezone.now() + timedelta(days=3)
        )
        response = self.client.get(f"/en{self.finder.url}{later.pk}/")
        self.assertContains(response, "Enrolment opens on")
        self.assertNotContains(response, f"/formations/sessions/{later.pk}/inscription/")


class LocalisedDatesTests(CataloguePagesTestCase):
    """Dates are written out in the reader's language (month and day names)."""

    def test_the_session_page_writes_its_dates_in_french_and_in_dutch(self):
        session = SessionFactory(course=self.course, venue=self.liege, meetings=0)
        starts = datetime(2030, 3, 12, 9, 30, tzinfo=ZoneInfo("Europe/Brussels"))  # a Tuesday
        Meeting.objects.create(
            session=session, starts_at=starts, ends_at=starts + timedelta(hours=6)
        )
        url = f"{self.finder.url}{session.pk}/"

        french = self.client.get(url)
        dutch = self.client.get(f"/nl{url}")

        self.assertContains(french, "mardi 12 mars 2030, 09:30–15:30")
        self.assertNotContains(french, "maart")
        self.assertContains(dutch, "dinsdag 12 maart 2030, 09:30–15:30")
        self.assertNotContains(dutch, "mars 2030")
        self.assertNotContains(dutch, "March")
