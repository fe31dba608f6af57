"""Reminders two days before each meeting, and a notice when a session's time or place changes."""

from datetime import timedelta

from django.db import OperationalError, connection
from django.test import TestCase
from django.utils import timezone

from courses.models import Enrolment, Meeting, Session
from courses.notices import send_session_reminders
from courses.tasks import send_session_reminders_task
from lms.notifications.models import OutboxEmail
from tests.courses.factories import SessionFactory, VenueFactory
from tests.lms.factories import UserFactory


class NoticeTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.trainee = UserFactory(first_name="Inès")
        cls.waiting = UserFactory(first_name="Louis")
        cls.session = SessionFactory(meetings=2, meetings__days=5)
        Enrolment.objects.create(
            session=cls.session, trainee=cls.trainee, status=Enrolment.Status.CONFIRMED
        )
        Enrolment.objects.create(
            session=cls.session,
            trainee=cls.waiting,
            status=Enrolment.Status.WAITING_LIST,
            queue_position=1,
        )

    def emails(self, user, event) -> list[OutboxEmail]:
        return list(OutboxEmail.objects.filter(recipient=user, event=event).order_by("pk"))


class ReminderTests(NoticeTestCase):
    def test_each_meeting_is_recalled_once_about_two_days_before_with_the_calendar_file(self):
        first = self.session.meetings.order_by("starts_at").first()
        now = first.starts_at - timedelta(hours=47)
        self.assertEqual(send_session_reminders(now=now - timedelta(hours=25)), 0)

        send_session_reminders(now=now)
        send_session_reminders(now=now + timedelta(hours=1))

        [email] = self.emails(self.trainee, "session.reminder")
        self.assertIn("Dans deux jours", email.subject)
        self.assertEqual(email.attachments[0]["filename"], f"{self.session.code}.ics")
        self.assertIn("BEGIN:VCALENDAR", email.attachments[0]["content"])
        # Only people holding a confirmed place are reminded.
        self.assertEqual(self.emails(self.waiting, "session.reminder"), [])

    def test_a_second_run_in_the_same_window_counts_nothing(self):
        first = self.session.meetings.order_by("starts_at").first()
        now = first.starts_at - timedelta(hours=47)

        self.assertEqual(send_session_reminders(now=now), 1)
        self.assertEqual(send_session_reminders(now=now + timedelta(hours=1)), 0)
        self.assertEqual(len(self.emails(self.trainee, "session.reminder")), 1)

    def test_the_periodic_task_is_retried_after_a_passing_database_error(self):
        failures = []

        def lose_the_connection_once(execute, sql, params, many, context):
            if not failures and "courses_meeting" in sql:
                failures.append(sql)
                raise OperationalError("server closed the connection unexpectedly")
            return execute(sql, params, many, context)

        with connection.execute_wrapper(lose_the_connection_once):
            outcome = send_session_reminders_task.apply(throw=False)

        self.assertEqual(len(failures), 1)
        self.assertTrue(outcome.successful(), outcome.traceback)

    def test_a_cancelled_session_sends_no_reminder(self):
        Session.objects.filter(pk=self.session.pk).update(status=Session.Status.CANCELLED)
        first = self.session.meetings.order_by("starts_at").first()
        self.assertEqual(send_session_reminders(now=first.starts_at - timedelta(hours=47)), 0)


class ChangeNoticeTests(NoticeTestCase):
    def test_a_new_time_is_announced_once_with_the_new_schedule(self):
        meeting = self.session.meetings.order_by("starts_at").first()
        new_start = (meeting.starts_at + timedelta(days=1)).replace(hour=13)
        with self.captureOnCommitCallbacks(execute=True):
            meeting.starts_at = new_start
            meeting.ends_at = new_start + timedelta(hours=3)
            meeting.save()
            meeting.save()  # saved twice in the same action: still one notice

        [email] = self.emails(self.trainee, "session.changed")
        self.assertIn("Changement d’horaire ou de lieu", email.subject)
        local = timezone.localtime(new_start)
        self.assertIn(f"{local:%H}:{local:%M}", email.text_body)
        self.assertEqual(email.attachments[0]["mimetype"], "text/calendar")
        self.assertEqual(self.emails(self.waiting, "session.changed"), [])

    def test_saving_without_a_change_sends_nothing(self):
        meeting = self.session.meetings.first()
        with self.captureOnCommitCallbacks(execute=True):
            meeting.save()
            self.session.save()
        self.assertEqual(self.emails(self.trainee, "session.changed"), [])

    def test_a_new_venue_then_a_new_meeting_are_two_notices(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.session.venue = VenueFactory(name="Maison des associations")
            self.session.save()
        last = self.session.meetings.order_by("starts_at").last()
        with self.captureOnCommitCallbacks(execute=True):
            Meeting.objects.create(
                session=self.session,
                starts_at=last.starts_at + timedelta(days=7),
                ends_at=last.ends_at + timedelta(days=7),
            )
        first, second = self.emails(self.trainee, "session.changed")
        self.assertIn("Maison des associations", first.text_body)
        self.assertNotEqual(first.dedupe_key, second.dedupe_key)

    def test_a_draft_session_being_built_announces_nothing(self):
        draft = SessionFactory(status=Session.Status.DRAFT)
        with self.captureOnCommitCallbacks(execute=True):
            meeting = draft.meetings.first()
            meeting.room = "Salle 2"
            meeting.save()
        self.assertFalse(OutboxEmail.objects.filter(event="session.changed").exists())
