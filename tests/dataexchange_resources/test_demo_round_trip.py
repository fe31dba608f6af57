"""The demo's courses, sessions and meetings exported then checked again: nothing would change."""

from datetime import timedelta

from django.test import TestCase

from courses import demo as courses_demo
from courses.models import Meeting
from lms.accounts import demo as accounts_demo
from lms.dataexchange.files import read_dataset
from lms.dataexchange.services import export_file, import_dataset
from lms.notifications.services import quiet_emails


class DemoRoundTripTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with quiet_emails():
            courses_demo.seed_sessions(accounts_demo.seed_people())
        # A meeting saved with microseconds (as timezone.now() gives them) is still found by
        # its session and start.
        meeting = Meeting.objects.order_by("pk").first()
        Meeting.objects.filter(pk=meeting.pk).update(
            starts_at=meeting.starts_at + timedelta(microseconds=123456)
        )

    def test_exported_sessions_and_meetings_import_again_unchanged(self):
        # The demo stores enrolment_opens with microseconds (now minus 30 days); files carry
        # seconds. A value equal to the second is the same value.
        for name in ("courses", "sessions", "meetings"):
            for fmt in ("csv", "xlsx", "json"):
                with self.subTest(name=name, fmt=fmt):
                    content, _filename = export_file(name=name, fmt=fmt, actor=None)
                    dataset = read_dataset(content, fmt)
                    summary = import_dataset(name, dataset, dry_run=True, actor=None)
                    self.assertTrue(summary.ok, (summary.row_errors, summary.general_errors))
                    self.assertGreater(len(dataset), 0)
                    self.assertEqual(
                        (summary.new, summary.updated, summary.unchanged),
                        (0, 0, len(dataset)),
                    )
