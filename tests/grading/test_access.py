"""A trainer reaches only the sessions they teach; coordinators read everything."""

from django.urls import reverse

from courses.grading import services
from courses.grading.models import Result
from tests.base import PersonasTestCase

from .factories import grade_all, make_assessment, make_session


class TrainerAccessTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.session = make_session(trainer=cls.trainer, trainees=[cls.trainee, cls.other_trainee])
        cls.meeting = cls.session.meetings.first()
        cls.assessment = make_assessment(cls.session, cls.trainer)
        grade_all(cls.assessment, cls.trainer, [cls.trainee, cls.other_trainee])
        services.mark_ready_for_review(assessment=cls.assessment, by=cls.trainer)
        services.release_results(assessment=cls.assessment, by=cls.trainer)
        cls.result = Result.objects.get(assessment=cls.assessment, trainee=cls.trainee)
        cls.other_session = make_session(trainer=cls.other_trainer, trainees=[cls.trainee])

    def urls(self):
        s, m, a, r = self.session.pk, self.meeting.pk, self.assessment.pk, self.result.pk
        return {
            "session": ("GET", reverse("grading:session", args=[s])),
            "attendance": ("GET", reverse("grading:attendance", args=[m])),
            "attendance-post": ("POST", reverse("grading:attendance", args=[m])),
            "sheet": ("GET", reverse("grading:attendance-sheet", args=[s])),
            "make-up": ("GET", reverse("grading:make-up", args=[s])),
            "make-up-post": ("POST", reverse("grading:make-up", args=[s])),
            "create": ("GET", reverse("grading:assessment-create", args=[s])),
            "grid": ("GET", reverse("grading:grid", args=[a])),
            "grid-post": ("POST", reverse("grading:grid", args=[a])),
            "ready": ("POST", reverse("grading:mark-ready", args=[a])),
            "release": ("GET", reverse("grading:release", args=[a])),
            "release-post": ("POST", reverse("grading:release", args=[a])),
            "template": ("GET", reverse("grading:import-template", args=[a, "csv"])),
            "import": ("GET", reverse("grading:import", args=[a])),
            "change": ("GET", reverse("grading:change-result", args=[r])),
            "change-post": ("POST", reverse("grading:change-result", args=[r])),
            "repeat": ("GET", reverse("grading:ask-repeat", args=[r])),
            "history": ("GET", reverse("grading:result-history", args=[r])),
        }

    def request(self, method, url):
        return self.client.get(url) if method == "GET" else self.client.post(url, {})

    def test_a_trainer_of_another_session_gets_not_found_on_every_view(self):
        self.login(self.other_trainer)
        for name, (method, url) in self.urls().items():
            with self.subTest(name):
                self.assertEqual(self.request(method, url).status_code, 404)

    def test_a_trainee_or_an_outsider_cannot_reach_any_trainer_view(self):
        for person in (self.trainee, self.outsider):
            self.login(person)
            for name, (method, url) in self.urls().items():
                with self.subTest(name, person=person.email):
                    self.assertIn(self.request(method, url).status_code, (403, 404))

    def test_anonymous_visitors_are_sent_to_sign_in(self):
        method, url = self.urls()["grid"]
        response = self.client.get(url)
        self.assertEqual(response.status_code, 302)

    def test_the_trainer_of_the_session_reaches_every_page(self):
        self.login(self.trainer)
        for name in (
            "session",
            "attendance",
            "sheet",
            "make-up",
            "create",
            "grid",
            "release",
            "template",
            "import",
            "change",
            "repeat",
            "history",
        ):
            method, url = self.urls()[name]
            with self.subTest(name):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_the_trainer_home_lists_only_the_sessions_they_teach(self):
        self.login(self.other_trainer)
        response = self.client.get(reverse("grading:home"))
        sessions = [row.session for row in response.context["rows"]]
        self.assertEqual(sessions, [self.other_session])

    def test_a_coordinator_reads_sessions_sheets_and_history_but_does_not_grade(self):
        self.login(self.coordinator)
        for name in ("session", "sheet", "history"):
            with self.subTest(name):
                self.assertEqual(self.client.get(self.urls()[name][1]).status_code, 200)
        for name in ("grid", "attendance", "change", "release-post"):
            method, url = self.urls()[name]
            with self.subTest(name):
                self.assertEqual(self.request(method, url).status_code, 404)

    def test_the_coordination_page_is_for_coordinators_only(self):
        self.login(self.trainer)
        self.assertEqual(self.client.get(reverse("grading:coordination")).status_code, 403)
        self.login(self.coordinator)
        self.assertEqual(self.client.get(reverse("grading:coordination")).status_code, 200)


class CoordinatorHistoryTests(PersonasTestCase):
    def test_a_released_result_changed_with_a_reason_keeps_its_previous_value_for_the_coordinator(
        self,
    ):
        session = make_session(trainer=self.trainer, trainees=[self.trainee])
        assessment = make_assessment(session, self.trainer)
        grade_all(assessment, self.trainer, [self.trainee], feedback="Première version du retour.")
        services.mark_ready_for_review(assessment=assessment, by=self.trainer)
        services.release_results(assessment=assessment, by=self.trainer)
        result = Result.objects.get(assessment=assessment)
        criterion = assessment.criteria.first()
        services.change_released_result(
            result=result,
            by=self.trainer,
            reason="Confusion entre deux stagiaires.",
            grade=services.Grade(
                judgements={criterion.pk: ("not_yet", "Pas observé.")},
                feedback="Version corrigée.",
            ),
        )
        self.login(self.coordinator)
        response = self.client.get(reverse("grading:result-history", args=[result.pk]))
        self.assertContains(response, "Première version du retour.")
        self.assertContains(response, "Version corrigée.")
        self.assertContains(response, "Confusion entre deux stagiaires.")
        overview = self.client.get(reverse("grading:coordination"))
        self.assertContains(overview, "Confusion entre deux stagiaires.")
        admin = self.client.get("/admin/")
        self.assertContains(admin, "grading-coordination")

    def test_the_change_form_requires_a_reason(self):
        session = make_session(trainer=self.trainer, trainees=[self.trainee])
        assessment = make_assessment(session, self.trainer)
        grade_all(assessment, self.trainer, [self.trainee])
        services.mark_ready_for_review(assessment=assessment, by=self.trainer)
        services.release_results(assessment=assessment, by=self.trainer)
        result = Result.objects.get(assessment=assessment)
        self.login(self.trainer)
        response = self.client.post(
            reverse("grading:change-result", args=[result.pk]),
            {f"r{self.trainee.pk}-feedback": "Autre chose", "reason": ""},
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(result.changes.filter(kind="changed").exists())
