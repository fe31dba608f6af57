"""A task really crosses the broker and runs in a separate worker process (CI's Redis leg)."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.test import TransactionTestCase

from lms.core.models import WorkerHeartbeat
from lms.core.tasks import record_heartbeat_task
from tests.brokers import database_url_for_tests

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.broker
class RealWorkerTests(TransactionTestCase):
    # Every transactional test restores the migrated data (roles, home page) after its flush,
    # so the next one finds the database as migrations left it.
    serialized_rollback = True

    def setUp(self):
        assert settings.CELERY_BROKER_URL, (
            "CELERY_BROKER_URL must point at a real broker for this test."
        )
        self.queue = f"test-{uuid.uuid4().hex[:8]}"
        self.name = f"{self.queue}@parcours"
        env = {**os.environ, "DATABASE_URL": database_url_for_tests()}
        self.worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "lms",
                "worker",
                "--pool=solo",
                "-Q",
                self.queue,
                "-n",
                self.name,
                "--loglevel=WARNING",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def tearDown(self):
        self.worker.terminate()
        try:
            self.worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.worker.kill()

    def test_a_task_sent_to_the_broker_runs_in_the_worker_and_writes_to_the_database(self):
        record_heartbeat_task.apply_async(queue=self.queue)

        deadline = time.monotonic() + 60
        while (
            time.monotonic() < deadline
            and not WorkerHeartbeat.objects.filter(worker=self.name).exists()
        ):
            assert self.worker.poll() is None, self.worker.stdout.read()
            time.sleep(0.5)

        self.assertEqual(WorkerHeartbeat.objects.filter(worker=self.name).count(), 1)
