from django.urls import reverse

from courses.grading import services
from courses.grading.models import Result
from tests.base import PersonasTestCase

from .factories import certification_with_rules, grade_all, make_assessment, make_session


class TraineeResultsTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        certification = certification_with_rules("grading-trainee-fw", required_block_codes=["B1"])
        cls.session = make_session(
            trainer=cls.trainer,
            trainees=[cls.trainee, cls.other_trainee],
            criteria=4,
            certification=certification,
            framework_code="grading-trainee-fw",
        )
        cls.released = make_assessment(cls.session, cls.trainer)
        cls.released.title = "Récit réflexif"
        cls.released.save()
        criteria = list(cls.released.criteria.all())
        # Julie: B1 both acquired, B2 one of two.
        services.grade(
            assessment=cls.released,
            by=cls.trainer,
            grades={
                cls.trainee.pk: services.Grade(
                    judgements={
                        c.pk: ("not_yet" if c == criteria[-1] else "acquired", "Observé.")
                        for c in criteria
                    },
                    feedback="Un récit juste et nuancé.",
                )
            },
        )
        services.mark_ready_for_review(assessment=cls.released, by=cls.trainer)
        services.release_results(assessment=cls.released, by=cls.trainer)
        cls.draft = make_assessment(cls.session, cls.trainer)
        cls.draft.title = "Jeu de rôle secret"
        cls.draft.save()
        grade_all(cls.draft, cls.trainer, [cls.trainee], feedback="Brouillon pas encore publié.")

    def test_a_trainee_sees_only_released_results(self):
        self.login(self.trainee)
        response = self.client.get(reverse("grading:my-results"))
        self.assertContains(response, "Un récit juste et nuancé.")
        self.assertNotContains(response, "Brouillon pas encore publié.")
        self.assertNotContains(response, "Jeu de rôle secret")
        self.assertEqual([r.assessment for r in response.context["results"]], [self.released])

    def test_a_trainee_never_sees_someone_elses_results(self):
        self.login(self.other_trainee)
        response = self.client.get(reverse("grading:my-results"))
        self.assertNotContains(response, "Un récit juste et nuancé.")

    def test_competency_progress_is_shown_by_block_as_progress_bars_with_text(self):
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        self.login(self.trainee)
        response = self.client.get("/en" + reverse("grading:my-results"))
        self.assertContains(response, "B1: 2 / 2 competencies")
        self.assertContains(response, "B2: 1 / 2 competencies")
        self.assertContains(response, '<progress id="progress-', count=2)
        self.assertNotContains(response, 'style="')

    def test_the_space_shows_the_results_panel_to_trainees(self):
        self.login(self.trainee)
        response = self.client.get(reverse("accounts:dashboard"))
        self.assertContains(response, reverse("grading:my-results"))

    def test_asked_to_repeat_is_shown_with_its_deadline(self):
        from datetime import timedelta

        from django.utils import timezone

        result = Result.objects.get(assessment=self.draft, trainee=self.trainee)
        services.ask_to_repeat(
            result=result, by=self.trainer, deadline=timezone.localdate() + timedelta(days=20)
        )
        self.login(self.trainee)
        response = self.client.get(reverse("grading:my-results"))
        self.assertIn(result, response.context["results"])
