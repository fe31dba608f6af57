"""Every training figure of the reports, on the known dataset of tests/reports/data.py."""

from datetime import date
from decimal import Decimal as D

from django.test import TestCase
from django.utils import translation

from courses import reports
from courses.grading.models import AttendanceRecord, MakeUp
from courses.grading.selectors import attendance_by_session, attendance_summary_from
from lms.reports.registry import ReportFilters
from tests.reports import data


class TrainingReportsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.data = data.build()

    def setUp(self):
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def table(self, key, **filters):
        tables = {t.key: t for t in reports.training_tables(ReportFilters(**filters))}
        tables |= {t.key: t for t in reports.hours_tables(ReportFilters(**filters))}
        return tables[key]

    def test_it_counts_enrolled_trained_and_certified_per_month(self):
        table = self.table("per_period")
        self.assertEqual(
            table.rows,
            [
                ["2025-02", 4, 0, 0],
                ["2025-03", 2, 2, 0],
                ["2025-04", 0, 1, 0],
                ["2025-05", 0, 0, 1],
            ],
        )
        # Five different people enrolled; Amélie, trained twice, counts once.
        self.assertEqual(table.total[1:], [5, 2, 1])

    def test_it_groups_by_quarter_and_year(self):
        self.assertEqual(
            self.table("per_period", granularity="quarter").rows,
            [["2025-Q1", 5, 2, 0], ["2025-Q2", 0, 1, 1]],
        )
        self.assertEqual(self.table("per_period", granularity="year").rows, [["2025", 5, 2, 1]])

    def test_the_region_filter_narrows_every_figure(self):
        table = self.table("per_period", region="namur")
        self.assertEqual(
            table.rows, [["2025-02", 4, 0, 0], ["2025-03", 0, 2, 0], ["2025-05", 0, 0, 1]]
        )

    def test_the_course_filter_narrows_every_figure(self):
        table = self.table("per_period", course=self.data.bases.pk)
        # "Bases" leads to no certification: nobody is certified through it.
        self.assertEqual(table.rows, [["2025-03", 2, 0, 0], ["2025-04", 0, 1, 0]])

    def test_the_period_filter_applies_to_each_figure_by_its_own_date(self):
        table = self.table("per_period", start=date(2025, 3, 1), end=date(2025, 3, 31))
        self.assertEqual(table.rows, [["2025-03", 2, 2, 0]])

    def test_it_counts_per_region(self):
        self.assertEqual(
            self.table("per_region").rows,
            [["Liège", 2, 1, D("6.00")], ["Namur", 4, 2, D("12.00")]],
        )

    def test_it_counts_per_course(self):
        self.assertEqual(
            self.table("per_course").rows,
            [["Accompagner", 4, 2, D("12.00")], ["Bases", 2, 1, D("6.00")]],
        )

    def test_it_adds_up_hours_delivered_and_attended_per_month(self):
        table = self.table("hours")
        self.assertEqual(
            table.rows,
            [["2025-03", 2, D("12.00"), D("29.00")], ["2025-04", 1, D("6.00"), D("10.00")]],
        )
        self.assertEqual(table.total[1:], [3, D("18.00"), D("39.00")])

    def test_it_computes_attendance_rates_per_region_and_course(self):
        self.assertEqual(
            self.table("attendance_region").rows,
            [
                ["Liège", D("12.00"), D("10.00"), D("83.3")],
                ["Namur", D("48.00"), D("29.00"), D("60.4")],
            ],
        )
        self.assertEqual(
            self.table("attendance_region").total[1:], [D("60.00"), D("39.00"), D("65.0")]
        )
        self.assertEqual(
            self.table("attendance_course").rows,
            [
                ["Accompagner", D("48.00"), D("29.00"), D("60.4")],
                ["Bases", D("12.00"), D("10.00"), D("83.3")],
            ],
        )

    def test_the_funnel_counts_each_step_among_those_who_passed_the_previous_one(self):
        self.assertEqual(
            reports.funnel_counts(ReportFilters()),
            {"enrolled": 6, "attended": 5, "assessed": 2, "certified": 1},
        )
        table = reports._funnel(ReportFilters())
        self.assertEqual(
            [row[1:] for row in table.rows],
            [[6, D("100.0")], [5, D("83.3")], [2, D("33.3")], [1, D("16.7")]],
        )
        self.assertEqual(
            reports.funnel_counts(ReportFilters(course=self.data.bases.pk)),
            {"enrolled": 2, "attended": 2, "assessed": 0, "certified": 0},
        )

    def test_every_table_is_empty_for_a_period_without_data(self):
        filters = {"start": date(2020, 1, 1), "end": date(2020, 12, 31)}
        for key in ("per_period", "per_region", "per_course", "hours", "attendance_region"):
            with self.subTest(key):
                table = self.table(key, **filters)
                self.assertTrue(table.is_empty)
                self.assertIsNone(table.total)
        self.assertTrue(reports._funnel(ReportFilters(**filters)).is_empty)


class TrainedWithMakeUpTests(TestCase):
    """The page reads attendance sums in the query of the enrolments: they must give the
    summaries of the trainers' space (attendance_by_session), make-ups included."""

    @classmethod
    def setUpTestData(cls):
        cls.data = data.build()
        benoit = cls.data.people["Benoît"]
        missed = cls.data.sa.meetings.order_by("starts_at").last()
        AttendanceRecord.objects.filter(meeting=missed, trainee=benoit).update(
            status=AttendanceRecord.Status.EXCUSED
        )
        MakeUp.objects.create(
            trainee=benoit, missed_meeting=missed, make_up_meeting=cls.data.sb.meetings.get()
        )

    def test_the_summaries_match_the_trainers_space_and_the_make_up_counts(self):
        expected = attendance_by_session([self.data.sa, self.data.sb])
        rows = [r for r in reports.enrolment_rows(ReportFilters()) if r["is_completed"]]
        self.assertEqual(len(rows), 5)
        for row in rows:
            with self.subTest(trainee=row["trainee_id"]):
                key = (row["session_id"], row["trainee_id"])
                self.assertEqual(attendance_summary_from(row), expected[key])
        table = reports._per_period(ReportFilters(granularity="year"))
        # Amélie, Céline and now Benoît (6 h attended + 6 h made up out of 12 h).
        self.assertEqual(table.rows, [["2025", 5, 3, 1]])
