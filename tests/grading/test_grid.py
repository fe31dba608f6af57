from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.grading.models import Assessment, Judgement, Result
from tests.base import PersonasTestCase

from .factories import grade_all, make_assessment, make_session, make_trainees


class GridQueriesTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        trainees = make_trainees(25)
        cls.small = make_session(trainer=cls.trainer, trainees=trainees[:5], criteria=8)
        cls.large = make_session(trainer=cls.trainer, trainees=trainees, criteria=8)
        cls.small_assessment = make_assessment(cls.small, cls.trainer)
        cls.large_assessment = make_assessment(cls.large, cls.trainer)
        grade_all(cls.small_assessment, cls.trainer, trainees[:5])
        grade_all(cls.large_assessment, cls.trainer, trainees)

    def count(self, assessment):
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("grading:grid", args=[assessment.pk]))
        self.assertEqual(response.status_code, 200)
        return len(queries), response

    def test_the_grid_loads_with_the_same_number_of_queries_for_5_and_25_trainees(self):
        self.login(self.trainer)
        self.count(self.small_assessment)  # warm caches (session, roles)
        small, _ = self.count(self.small_assessment)
        large, response = self.count(self.large_assessment)
        self.assertEqual(small, large)
        self.assertEqual(len(response.context["rows"]), 25)
        self.assertEqual(len(response.context["criteria"]), 8)
        with self.assertNumQueries(large):
            self.client.get(reverse("grading:grid", args=[self.large_assessment.pk]))


class GridSaveTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.session = make_session(trainer=cls.trainer, trainees=[cls.trainee, cls.other_trainee])
        cls.assessment = make_assessment(cls.session, cls.trainer, max_score=20, pass_mark=10)
        cls.criteria = list(cls.assessment.criteria.all())

    def cell(self, trainee, criterion, name):
        return f"r{trainee.pk}-c{criterion.pk}-{name}"

    def test_the_grid_saves_every_trainee_at_once_with_score_and_pass(self):
        self.login(self.trainer)
        data = {}
        for trainee in (self.trainee, self.other_trainee):
            for criterion in self.criteria:
                data[self.cell(trainee, criterion, "level")] = "acquired"
                data[self.cell(trainee, criterion, "why")] = "Écoute active observée."
            data[f"r{trainee.pk}-feedback"] = "Merci pour ta présence."
        data[f"r{self.trainee.pk}-score"] = "14,5"
        data[f"r{self.other_trainee.pk}-score"] = "8"
        response = self.client.post(reverse("grading:grid", args=[self.assessment.pk]), data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Judgement.objects.count(), 4)
        passed = dict(Result.objects.values_list("trainee__email", "passed"))
        self.assertEqual(passed, {self.trainee.email: True, self.other_trainee.email: False})

    def test_a_missing_justification_saves_nothing_and_names_the_trainee_and_criterion(self):
        self.login(self.trainer)
        first, second = self.criteria
        data = {
            self.cell(self.trainee, first, "level"): "acquired",
            self.cell(self.trainee, first, "why"): "Très clair.",
            self.cell(self.other_trainee, second, "level"): "mastered",
            self.cell(self.other_trainee, second, "why"): "",
        }
        response = self.client.post(reverse("grading:grid", args=[self.assessment.pk]), data)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Judgement.objects.exists())
        [error] = response.context["errors"]
        self.assertIn(self.other_trainee.get_full_name(), error)
        self.assertIn(second.competency.code, error)
        # What the trainer typed is still there.
        self.assertContains(response, "Très clair.", status_code=400)

    def test_the_grid_page_loads_its_keyboard_script_without_inline_code(self):
        self.login(self.trainer)
        response = self.client.get(reverse("grading:grid", args=[self.assessment.pk]))
        self.assertContains(response, "grading/grid.js")
        self.assertNotContains(response, "<script>")


class AssessmentCreateTests(PersonasTestCase):
    def test_a_trainer_creates_an_assessment_with_a_rubric_per_competency_and_a_second_marker(
        self,
    ):
        session = make_session(trainer=self.trainer, trainees=[self.trainee], criteria=3)
        self.login(self.trainer)
        response = self.client.post(
            reverse("grading:assessment-create", args=[session.pk]),
            {
                "module": session.module.pk,
                "title": "Récit réflexif",
                "method": "written_reflection",
                "max_score": "20",
                "pass_mark": "12",
                "second_marker": self.other_trainer.pk,
            },
        )
        assessment = Assessment.objects.get(session=session)
        self.assertRedirects(response, reverse("grading:grid", args=[assessment.pk]))
        self.assertEqual(assessment.criteria.count(), 3)
        self.assertEqual(assessment.second_marker, self.other_trainer)
        # The second marker may open the grid to review it.
        self.login(self.other_trainer)
        self.assertEqual(
            self.client.get(reverse("grading:grid", args=[assessment.pk])).status_code, 200
        )
