"""Courses, modules, sessions and meetings: round trips, creation, update, refused rows."""

from datetime import timedelta

from django.test import TestCase
from django.utils import timezone, translation

from courses.models import Course, Meeting, Module, Session, SessionStatusChange
from lms.accounts.roles import Role
from lms.dataexchange.natural import parse_datetime, render_datetime
from lms.dataexchange.services import import_dataset
from tests.courses.factories import CourseFactory, ModuleFactory, SessionFactory, VenueFactory
from tests.dataexchange_resources.helpers import (
    dataset,
    export,
    kinds,
    replace,
    row_errors,
    run_import,
    through_format,
)
from tests.lms.factories import UserFactory


class CourseDatasetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.first = CourseFactory(slug="socle", title="Socle commun")
        cls.second = CourseFactory(slug="addictions", title="Addictions")
        cls.module = ModuleFactory(course=cls.first, code="b4-crise")
        cls.second.prerequisite_courses.add(cls.first)
        cls.second.prerequisite_modules.add(cls.module)

    def test_it_reimports_its_own_export_as_unchanged(self):
        result = run_import("courses", export("courses"))
        self.assertFalse(result.has_errors() or result.has_validation_errors())
        self.assertEqual(kinds(result), {"skip": 2})

    def test_it_exports_codes_not_database_ids(self):
        data = export("courses")
        self.assertEqual(data.headers[0], "code")
        row = data.dict[[r["code"] for r in data.dict].index("addictions")]
        self.assertEqual(row["prerequisite_courses"], "socle")
        self.assertEqual(row["prerequisite_modules"], "b4-crise")

    def test_it_creates_a_new_course_and_updates_a_changed_one(self):
        data = replace(export("courses"), "title", "Socle commun (2026)", row=1)
        data.append(["precarite", "Précarité", "", "", "24", "", "socle", "", "no"])
        result = run_import("courses", data)
        self.assertEqual(kinds(result), {"new": 1, "update": 1, "skip": 1})
        self.assertEqual(Course.objects.get(slug="socle").title, "Socle commun (2026)")
        created = Course.objects.get(slug="precarite")
        self.assertEqual(list(created.prerequisite_courses.all()), [self.first])

    def test_one_bad_row_writes_nothing_and_names_the_column(self):
        data = dataset(
            ["code", "title", "total_hours", "prerequisite_courses"],
            ["nouvelle", "Nouvelle", "12", ""],
            ["autre", "Autre", "douze", "inconnue"],
        )
        result = run_import("courses", data)
        self.assertTrue(result.has_validation_errors())
        [(line, errors)] = row_errors(result)
        self.assertEqual(line, 2)
        self.assertIn("total_hours", errors)
        self.assertFalse(Course.objects.filter(slug__in=["nouvelle", "autre"]).exists())

    def test_it_reads_its_export_back_from_xlsx_and_json(self):
        for fmt in ("xlsx", "json"):
            with self.subTest(fmt):
                result = run_import("courses", through_format(export("courses"), fmt))
                self.assertEqual(kinds(result), {"skip": 2})

    def test_a_file_without_the_key_column_is_refused_whole(self):
        result = run_import("courses", dataset(["title"], ["Sans code"]))
        self.assertTrue(result.has_errors())
        self.assertIn("code", str(result.base_errors[0].error))
        self.assertEqual(Course.objects.count(), 2)


class ModuleDatasetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.course = CourseFactory(slug="socle")
        ModuleFactory(course=cls.course, code="b1-valeurs", ethics_hours=2)
        ModuleFactory(course=cls.course, code="b5-ethique")

    def test_round_trip_is_unchanged(self):
        self.assertEqual(kinds(run_import("modules", export("modules"))), {"skip": 2})

    def test_new_and_changed_rows(self):
        data = replace(export("modules"), "hours", "16", row=0)
        data.append(["b7-soin", "socle", "Prendre soin de soi", "", "6", "1", "", "3", ""])
        self.assertEqual(kinds(run_import("modules", data)), {"new": 1, "update": 1, "skip": 1})
        self.assertEqual(Module.objects.get(code="b7-soin").course, self.course)

    def test_unknown_course_and_ethics_above_hours_are_refused(self):
        data = dataset(
            ["code", "course", "title", "hours", "ethics_hours"],
            ["m-ok", "socle", "Bien", "6", "1"],
            ["m-x", "inconnue", "Cours inconnu", "6", "1"],
            ["m-y", "socle", "Trop d'éthique", "6", "8"],
        )
        result = run_import("modules", data)
        errors = dict(row_errors(result))
        self.assertIn("course", errors[2])
        self.assertIn("inconnue", errors[2]["course"][0])
        self.assertIn("ethics_hours", errors[3])
        self.assertFalse(Module.objects.filter(code="m-ok").exists())


class SessionDatasetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.trainer = UserFactory(email="formateur@example.org", role=Role.TRAINER)
        cls.venue = VenueFactory(name="Maison des associations", town="Namur")
        cls.course = CourseFactory(slug="socle")
        cls.session = SessionFactory(course=cls.course, code="NAM-1", venue=cls.venue)
        cls.session.trainers.add(cls.trainer)
        SessionFactory(course=cls.course, code="NAM-2", venue=cls.venue)

    def test_round_trip_is_unchanged(self):
        self.assertEqual(kinds(run_import("sessions", export("sessions"))), {"skip": 2})

    def test_a_new_session_is_a_draft_with_its_history(self):
        data = export("sessions")
        line = dict(data.dict[0])
        line.update(code="LIE-1", capacity="14", status="published")
        data.append([line[h] for h in data.headers])
        result = run_import("sessions", data, actor=self.trainer)
        self.assertEqual(kinds(result), {"new": 1, "skip": 2})
        created = Session.objects.get(code="LIE-1")
        self.assertEqual(created.status, Session.Status.DRAFT)
        self.assertEqual(created.capacity, 14)
        self.assertEqual(list(created.trainers.all()), [self.trainer])
        self.assertTrue(SessionStatusChange.objects.filter(session=created, to_status="draft"))

    def test_a_changed_capacity_updates_the_session(self):
        data = replace(export("sessions"), "capacity", "20", row=0)
        self.assertEqual(kinds(run_import("sessions", data)), {"update": 1, "skip": 1})
        self.assertEqual(Session.objects.get(code="NAM-1").capacity, 20)

    def test_bad_cells_are_named_and_nothing_is_written(self):
        past = (timezone.now() - timedelta(days=3)).strftime("%Y-%m-%d %H:%M")
        data = dataset(
            [
                "code",
                "course",
                "format",
                "venue",
                "capacity",
                "language",
                "enrolment_closes",
                "trainers",
            ],
            ["OK-1", "socle", "online", "", "12", "fr", "", ""],
            [
                "BAD-1",
                "socle",
                "in_person",
                "Maison des associations (Namur)",
                "douze",
                "fr",
                "",
                "personne@example.org",
            ],
            ["BAD-2", "socle", "online", "", "12", "fr", past, ""],
        )
        result = run_import("sessions", data)
        errors = dict(row_errors(result))
        self.assertIn("capacity", errors[2])
        self.assertIn("“douze” is not a whole number.", errors[2]["capacity"])
        self.assertIn("enrolment_closes", errors[3])
        self.assertFalse(Session.objects.filter(code__in=["OK-1", "BAD-1", "BAD-2"]).exists())

    def test_a_dry_run_reports_without_writing(self):
        data = replace(export("sessions"), "capacity", "30", row=0)
        result = run_import("sessions", data, dry_run=True)
        self.assertEqual(kinds(result), {"update": 1, "skip": 1})
        self.assertEqual(Session.objects.get(code="NAM-1").capacity, 10)


class MeetingDatasetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.session = SessionFactory(code="NAM-1", meetings=2)

    def test_round_trip_is_unchanged(self):
        self.assertEqual(kinds(run_import("meetings", export("meetings"))), {"skip": 2})

    def test_it_adds_a_meeting_and_moves_the_end_of_another(self):
        data = export("meetings")
        first_end = data.dict[0]["ends_at"]
        later = render_datetime(parse_datetime(first_end) + timedelta(minutes=30))
        data = replace(data, "ends_at", later, row=0)
        start = timezone.localtime(timezone.now() + timedelta(days=60)).replace(
            hour=9, minute=0, second=0, microsecond=0
        )
        data.append(["NAM-1", start.isoformat(), (start + timedelta(hours=3)).isoformat(), "", ""])
        self.assertEqual(kinds(run_import("meetings", data)), {"new": 1, "update": 1, "skip": 1})
        self.assertEqual(Meeting.objects.filter(session=self.session).count(), 3)

    def test_a_meeting_in_the_past_or_of_an_unknown_session_is_refused(self):
        data = dataset(
            ["session", "starts_at", "ends_at"],
            ["NAM-1", "2020-01-06 09:00", "2020-01-06 12:00"],
            ["XXX-9", "2030-01-06 09:00", "2030-01-06 12:00"],
        )
        errors = dict(row_errors(run_import("meetings", data)))
        self.assertIn("starts_at", errors[1])
        self.assertIn("No session has the reference “XXX-9”.", errors[2]["session"])
        self.assertEqual(Meeting.objects.count(), 2)

    def test_a_meeting_ending_before_it_starts_is_told_once(self):
        # The resource's row rule and the model's clean() say the same thing: one message.
        data = dataset(
            ["session", "starts_at", "ends_at"],
            ["NAM-1", "2030-01-06 12:00", "2030-01-06 09:00"],
        )
        errors = dict(row_errors(run_import("meetings", data)))
        self.assertEqual(errors[1], {"ends_at": ["A meeting must end after it starts."]})
        with translation.override("en"):
            summary = import_dataset("meetings", data, dry_run=True, actor=None)
        self.assertEqual(
            [e.messages for e in summary.row_errors],
            [["ends_at: A meeting must end after it starts."]],
        )
