from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import OperationalError, connection
from django.utils import timezone

from certification.models import AttendanceRecord as CertificationAttendance
from certification.models import Certificate, LedgerEntry
from courses.grading import services
from courses.grading.models import Assessment, Result, ResultChange
from courses.grading.tasks import release_results_task
from lms.audit.models import AuditEvent
from lms.notifications.models import Notification
from tests.base import PersonasTestCase

from .factories import (
    attend,
    certification_with_rules,
    grade_all,
    make_assessment,
    make_session,
)


class ReleaseResultsTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.session = make_session(
            trainer=cls.trainer, trainees=[cls.trainee, cls.other_trainee], criteria=2
        )
        cls.assessment = make_assessment(cls.session, cls.trainer)

    def grade_and_mark_ready(self):
        grade_all(self.assessment, self.trainer, [self.trainee, self.other_trainee])
        services.mark_ready_for_review(assessment=self.assessment, by=self.trainer)

    def test_it_refuses_to_release_a_draft_assessment(self):
        with self.assertRaises(ValidationError):
            services.release_results(assessment=self.assessment, by=self.trainer)

    def test_releasing_writes_one_acquisition_per_trainee_and_competency_with_its_source(self):
        self.grade_and_mark_ready()
        services.release_results(assessment=self.assessment, by=self.trainer)
        entries = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.COMPETENCY)
        self.assertEqual(entries.count(), 4)
        entry = entries.filter(person=self.trainee).first()
        self.assertEqual(entry.source, LedgerEntry.Source.TRAINING_RESULT)
        self.assertEqual(entry.recorded_by, self.trainer)
        self.assertEqual(entry.effective_on, timezone.localdate())
        result = Result.objects.get(assessment=self.assessment, trainee=self.trainee)
        self.assertEqual(entry.source_reference, f"grading.Result:{result.pk}")

    def test_releasing_records_the_module_training_and_ethics_hours(self):
        self.grade_and_mark_ready()
        services.release_results(assessment=self.assessment, by=self.trainer)
        hours = {
            e.hours_kind: e.hours
            for e in LedgerEntry.objects.filter(person=self.trainee, kind=LedgerEntry.Kind.HOURS)
        }
        self.assertEqual(hours, {"training": Decimal("10.00"), "ethics": Decimal("2.00")})

    def test_releasing_twice_or_rerunning_the_task_writes_the_ledger_exactly_once(self):
        self.grade_and_mark_ready()
        services.release_results(assessment=self.assessment, by=self.trainer)
        count = LedgerEntry.objects.count()
        services.release_results(assessment=self.assessment, by=self.trainer)
        release_results_task(self.assessment.pk)
        release_results_task(self.assessment.pk)
        self.assertEqual(LedgerEntry.objects.count(), count)
        self.assertEqual(count, 8)  # 2 trainees × (2 competencies + training + ethics)
        self.assertEqual(Notification.objects.filter(event="results.released").count(), 2)

    def test_the_task_repairs_ledger_writes_without_duplicating_them(self):
        self.grade_and_mark_ready()
        services.release_results(assessment=self.assessment, by=self.trainer)
        before = set(LedgerEntry.objects.values_list("dedupe_key", flat=True))
        release_results_task(self.assessment.pk)
        self.assertEqual(set(LedgerEntry.objects.values_list("dedupe_key", flat=True)), before)

    def test_a_passing_database_error_is_retried_and_the_task_then_succeeds(self):
        self.grade_and_mark_ready()
        services.release_results(assessment=self.assessment, by=self.trainer)
        failures = []

        def lose_the_connection_once(execute, sql, params, many, context):
            if not failures and "grading_result" in sql:
                failures.append(sql)
                raise OperationalError("server closed the connection unexpectedly")
            return execute(sql, params, many, context)

        with connection.execute_wrapper(lose_the_connection_once):
            outcome = release_results_task.apply(args=[self.assessment.pk], throw=False)

        self.assertEqual(len(failures), 1)
        self.assertTrue(outcome.successful(), outcome.traceback)
        self.assertEqual(outcome.result, 2)

    def test_not_yet_levels_write_no_competency(self):
        grade_all(self.assessment, self.trainer, [self.trainee], level="not_yet")
        services.mark_ready_for_review(assessment=self.assessment, by=self.trainer)
        services.release_results(assessment=self.assessment, by=self.trainer)
        self.assertFalse(LedgerEntry.objects.filter(kind=LedgerEntry.Kind.COMPETENCY).exists())
        result = Result.objects.get(assessment=self.assessment, trainee=self.trainee)
        self.assertIs(result.passed, False)

    def test_an_incomplete_result_stays_in_draft_and_is_not_released(self):
        criterion = self.assessment.criteria.first()
        services.grade(
            assessment=self.assessment,
            by=self.trainer,
            grades={
                self.trainee.pk: services.Grade(judgements={criterion.pk: ("acquired", "Vu.")})
            },
        )
        incomplete = services.mark_ready_for_review(assessment=self.assessment, by=self.trainer)
        self.assertEqual([r.trainee for r in incomplete], [self.trainee])
        services.release_results(assessment=self.assessment, by=self.trainer)
        result = Result.objects.get(assessment=self.assessment, trainee=self.trainee)
        self.assertEqual(result.status, Result.Status.DRAFT)
        self.assertFalse(LedgerEntry.objects.exists())

    def test_release_notifies_audits_and_keeps_the_workflow_history(self):
        self.grade_and_mark_ready()
        services.release_results(assessment=self.assessment, by=self.trainer)
        self.assertTrue(
            Notification.objects.filter(recipient=self.trainee, event="results.released").exists()
        )
        self.assertEqual(AuditEvent.objects.filter(action="result.released").count(), 2)
        self.assessment.refresh_from_db()
        self.assertEqual(self.assessment.status, Assessment.Status.RELEASED)
        self.assertEqual(
            list(self.assessment.status_changes.values_list("to_status", flat=True)),
            ["draft", "ready_for_review", "released"],
        )


