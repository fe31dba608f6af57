"""Two coordinators issue at once; a result is released twice at once: nothing is doubled.

Needs a real database server: SQLite serialises writers, so these tests only mean something on
PostgreSQL, where CI runs them. On SQLite the IntegrityError path is covered in
test_certificates.py by inserting the same cycle twice.
"""

import threading
import unittest

from django.db import connection, connections
from django.test import TransactionTestCase

from certification import services
from certification.models import Certificate, LedgerEntry
from lms.accounts.models import User
from tests.certification.helpers import make_certification, make_eligible

THREADS = 8


def run_together(target, arguments) -> list[BaseException]:
    barrier = threading.Barrier(len(arguments))
    errors: list[BaseException] = []

    def attempt(argument) -> None:
        try:
            barrier.wait(timeout=30)
            target(argument)
        except BaseException as error:  # noqa: BLE001 - reported by the caller's assertion
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(a,)) for a in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


@unittest.skipIf(
    connection.vendor == "sqlite",
    "Needs PostgreSQL: SQLite serialises writes, so it cannot show a race "
    "(run with DATABASE_URL=postgres://…; CI does).",
)
class ConcurrentIssueTests(TransactionTestCase):
    serialized_rollback = True

    def setUp(self):
        self.framework, self.certification = make_certification()
        self.coordinators = [
            User.objects.create(email=f"coord{i}@example.org") for i in range(THREADS)
        ]

    def test_coordinators_issuing_the_same_certificate_at_once_make_one(self):
        person = User.objects.create(email="holder@example.org")
        make_eligible(person, self.framework)
        errors = run_together(
            lambda coordinator: services.issue_certificate(
                person=person, certification=self.certification, issued_by=coordinator
            ),
            self.coordinators,
        )
        self.assertEqual(errors, [])
        self.assertEqual(Certificate.objects.filter(holder=person).count(), 1)

    def test_register_numbers_stay_sequential_under_load(self):
        people = [User.objects.create(email=f"h{i}@example.org") for i in range(THREADS)]
        for person in people:
            make_eligible(person, self.framework)
        errors = run_together(
            lambda person: services.issue_certificate(
                person=person, certification=self.certification
            ),
            people,
        )
        self.assertEqual(errors, [])
        numbers = sorted(
            Certificate.objects.filter(certification=self.certification).values_list(
                "register_number", flat=True
            )
        )
        self.assertEqual(numbers, list(range(1, THREADS + 1)))

    def test_a_result_released_twice_at_once_writes_one_ledger_entry(self):
        person = User.objects.create(email="learner@example.org")
        block = self.framework.blocks.get(code="B1")
        errors = run_together(
            lambda _: services.record_acquisition(
                person=person,
                block=block,
                source=LedgerEntry.Source.TRAINING_RESULT,
                dedupe_key="courses.Result:1:B1",
            ),
            list(range(THREADS)),
        )
        self.assertEqual(errors, [])
        self.assertEqual(LedgerEntry.objects.filter(person=person).count(), 1)
