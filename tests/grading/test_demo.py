from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from certification.models import LedgerEntry
from courses.grading.models import AttendanceRecord, Result
from courses.grading.selectors import attendance_warnings
from courses.models import Session


class GradingDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", stdout=StringIO())
        cls.session = Session.objects.get(code="DEMO-NAM-B4-PASSE")

    def test_a_finished_session_has_attendance_released_draft_and_repeat_results(self):
        self.assertEqual(self.session.status, Session.Status.COMPLETED)
        self.assertEqual(AttendanceRecord.objects.filter(meeting__session=self.session).count(), 12)
        statuses = dict(
            Result.objects.filter(assessment__session=self.session).values_list(
                "trainee__email", "status"
            )
        )
        self.assertEqual(
            sorted(statuses.values()), ["asked_to_repeat", "draft", "released", "released"]
        )

    def test_released_results_are_in_the_ledger_and_low_attendance_is_flagged(self):
        released = Result.objects.filter(status=Result.Status.RELEASED)
        for result in released:
            self.assertTrue(
                LedgerEntry.objects.filter(
                    person=result.trainee, source_reference=result.reference, kind="competency"
                ).exists()
            )
        flagged = {w.trainee.first_name for w in attendance_warnings()}
        self.assertIn("Noah", flagged)

    def test_running_the_demo_again_creates_nothing_new(self):
        counts = (
            LedgerEntry.objects.count(),
            Result.objects.count(),
            AttendanceRecord.objects.count(),
        )
        call_command("seed_demo", stdout=StringIO())
        self.assertEqual(
            (LedgerEntry.objects.count(), Result.objects.count(), AttendanceRecord.objects.count()),
            counts,
        )
