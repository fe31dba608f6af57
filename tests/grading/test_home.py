from django.urls import reverse

from tests.base import PersonasTestCase

from .factories import grade_all, make_assessment, make_session, make_trainees


class TrainerHomeTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.trainees = make_trainees(3)
        cls.first = make_session(trainer=cls.trainer, trainees=cls.trainees, days=2)
        assessment = make_assessment(cls.first, cls.trainer)
        grade_all(assessment, cls.trainer, cls.trainees[:1])

    def home_queries(self):
        self.client.get(reverse("grading:home"))  # warm the session and role caches
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("grading:home"))
        return len(queries), response

    def test_the_home_shows_next_meeting_and_what_is_left_to_grade(self):
        self.login(self.trainer)
        _count, response = self.home_queries()
        [row] = response.context["rows"]
        self.assertEqual(row.session, self.first)
        self.assertIsNotNone(row.next_meeting)
        self.assertEqual(row.results_to_grade, 1)

    def test_the_home_takes_the_same_number_of_queries_for_one_or_four_sessions(self):
        self.login(self.trainer)
        one, _ = self.home_queries()
        for _index in range(3):
            make_session(trainer=self.trainer, trainees=self.trainees)
        four, response = self.home_queries()
        self.assertEqual(len(response.context["rows"]), 4)
        self.assertEqual(one, four)

    def test_the_space_of_a_trainer_links_to_the_trainer_space(self):
        self.login(self.trainer)
        response = self.client.get(reverse("accounts:dashboard"))
        link = f'href="{reverse("grading:home")}"'
        self.assertContains(response, link)
        self.login(self.trainee)
        response = self.client.get(reverse("accounts:dashboard"))
        self.assertNotContains(response, link)
