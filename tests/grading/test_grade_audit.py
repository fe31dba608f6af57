"""A result graded or regraded by hand reaches the append-only audit trail, ids only."""

from django.urls import reverse

from courses.grading import services
from courses.grading.models import Result, ResultChange
from lms.audit.models import AuditEvent
from tests.base import PersonasTestCase

from .factories import grade_all, make_assessment, make_session


class ManualGradingAuditTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.session = make_session(trainer=cls.trainer, trainees=[cls.trainee, cls.other_trainee])
        cls.assessment = make_assessment(cls.session, cls.trainer)

    def test_each_graded_result_is_recorded_with_its_author_and_change(self):
        grade_all(self.assessment, self.trainer, [self.trainee, self.other_trainee])

        events = AuditEvent.objects.filter(action="result.graded").order_by("pk")
        results = Result.objects.filter(assessment=self.assessment)
        self.assertEqual(sorted(int(e.target_id) for e in events), sorted(r.pk for r in results))
        event = events.get(target_id=str(results.get(trainee=self.trainee).pk))
        change = ResultChange.objects.get(result__trainee=self.trainee)
        self.assertEqual(
            (event.actor, event.data),
            (self.trainer, {"assessment": self.assessment.pk, "change": change.pk}),
        )
        for event in events:
            self.assertNotIn("Observé", f"{event.summary} {event.data}")
            self.assertNotIn("Bon travail", f"{event.summary} {event.data}")

    def test_a_regrade_is_recorded_and_an_unchanged_save_is_not(self):
        grade_all(self.assessment, self.trainer, [self.trainee])
        grade_all(self.assessment, self.trainer, [self.trainee])  # same grade: nothing changed
        grade_all(self.assessment, self.trainer, [self.trainee], level="mastered")

        result = Result.objects.get(assessment=self.assessment, trainee=self.trainee)
        self.assertEqual(
            AuditEvent.objects.for_target(result).filter(action="result.graded").count(), 2
        )

    def test_an_import_keeps_its_one_summary_line(self):
        criteria = list(self.assessment.criteria.all())
        services.grade(
            assessment=self.assessment,
            by=self.trainer,
            imported=True,
            grades={
                self.trainee.pk: services.Grade(
                    judgements={c.pk: ("acquired", "Vu.") for c in criteria}
                )
            },
        )
        self.assertEqual(
            list(
                AuditEvent.objects.values_list("action", flat=True).filter(action__contains="grad")
            ),
            ["grades.imported"],
        )

    def test_coordinators_find_manual_grading_in_the_audit_search(self):
        grade_all(self.assessment, self.trainer, [self.trainee])
        self.login(self.coordinator)
        response = self.client.get(reverse("audit_index"), {"action": "result."})
        self.assertContains(response, "result.graded")
