from datetime import timedelta

from django.db import transaction
from icalendar import Calendar

from courses import services
from courses.ics import BRUSSELS, _domain, session_ics
from courses.models import Meeting
from lms.notifications.models import OutboxEmail
from tests.courses.base import EnglishPersonasTestCase as PersonasTestCase

from .factories import SessionFactory, VenueFactory


class SessionCalendarTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.session = SessionFactory(meetings=3)

    def test_the_session_file_parses_with_one_event_per_meeting_in_brussels_time(self):
        calendar = Calendar.from_ical(session_ics(self.session))
        events = calendar.walk("VEVENT")
        self.assertEqual(len(events), 3)
        self.assertEqual(str(events[0]["DTSTART"].dt.tzinfo), "Europe/Brussels")
        self.assertIn("Namur", str(events[0]["LOCATION"]))
        self.assertTrue(str(events[0]["URL"]).endswith(f"/formations/sessions/{self.session.pk}/"))
        self.assertEqual(len(calendar.walk("VTIMEZONE")), 1)

    def test_the_public_calendar_download_needs_no_sign_in(self):
        response = self.client.get(f"/formations/sessions/{self.session.pk}/calendar.ics")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        Calendar.from_ical(response.content)


class PersonalFeedTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.mine = SessionFactory(meetings=2)
        cls.other = SessionFactory(meetings=4)
        services.enrol_trainee(session=cls.mine, trainee=cls.trainee)
        services.enrol_trainee(session=cls.other, trainee=cls.other_trainee)

    def test_the_feed_lists_only_the_owners_confirmed_meetings_without_sign_in(self):
        token = services.get_or_create_feed_token(user=self.trainee)
        response = self.client.get(f"/formations/calendrier/{token.token}.ics")
        self.assertEqual(response.status_code, 200)
        events = Calendar.from_ical(response.content).walk("VEVENT")
        self.assertEqual(len(events), 2)

    def test_a_regenerated_token_revokes_the_old_address(self):
        old = services.get_or_create_feed_token(user=self.trainee).token
        new = services.regenerate_feed_token(user=self.trainee).token
        self.assertNotEqual(old, new)
        self.assertEqual(self.client.get(f"/formations/calendrier/{old}.ics").status_code, 404)
        self.assertEqual(self.client.get(f"/formations/calendrier/{new}.ics").status_code, 200)

    def test_regenerating_needs_a_post_by_the_signed_in_person(self):
        self.login(self.trainee)
        self.assertEqual(
            self.client.get("/formations/calendrier/nouvelle-adresse/").status_code, 405
        )
        response = self.client.post("/formations/calendrier/nouvelle-adresse/")
        self.assertRedirects(response, "/formations/mes-inscriptions/")
        self.assertTrue(hasattr(self.trainee, "calendar_feed_token"))


