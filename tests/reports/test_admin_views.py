"""The Reports page in the admin: access, charts with their tables, downloads, research file."""

import csv
import io
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from courses.grading.models import AttendanceRecord
from courses.models import Enrolment
from lms.accounts.roles import Role
from lms.audit.models import AuditEvent
from tests.base import EnglishPersonasTestCase
from tests.courses.factories import SessionFactory
from tests.lms.factories import UserFactory
from tests.reports import data


class ReportsAccessTests(EnglishPersonasTestCase):
    def test_coordinators_see_the_page_and_the_menu_item(self):
        self.login(self.coordinator)
        response = self.client.get(reverse("reports_index"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Trainees enrolled, trained and certified per period")
        home = self.client.get(reverse("wagtailadmin_home"))
        self.assertContains(home, reverse("reports_index"))

    def test_other_roles_cannot_open_reports_or_downloads(self):
        urls = [
            reverse("reports_index"),
            reverse("reports_table", args=["training", "per_period", "csv"]),
        ]
        for person in (self.trainee, self.trainer, self.assessor, self.partner, self.outsider):
            self.login(person)
            for url in urls:
                with self.subTest(person=person.email, url=url):
                    response = self.client.get(url)
                    self.assertIn(response.status_code, (302, 403))
            response = self.client.post(reverse("reports_research"), {"format": "csv"})
            self.assertIn(response.status_code, (302, 403))
        self.assertFalse(AuditEvent.objects.filter(action="reports.research_exported").exists())

    def test_an_empty_database_shows_a_kind_empty_state(self):
        self.login(self.coordinator)
        response = self.client.get(reverse("reports_index"))
        self.assertContains(response, "No data for these filters yet.")
        self.assertNotContains(response, "report-chart")

    def test_a_period_ending_before_it_starts_is_refused_kindly(self):
        self.login(self.coordinator)
        response = self.client.get(
            reverse("reports_index"), {"start": "2025-05-01", "end": "2025-01-01"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "The end of the period must come after its start.")
        response = self.client.get(reverse("reports_index"), {"start": "not a date"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Enter a valid date.")


class ReportsPageTests(EnglishPersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.data = data.build()

    def setUp(self):
        super().setUp()
        self.login(self.coordinator)

    def test_each_table_has_an_accessible_chart_and_the_same_figures_in_a_table(self):
        response = self.client.get(reverse("reports_index"), {"granularity": "year"})
        html = response.content.decode()
        self.assertIn('role="img"', html)
        self.assertIn('<title id="chart-training-per-period-title">', html)
        self.assertIn('<desc id="chart-training-per-period-desc">', html)
        self.assertIn(
            "<caption>Trainees enrolled, trained and certified per period</caption>", html
        )
        self.assertIn('<th scope="col">Enrolled</th>', html)
        self.assertInHTML('<tr><th scope="row">2025</th><td>5</td><td>2</td><td>1</td></tr>', html)
        # In the chart the numbers are written as text next to the bars.
        start = html.index('<svg class="report-chart"')
        chart = html[start : html.index("</svg>", start)]
        self.assertIn(">Enrolled</text>", chart)
        self.assertIn(">5</text>", chart)
        self.assertIn("Liège", html)

    def test_csv_downloads_keep_the_filters_and_the_accents(self):
        url = reverse("reports_table", args=["training", "per_region", "csv"])
        response = self.client.get(url, {"granularity": "month", "region": "liege"})
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertTrue(response.content.startswith(b"\xef\xbb\xbf"))
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(
            rows,
            [["Region", "Enrolled", "Trained", "Hours delivered"], ["Liège", "2", "1", "6.00"]],
        )

    def test_xlsx_downloads_open_in_a_spreadsheet_with_numbers_and_accents(self):
        url = reverse("reports_table", args=["training", "per_period", "xlsx"])
        response = self.client.get(url, {"granularity": "year"})
        sheet = load_workbook(io.BytesIO(response.content)).active
        values = [[cell.value for cell in row] for row in sheet.iter_rows()]
        self.assertEqual(values[0], ["Period", "Enrolled", "Trained", "Certified"])
        self.assertEqual(values[1], ["2025", 5, 2, 1])
        self.assertEqual(values[2], ["Whole period", 5, 2, 1])
        region = self.client.get(reverse("reports_table", args=["training", "per_region", "xlsx"]))
        cells = [c.value for c in load_workbook(io.BytesIO(region.content)).active["A"]]
        self.assertIn("Liège", cells)

    def test_a_download_with_invalid_filters_shows_the_page_with_the_errors(self):
        url = reverse("reports_table", args=["training", "per_period", "csv"])
        response = self.client.get(
            url, {"granularity": "month", "start": "2025-06-01", "end": "2025-01-01"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response["Content-Type"], "text/html; charset=utf-8")
        self.assertContains(response, "The table could not be downloaded", status_code=400)
        self.assertContains(
            response, "The end of the period must come after its start.", status_code=400
        )
        # Correcting the filters goes back to the Reports page, not to the download.
        self.assertContains(response, f'action="{reverse("reports_index")}"', status_code=400)
        bad_course = self.client.get(url, {"granularity": "month", "course": "999999"})
        self.assertEqual(bad_course.status_code, 400)

    def test_unknown_tables_and_formats_are_not_found(self):
        for args in (
            ["training", "nope", "csv"],
            ["nope", "per_period", "csv"],
            ["training", "per_period", "pdf"],
        ):
            with self.subTest(args=args):
                self.assertEqual(
                    self.client.get(reverse("reports_table", args=args)).status_code, 404
                )

    def test_the_research_file_is_a_post_and_is_audited(self):
        self.assertEqual(self.client.get(reverse("reports_research")).status_code, 405)
        with self.settings(REPORTS_RESEARCH_K=1):
            response = self.client.post(reverse("reports_research"), {"format": "xlsx"})
        self.assertEqual(response.status_code, 200)
        sheet = load_workbook(io.BytesIO(response.content)).active
        self.assertEqual(sheet.max_row, 7)
        event = AuditEvent.objects.get(action="reports.research_exported")
        self.assertEqual(event.actor, self.coordinator)
        self.assertEqual(event.data["channel"], "admin")

    def test_the_page_runs_at_most_twenty_queries_admin_chrome_included(self):
        # 50 before the figures were read once per page (one query per table and period).
        url = reverse("reports_index")
        self.client.get(url)  # Warm caches (site, profile, content types).
        filters = {
            "granularity": "year",
            "start": "2025-01-01",
            "end": "2025-12-31",
            "region": "namur",
            "course": str(self.data.accompagner.pk),
        }
        for query in ({}, filters):
            with self.subTest(query=query), CaptureQueriesContext(connection) as captured:
                response = self.client.get(url, query)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "report-chart")
            self.assertLessEqual(len(captured), 20, [q["sql"][:80] for q in captured])

    def test_the_page_runs_the_same_number_of_queries_whatever_the_data_size(self):
        url = reverse("reports_index")
        self.client.get(url)  # Warm caches (site, profile, content types).
        with CaptureQueriesContext(connection) as small:
            self.assertEqual(self.client.get(url).status_code, 200)
        # Ten times more: sessions, enrolments and attendance in another month and region.
        start = timezone.now() - timedelta(days=60)
        trainees = [UserFactory(role=Role.TRAINEE) for _ in range(20)]
        for index in range(3):
            session = SessionFactory(
                course=self.data.bases, meetings=3, meetings__days=-60 - index * 30
            )
            for trainee in trainees:
                Enrolment.objects.create(
                    session=session,
                    trainee=trainee,
                    status=Enrolment.Status.COMPLETED,
                    requested_at=start - timedelta(days=index * 30),
                )
                for meeting in session.meetings.all():
                    AttendanceRecord.objects.create(
                        meeting=meeting, trainee=trainee, status=AttendanceRecord.Status.PRESENT
                    )
        with CaptureQueriesContext(connection) as large:
            self.assertEqual(self.client.get(url).status_code, 200)
        self.assertEqual(len(large), len(small))
