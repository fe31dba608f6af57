"""Enrolments go through enrol_trainee: places, waiting list and history as on screen."""

from django.test import TestCase

from courses.models import Enrolment, EnrolmentStatusChange
from lms.accounts.roles import Role
from tests.courses.factories import SessionFactory
from tests.dataexchange_resources.helpers import dataset, export, kinds, row_errors, run_import
from tests.lms.factories import UserFactory


class EnrolmentDatasetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.coordinator = UserFactory(email="coord@example.org", role=Role.COORDINATOR)
        cls.session = SessionFactory(code="NAM-1", capacity=2)
        cls.julie = UserFactory(email="julie@example.org", role=Role.TRAINEE)
        cls.kevin = UserFactory(email="kevin@example.org", role=Role.TRAINEE)
        cls.lea = UserFactory(email="lea@example.org", role=Role.TRAINEE)
        Enrolment.objects.create(
            session=cls.session, trainee=cls.julie, status=Enrolment.Status.CONFIRMED
        )

    def test_round_trip_is_unchanged(self):
        data = export("enrolments")
        self.assertEqual(data.dict[0]["trainee_email"], "julie@example.org")
        self.assertEqual(data.dict[0]["status"], "confirmed")
        self.assertEqual(kinds(run_import("enrolments", data)), {"skip": 1})

    def test_new_rows_enrol_through_the_rules_with_history(self):
        data = export("enrolments")
        data.append(["NAM-1", "KEVIN@example.org", "", "", "", "", ""])
        data.append(["NAM-1", "lea@example.org", "", "", "", "", ""])
        result = run_import("enrolments", data, actor=self.coordinator)
        self.assertEqual(kinds(result), {"new": 2, "skip": 1})
        kevin = Enrolment.objects.get(trainee=self.kevin)
        lea = Enrolment.objects.get(trainee=self.lea)
        self.assertEqual(kevin.status, Enrolment.Status.CONFIRMED)
        # Two places: the third person waits, as on screen.
        self.assertEqual(lea.status, Enrolment.Status.WAITING_LIST)
        change = EnrolmentStatusChange.objects.get(enrolment=kevin)
        self.assertEqual(change.changed_by, self.coordinator)

    def test_a_status_in_the_file_never_changes_an_enrolment(self):
        data = export("enrolments")
        data = dataset(data.headers, [*data[0][:3], "cancelled_by_coordinator", *data[0][4:]])
        self.assertEqual(kinds(run_import("enrolments", data)), {"skip": 1})
        self.assertEqual(Enrolment.objects.get().status, Enrolment.Status.CONFIRMED)

    def test_unknown_email_or_session_writes_nothing(self):
        data = dataset(
            ["session", "trainee_email"],
            ["NAM-1", "kevin@example.org"],
            ["NAM-1", "personne@example.org"],
            ["XXX", "lea@example.org"],
        )
        result = run_import("enrolments", data, actor=self.coordinator)
        errors = dict(row_errors(result))
        self.assertIn(
            "Nobody has an account with the email address “personne@example.org”.",
            errors[2]["trainee_email"],
        )
        self.assertIn("session", errors[3])
        self.assertEqual(Enrolment.objects.count(), 1)

    def test_a_dry_run_shows_the_status_the_rules_would_give(self):
        data = dataset(["session", "trainee_email"], ["NAM-1", "kevin@example.org"])
        result = run_import("enrolments", data, actor=self.coordinator, dry_run=True)
        self.assertEqual(kinds(result), {"new": 1})
        self.assertEqual(Enrolment.objects.count(), 1)
