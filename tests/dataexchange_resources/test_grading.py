"""Attendance and results go through the grading services; results stay drafts."""

from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from certification.models import LedgerEntry
from courses.grading import services
from courses.grading.models import AttendanceRecord, Result, ResultChange
from lms.accounts.roles import Role
from lms.dataexchange.natural import render_datetime
from tests.dataexchange_resources.helpers import (
    dataset,
    export,
    kinds,
    replace,
    row_errors,
    run_import,
    through_format,
)
from tests.grading.factories import attend, grade_all, make_assessment, make_session, make_trainees
from tests.lms.factories import UserFactory


class AttendanceDatasetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.trainer = UserFactory(email="formateur@example.org", role=Role.TRAINER)
        cls.trainees = make_trainees(2)
        cls.session = make_session(trainer=cls.trainer, trainees=cls.trainees)
        cls.session.code = "NAM-1"
        cls.session.save()
        cls.first, cls.second = cls.session.meetings.order_by("starts_at")
        attend(cls.first, cls.trainees[0])
        attend(cls.first, cls.trainees[1], status=AttendanceRecord.Status.LATE, minutes_late=15)

    def test_round_trip_is_unchanged_in_csv_xlsx_and_json(self):
        for fmt in ("csv", "xlsx", "json"):
            with self.subTest(fmt):
                data = through_format(export("attendance"), fmt)
                self.assertEqual(kinds(run_import("attendance", data)), {"skip": 2})

    def test_a_meeting_start_saved_with_microseconds_is_found_from_the_file(self):
        # Files carry seconds; a start saved with microseconds is the same meeting.
        type(self.first).objects.filter(pk=self.first.pk).update(
            starts_at=self.first.starts_at + timedelta(microseconds=250000)
        )
        data = through_format(export("attendance"), "csv")
        self.assertEqual(kinds(run_import("attendance", data)), {"skip": 2})

    def test_it_marks_a_new_meeting_and_corrects_a_mark(self):
        data = replace(export("attendance"), "status", "excused", row=0)
        data.append(
            [
                "NAM-1",
                render_datetime(self.second.starts_at),
                "stagiaire0@example.org",
                "",
                "left_early",
                "0",
                "30",
                "",
                "",
                "",
            ]
        )
        result = run_import("attendance", data, actor=self.trainer)
        self.assertEqual(kinds(result), {"new": 1, "update": 1, "skip": 1})
        record = AttendanceRecord.objects.get(meeting=self.second, trainee=self.trainees[0])
        self.assertEqual(record.minutes_left_early, 30)
        self.assertEqual(record.recorded_by, self.trainer)
        self.assertEqual(
            AttendanceRecord.objects.get(meeting=self.first, trainee=self.trainees[0]).status,
            "excused",
        )

    def test_wrong_meeting_status_or_minutes_write_nothing(self):
        data = export("attendance")
        line = data.dict[0]
        data = dataset(
            ["session", "meeting_start", "trainee_email", "status", "minutes_late"],
            ["NAM-1", line["meeting_start"], "stagiaire0@example.org", "absent", "0"],
            ["NAM-1", "2001-01-01 09:00", "stagiaire0@example.org", "present", "0"],
            ["NAM-1", line["meeting_start"], "stagiaire1@example.org", "sleeping", "0"],
            ["NAM-1", line["meeting_start"], "stagiaire1@example.org", "present", "20"],
        )
        errors = dict(row_errors(run_import("attendance", data)))
        self.assertIn("meeting_start", errors[2])
        self.assertIn("status", errors[3])
        self.assertIn("minutes_late", errors[4])
        self.assertEqual(AttendanceRecord.objects.get(trainee=self.trainees[0]).status, "present")


class ResultDatasetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.trainer = UserFactory(email="formateur@example.org", role=Role.TRAINER)
        cls.trainees = make_trainees(3)
        cls.session = make_session(trainer=cls.trainer, trainees=cls.trainees)
        cls.assessment = make_assessment(cls.session, cls.trainer, max_score=Decimal("20"))
        grade_all(cls.assessment, cls.trainer, cls.trainees[:2])

    def test_round_trip_is_unchanged(self):
        data = export("results")
        self.assertIn("acquired", data.dict[0]["levels"])
        self.assertEqual(kinds(run_import("results", data)), {"skip": 2})

    def test_feedback_and_score_are_imported_as_drafts_with_history(self):
        data = replace(export("results"), "score", "15", row=0)
        data.append(
            [
                self.session.code,
                self.session.module.code,
                "Mise en situation",
                "stagiaire2@example.org",
                "",
                "À reprendre ensemble.",
                "8",
                "",
                "",
                "",
                "",
            ]
        )
        result = run_import("results", data, actor=self.trainer)
        self.assertEqual(kinds(result), {"new": 1, "update": 1, "skip": 1})
        new = Result.objects.get(trainee=self.trainees[2])
        self.assertEqual((new.score, new.status), (Decimal("8"), Result.Status.DRAFT))
        self.assertTrue(ResultChange.objects.filter(result=new, kind="imported").exists())
        self.assertFalse(LedgerEntry.objects.exists())

    def test_a_released_result_is_never_changed_by_import(self):
        services.mark_ready_for_review(assessment=self.assessment, by=self.trainer)
        services.release_results(assessment=self.assessment, by=self.trainer)
        data = replace(export("results"), "feedback", "Autre chose", row=0)
        result = run_import("results", data, actor=self.trainer)
        self.assertTrue(result.has_validation_errors())
        self.assertEqual(Result.objects.get(trainee=self.trainees[0]).feedback, "Bon travail.")

    def test_unknown_assessment_and_bad_score_write_nothing(self):
        code = self.session.code
        data = dataset(
            ["session", "assessment", "trainee_email", "feedback", "score"],
            [code, "Mise en situation", "stagiaire2@example.org", "Bien", "12"],
            [code, "Examen inconnu", "stagiaire2@example.org", "", ""],
            [code, "Mise en situation", "stagiaire1@example.org", "", "vingt"],
        )
        errors = dict(row_errors(run_import("results", data)))
        self.assertIn("assessment", errors[2])
        self.assertIn("score", errors[3])
        self.assertFalse(Result.objects.filter(trainee=self.trainees[2]).exists())


class GradingExportQueryTests(TestCase):
    def test_attendance_and_results_exports_run_a_fixed_number_of_queries(self):
        trainer = UserFactory(email="formateur@example.org", role=Role.TRAINER)
        counts = {"attendance": [], "results": []}
        for size, prefix in ((1, "a"), (4, "b")):
            trainees = make_trainees(size, prefix=prefix)
            session = make_session(trainer=trainer, trainees=trainees)
            for meeting in session.meetings.all():
                for trainee in trainees:
                    attend(meeting, trainee)
            grade_all(make_assessment(session, trainer), trainer, trainees)
            for name in counts:
                with CaptureQueriesContext(connection) as queries:
                    export(name)
                counts[name].append(len(queries))
        for name, (small, large) in counts.items():
            self.assertEqual(small, large, f"{name}: {small} then {large} queries")
