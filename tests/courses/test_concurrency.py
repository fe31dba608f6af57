"""50 people ask for 10 places at the same moment: exactly 10 get one, the rest wait in order.

This needs a real database server: SQLite serialises writers, so the test only means something on
PostgreSQL, where CI runs it.
"""

import threading
import unittest

from django.db import connection, connections
from django.test import TransactionTestCase

from courses import services
from courses.models import Enrolment
from lms.accounts.models import User

from .factories import SessionFactory

ATTEMPTS = 50
PLACES = 10


@unittest.skipIf(
    connection.vendor == "sqlite",
    "Needs PostgreSQL: SQLite serialises writes, so it cannot show a race "
    "(run with DATABASE_URL=postgres://…; CI does).",
)
class ConcurrentEnrolmentTests(TransactionTestCase):
    # Keep the data that migrations created (roles, root page) for the tests that follow.
    serialized_rollback = True

    def test_fifty_parallel_attempts_for_ten_places_confirm_exactly_ten(self):
        session = SessionFactory(capacity=PLACES)
        users = [
            User.objects.create(email=f"racer{i}@example.org", first_name=f"R{i}")
            for i in range(ATTEMPTS)
        ]
        barrier = threading.Barrier(ATTEMPTS)
        errors: list[BaseException] = []

        def attempt(user: User) -> None:
            try:
                barrier.wait(timeout=30)
                services.enrol_trainee(session=session, trainee=user)
            except BaseException as error:  # noqa: BLE001 - reported by the assertion below
                errors.append(error)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=attempt, args=(user,)) for user in users]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

        self.assertEqual(errors, [])
        enrolments = Enrolment.objects.filter(session=session)
        self.assertEqual(enrolments.count(), ATTEMPTS)
        confirmed = list(enrolments.filter(status=Enrolment.Status.CONFIRMED))
        waiting = list(
            enrolments.filter(status=Enrolment.Status.WAITING_LIST).order_by("queue_position")
        )
        self.assertEqual(len(confirmed), PLACES)
        self.assertEqual(len(waiting), ATTEMPTS - PLACES)
        # Arrival order: every confirmed person arrived before every waiting one, and the
        # waiting list follows arrival time.
        self.assertLessEqual(
            max(e.requested_at for e in confirmed), min(e.requested_at for e in waiting)
        )
        arrival = [e.requested_at for e in waiting]
        self.assertEqual(arrival, sorted(arrival))
        positions = [e.queue_position for e in waiting]
        self.assertEqual(len(set(positions)), len(positions))
