"""A broker outage never loses or duplicates an enrolment email (real Redis, real worker).

The test runs its own redis-server on a free port, so it can stop and restart the broker without
touching the one the rest of CI uses.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import TransactionTestCase

from courses.models import Enrolment
from lms.accounts.roles import Role
from lms.celery import app
from lms.notifications.models import OutboxEmail
from lms.notifications.tasks import sweep_outbox_task
from tests.brokers import BASE_DIR, RedisServer, database_url_for_tests, use_broker, wait_until
from tests.courses.factories import SessionFactory
from tests.lms.factories import UserFactory


@pytest.mark.broker
class BrokerOutageTests(TransactionTestCase):
    # Every transactional test restores the migrated data (roles, home page) after its flush,
    # so the next one finds the database as migrations left it.
    serialized_rollback = True

    def setUp(self):
        assert settings.CELERY_BROKER_URL, "This test needs CELERY_BROKER_URL (CI's Redis leg)."
        self.redis = RedisServer()
        self.port = self.redis.port
        self.broker_url = self.redis.url
        self.maildir = tempfile.mkdtemp(prefix="parcours-mail-")
        self.redis.start()
        self.worker_log = open(Path(self.maildir).parent / f"worker-{self.port}.log", "w")  # noqa: SIM115
        self.addCleanup(self.worker_log.close)
        self.previous_broker = app.conf.broker_url
        use_broker(self.broker_url)
        env = {
            **os.environ,
            "DATABASE_URL": database_url_for_tests(),
            "CELERY_BROKER_URL": self.broker_url,
            # django-environ drops one leading slash from the path: four slashes keep it absolute.
            "EMAIL_URL": f"filemail:///{self.maildir}",
            "NOTIFICATIONS_SWEEP_GRACE_SECONDS": "0",
        }
        self.worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "lms",
                "worker",
                "--pool=solo",
                "-n",
                f"outage-{self.port}@parcours",
                "--loglevel=INFO",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self.worker_log,
            stderr=subprocess.STDOUT,
        )

    def tearDown(self):
        self.worker.terminate()
        try:
            self.worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.worker.kill()
        self.redis.stop()
        use_broker(self.previous_broker)
        shutil.rmtree(self.maildir, ignore_errors=True)

    def sent_messages(self) -> list[str]:
        return [p.read_text(encoding="utf-8") for p in Path(self.maildir).glob("*.log")]

    def test_an_enrolment_during_an_outage_succeeds_and_its_email_goes_out_once_afterwards(self):
        trainee = UserFactory(role=Role.TRAINEE)
        session = SessionFactory(capacity=5)
        self.client.force_login(trainee, backend="django.contrib.auth.backends.ModelBackend")

        self.redis.stop()
        response = self.client.post(f"/formations/sessions/{session.pk}/inscription/")

        # The person sees success and the enrolment is saved, with its email recorded.
        self.assertEqual(response.status_code, 302)
        self.assertTrue(
            Enrolment.objects.filter(trainee=trainee, status=Enrolment.Status.CONFIRMED).exists()
        )
        email = OutboxEmail.objects.get(recipient=trainee, event="enrolment.confirmed")
        self.assertEqual(email.status, OutboxEmail.Status.PENDING)

        self.redis.start()
        use_broker(self.broker_url)
        # What beat sends every minute; the worker reconnects and sweeps the outbox.
        wait_until(
            lambda: self.send_sweep() and self.email_sent(email.pk),
            timeout=120,
            message="The pending email was not delivered after the broker came back.",
        )
        sweep_outbox_task.apply_async()
        time.sleep(3)

        messages = [m for m in self.sent_messages() if trainee.email in m]
        self.assertEqual(len(messages), 1)
        self.assertEqual(OutboxEmail.objects.get(pk=email.pk).status, OutboxEmail.Status.SENT)

    def send_sweep(self) -> bool:
        try:
            sweep_outbox_task.apply_async(retry=False)
        except Exception:  # noqa: BLE001 - the broker may still be starting
            return False
        return True

    def email_sent(self, pk: int) -> bool:
        time.sleep(2)
        return OutboxEmail.objects.get(pk=pk).status == OutboxEmail.Status.SENT