class CalendarUpdatesTests(PersonasTestCase):
    """Calendar apps apply an update only when SEQUENCE grows for the same UID, and remove an
    event on METHOD:CANCEL."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.session = SessionFactory(meetings=2, meetings__days=10)

    def setUp(self):
        super().setUp()
        with self.captureOnCommitCallbacks(execute=True):
            self.enrolment = services.enrol_trainee(session=self.session, trainee=self.trainee)

    def calendar(self, event: str) -> Calendar:
        email = OutboxEmail.objects.filter(recipient=self.trainee, event=event).latest("pk")
        [attachment] = email.attachments
        self.assertEqual(attachment["mimetype"], "text/calendar")
        return Calendar.from_ical(attachment["content"])

    def revisions(self, calendar: Calendar) -> dict[str, int]:
        return {str(e["UID"]): int(e["SEQUENCE"]) for e in calendar.walk("VEVENT")}

    def test_a_change_keeps_each_uid_and_raises_its_sequence(self):
        confirmed = self.revisions(self.calendar("enrolment.confirmed"))
        self.assertEqual(set(confirmed.values()), {0})
        meeting = self.session.meetings.order_by("starts_at").first()
        uid = f"meeting-{meeting.pk}@"

        with self.captureOnCommitCallbacks(execute=True):
            meeting.room = "Salle 2"
            meeting.save()
        changed = self.revisions(self.calendar("session.changed"))

        self.assertEqual(set(changed), set(confirmed))
        [(changed_uid, revision)] = [(u, r) for u, r in changed.items() if u.startswith(uid)]
        self.assertEqual(revision, 1)
        # The other meeting did not change: its revision stays.
        self.assertEqual(sorted(changed.values()), [0, 1])

        with self.captureOnCommitCallbacks(execute=True):
            self.session.venue = VenueFactory(name="Maison des associations")
            self.session.save()
        moved = self.revisions(self.calendar("session.changed"))
        self.assertEqual(moved[changed_uid], 2)
        self.assertEqual(sorted(moved.values()), [1, 2])

    def test_a_cancelled_session_sends_a_cancel_file_that_supersedes_the_invitation(self):
        confirmed = self.revisions(self.calendar("enrolment.confirmed"))

        with self.captureOnCommitCallbacks(execute=True):
            services.cancel_session(
                session=self.session, by=self.coordinator, reason="Le formateur est malade."
            )

        calendar = self.calendar("enrolment.cancelled")
        self.assertEqual(str(calendar["METHOD"]), "CANCEL")
        events = calendar.walk("VEVENT")
        self.assertEqual({str(e["STATUS"]) for e in events}, {"CANCELLED"})
        self.assertTrue(all("ORGANIZER" in e for e in events))
        cancelled = self.revisions(calendar)
        self.assertEqual(set(cancelled), set(confirmed))
        self.assertTrue(all(cancelled[uid] > confirmed[uid] for uid in confirmed))

    def test_a_trainee_who_gives_up_their_place_gets_a_cancel_file(self):
        confirmed = self.revisions(self.calendar("enrolment.confirmed"))

        with self.captureOnCommitCallbacks(execute=True):
            services.cancel_enrolment(enrolment=self.enrolment, by=self.trainee)

        calendar = self.calendar("enrolment.cancelled")
        self.assertEqual(str(calendar["METHOD"]), "CANCEL")
        self.assertEqual(self.revisions(calendar), confirmed)

    def test_deleted_meetings_are_named_and_cancelled_in_one_notice(self):
        confirmed = self.revisions(self.calendar("enrolment.confirmed"))
        extra = Meeting.objects.create(
            session=self.session,
            starts_at=self.session.meetings.latest("starts_at").starts_at + timedelta(days=7),
            ends_at=self.session.meetings.latest("ends_at").ends_at + timedelta(days=7),
        )
        first, second, _ = self.session.meetings.order_by("starts_at")
        second_uid = f"meeting-{second.pk}@{_domain()}"
        extra_uid = f"meeting-{extra.pk}@{_domain()}"
        with self.captureOnCommitCallbacks(execute=True):
            second.delete()
            extra.delete()

        [email] = OutboxEmail.objects.filter(recipient=self.trainee, event="session.changed")
        schedule, removed = (Calendar.from_ical(a["content"]) for a in sorted(
            email.attachments, key=lambda a: a["filename"].endswith("-removed.ics")
        ))  # fmt: skip
        # The schedule file holds what remains; the second file removes both deleted meetings.
        self.assertEqual(set(self.revisions(schedule)), {f"meeting-{first.pk}@{_domain()}"})
        self.assertEqual(str(removed["METHOD"]), "CANCEL")
        cancelled = self.revisions(removed)
        self.assertEqual(set(cancelled), {second_uid, extra_uid})
        self.assertGreater(cancelled[second_uid], confirmed[second_uid])
        self.assertEqual({str(e["STATUS"]) for e in removed.walk("VEVENT")}, {"CANCELLED"})
        self.assertIn("Retiré du programme", email.text_body)
        self.assertIn(f"{second.starts_at.astimezone(BRUSSELS):%H:%M}", email.text_body)

    def test_a_rolled_back_deletion_is_never_announced(self):
        meeting = self.session.meetings.order_by("starts_at").first()
        with self.assertRaises(RuntimeError), transaction.atomic():
            meeting.delete()
            raise RuntimeError("the form failed after the deletion")
        with self.captureOnCommitCallbacks(execute=True):
            other = self.session.meetings.order_by("starts_at").last()
            other.room = "Salle 3"
            other.save()

        [email] = OutboxEmail.objects.filter(recipient=self.trainee, event="session.changed")
        self.assertEqual(len(email.attachments), 1)
        self.assertNotIn("Retiré du programme", email.text_body)

    def test_leaving_the_waiting_list_sends_no_calendar_file(self):
        full = SessionFactory(capacity=1)
        services.enrol_trainee(session=full, trainee=self.other_trainee)
        waiting = services.enrol_trainee(session=full, trainee=self.trainee)

        with self.captureOnCommitCallbacks(execute=True):
            services.cancel_enrolment(enrolment=waiting, by=self.trainee)

        email = OutboxEmail.objects.filter(recipient=self.trainee, event="enrolment.cancelled")
        self.assertEqual(email.get().attachments, [])