class ReleaseIssuesCertificateTests(PersonasTestCase):
    def test_release_pushes_attendance_and_issues_the_certificate_when_eligible(self):
        certification = certification_with_rules(
            "grading-cert-fw", min_attendance_rate=Decimal("80"), required_block_codes=["B1"]
        )
        session = make_session(
            trainer=self.trainer,
            trainees=[self.trainee],
            criteria=2,
            certification=certification,
            framework_code="grading-cert-fw",
        )
        for meeting in session.meetings.all():
            attend(meeting, self.trainee)
        assessment = make_assessment(session, self.trainer)
        grade_all(assessment, self.trainer, [self.trainee])
        services.mark_ready_for_review(assessment=assessment, by=self.trainer)
        services.release_results(assessment=assessment, by=self.trainer)
        self.assertEqual(
            CertificationAttendance.objects.get(person=self.trainee).rate, Decimal("100.00")
        )
        self.assertTrue(
            Certificate.objects.filter(holder=self.trainee, certification=certification).exists()
        )


class ChangeReleasedResultTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.session = make_session(trainer=cls.trainer, trainees=[cls.trainee], criteria=2)
        cls.assessment = make_assessment(cls.session, cls.trainer)
        grade_all(cls.assessment, cls.trainer, [cls.trainee], feedback="Très bien.")
        services.mark_ready_for_review(assessment=cls.assessment, by=cls.trainer)
        services.release_results(assessment=cls.assessment, by=cls.trainer)
        cls.result = Result.objects.get(assessment=cls.assessment, trainee=cls.trainee)
        cls.criterion = cls.assessment.criteria.first()

    def change(self, reason="Erreur de saisie : compétence pas encore observée."):
        return services.change_released_result(
            result=self.result,
            by=self.trainer,
            reason=reason,
            grade=services.Grade(
                judgements={self.criterion.pk: ("not_yet", "Pas encore observé.")},
                feedback="Presque.",
            ),
        )

    def test_a_reason_is_required(self):
        with self.assertRaises(ValidationError):
            self.change(reason="  ")
        self.assertFalse(self.result.changes.filter(kind=ResultChange.Kind.CHANGED).exists())

    def test_the_history_keeps_the_previous_value_and_the_reason(self):
        self.change()
        change = self.result.changes.get(kind=ResultChange.Kind.CHANGED)
        code = self.criterion.competency.code
        self.assertEqual(change.before["feedback"], "Très bien.")
        self.assertEqual(change.before["judgements"][code]["level"], "acquired")
        self.assertEqual(change.after["judgements"][code]["level"], "not_yet")
        self.assertEqual(change.changed_by, self.trainer)
        self.assertIn("Erreur de saisie", change.reason)

    def test_a_competency_no_longer_acquired_is_withdrawn_from_the_ledger(self):
        self.change()
        current = LedgerEntry.objects.current().filter(
            person=self.trainee, competency=self.criterion.competency
        )
        self.assertFalse(current.exists())
        self.assertTrue(
            LedgerEntry.objects.filter(
                withdrawn=True, competency=self.criterion.competency
            ).exists()
        )

    def test_acquired_again_after_a_withdrawal_writes_a_new_entry(self):
        self.change()
        services.change_released_result(
            result=self.result,
            by=self.trainer,
            reason="Revu avec la co-formatrice.",
            grade=services.Grade(
                judgements={self.criterion.pk: ("acquired", "Observé en stage.")},
                feedback="Très bien.",
            ),
        )
        self.assertTrue(
            LedgerEntry.objects.current()
            .filter(person=self.trainee, competency=self.criterion.competency)
            .exists()
        )


class AskToRepeatTests(PersonasTestCase):
    def test_it_needs_a_future_deadline_and_tells_the_trainee(self):
        session = make_session(trainer=self.trainer, trainees=[self.trainee])
        assessment = make_assessment(session, self.trainer)
        [result] = grade_all(assessment, self.trainer, [self.trainee], level="not_yet")
        with self.assertRaises(ValidationError):
            services.ask_to_repeat(result=result, by=self.trainer, deadline=timezone.localdate())
        deadline = timezone.localdate() + timedelta(days=30)
        services.ask_to_repeat(result=result, by=self.trainer, deadline=deadline)
        result.refresh_from_db()
        self.assertEqual(result.status, Result.Status.ASKED_TO_REPEAT)
        self.assertEqual(result.repeat_deadline, deadline)
        self.assertTrue(
            Notification.objects.filter(
                recipient=self.trainee, event="results.asked_to_repeat"
            ).exists()
        )


class PeriodicAttendancePushTests(PersonasTestCase):
    def test_recently_completed_sessions_send_their_attendance_to_certification(self):
        from courses import services as courses_services
        from courses.grading.tasks import push_completed_sessions_attendance_task

        certification = certification_with_rules("grading-push-fw")
        session = make_session(
            trainer=self.trainer,
            trainees=[self.trainee],
            certification=certification,
            framework_code="grading-push-fw",
        )
        first, second = session.meetings.all()
        attend(first, self.trainee)
        attend(second, self.trainee, status="absent")
        courses_services.complete_session(session=session, by=self.coordinator)
        self.assertEqual(push_completed_sessions_attendance_task(), 1)
        self.assertEqual(
            CertificationAttendance.objects.get(person=self.trainee).rate, Decimal("50.00")
        )
