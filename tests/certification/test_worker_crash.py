"""A worker killed in the middle of a certificate task: after a restart, one certificate and one
email (real Redis broker, real worker processes, a real SIGKILL)."""

import os
import signal
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.test import TransactionTestCase

from certification import services
from certification.models import Certificate
from lms.accounts.roles import Role
from lms.notifications.models import OutboxEmail
from tests.brokers import (
    BASE_DIR,
    RedisServer,
    database_url_for_tests,
    start_worker,
    stop_process,
    use_broker,
    wait_until,
)
from tests.certification.helpers import make_certification, make_eligible
from tests.lms.factories import UserFactory

# Messages a dead worker had taken come back after this many seconds (the restarted worker's
# setting; production keeps an hour).
VISIBILITY_TIMEOUT = 5


@pytest.mark.broker
class WorkerKilledMidTaskTests(TransactionTestCase):
    # Every transactional test restores the migrated data (roles, home page) after its flush.
    serialized_rollback = True

    def setUp(self):
        assert settings.CELERY_BROKER_URL, "This test needs CELERY_BROKER_URL (CI's Redis leg)."
        self.redis = RedisServer()
        self.redis.start()
        self.addCleanup(self.redis.stop)
        self.previous_broker = settings.CELERY_BROKER_URL
        use_broker(self.redis.url)
        self.addCleanup(use_broker, self.previous_broker)
        self.workdir = Path(tempfile.mkdtemp(prefix="parcours-crash-"))
        self.maildir = self.workdir / "mail"
        self.maildir.mkdir()
        self.marker = self.workdir / "rendering"
        self.log = open(self.workdir / "workers.log", "w")  # noqa: SIM115
        self.addCleanup(self.log.close)
        self.env = {
            "DATABASE_URL": database_url_for_tests(),
            "CELERY_BROKER_URL": self.redis.url,
            # django-environ drops one leading slash from the path: four slashes keep it absolute.
            "EMAIL_URL": f"filemail:///{self.maildir}",
            "PRIVATE_MEDIA_ROOT": str(self.workdir / "private"),
            "PARCOURS_PAUSE_MARKER": str(self.marker),
        }

    def worker_log(self) -> str:
        self.log.flush()
        return (self.workdir / "workers.log").read_text()

    def emails_with(self, text: str) -> list[str]:
        return [
            body
            for path in self.maildir.glob("*.log")
            if text in (body := path.read_text(encoding="utf-8"))
        ]

    def test_the_certificate_exists_once_and_its_email_goes_out_once_after_the_restart(self):
        framework, certification = make_certification()
        holder = UserFactory(role=Role.TRAINEE)
        make_eligible(holder, framework)

        # The first worker takes the task and is killed while rendering the PDF.
        first = start_worker(
            name=f"doomed-{self.redis.port}@parcours",
            env={**self.env, "CELERY_VISIBILITY_TIMEOUT": "3600"},
            log=self.log,
            command=[sys.executable, str(BASE_DIR / "tests/certification/paused_worker.py")]
            + ["worker"],
        )
        self.addCleanup(stop_process, first)
        with transaction.atomic():
            certificate = services.issue_certificate(person=holder, certification=certification)
        wait_until(self.marker.exists, 90, f"The task never started:\n{self.worker_log()}")
        self.assertEqual(self.marker.read_text(), str(certificate.pk))
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        killed_at = time.monotonic()

        # Killed mid-task: nothing of the task's work is visible yet.
        certificate.refresh_from_db()
        self.assertEqual(certificate.pdf_name, "")
        self.assertFalse(OutboxEmail.objects.filter(event="certificate.issued").exists())

        # A new worker starts; the unacknowledged task comes back to it and completes.
        time.sleep(max(0.0, VISIBILITY_TIMEOUT + 1 - (time.monotonic() - killed_at)))
        second = start_worker(
            name=f"survivor-{self.redis.port}@parcours",
            env={**self.env, "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT)},
            log=self.log,
        )
        self.addCleanup(stop_process, second)
        self.marker.unlink()

        def delivered() -> bool:
            return OutboxEmail.objects.filter(
                event="certificate.issued", status=OutboxEmail.Status.SENT
            ).exists()

        wait_until(delivered, 150, f"The task did not run again:\n{self.worker_log()}")
        time.sleep(VISIBILITY_TIMEOUT + 2)  # time for any duplicate to show up

        self.assertEqual(Certificate.objects.filter(holder=holder).count(), 1)
        certificate.refresh_from_db()
        self.assertTrue(certificate.pdf_name)
        self.assertEqual(OutboxEmail.objects.filter(event="certificate.issued").count(), 1)
        self.assertEqual(len(self.emails_with(certificate.code)), 1)
