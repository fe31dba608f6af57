from datetime import timedelta

from django.conf import settings
from django.test import TestCase
from django.utils import timezone

from lms.celery import app
from lms.core import services
from lms.core.models import WorkerHeartbeat
from tests.brokers import use_broker

# kombu's in-memory transport always answers; nothing listens on port 1.
REACHABLE_BROKER = "memory://"
UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"


class HealthInProcessTests(TestCase):
    def test_it_reports_the_database_up_and_tasks_in_process(self):
        response = self.client.get("/health/")

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], "ok")
        self.assertEqual(response.json()["tasks"], "in-process")
        self.assertEqual(response.json()["problems"], [])
        self.assertTrue(response.json()["database"])

    def test_no_worker_heartbeat_is_fine_when_tasks_run_in_process(self):
        self.assertFalse(WorkerHeartbeat.objects.exists())

        self.assertEqual(self.client.get("/health/").status_code, 200)

    def test_it_reports_the_last_worker_heartbeat(self):
        beat = services.record_heartbeat(worker="celery@test")

        response = self.client.get("/health/")

        self.assertEqual(response.json()["last_worker_heartbeat"], beat.created_at.isoformat())


class HealthWithBrokerTests(TestCase):
    """A broker is configured: tasks need a worker, so its heartbeat counts."""

    def setUp(self):
        previous = app.conf.broker_url or settings.CELERY_BROKER_URL
        eager = app.conf.task_always_eager
        app.conf.task_always_eager = False
        self.addCleanup(setattr, app.conf, "task_always_eager", eager)
        self.addCleanup(use_broker, previous)
        use_broker(REACHABLE_BROKER)

    def beat(self, *, minutes_ago: int) -> None:
        services.record_heartbeat(worker="celery@test")
        WorkerHeartbeat.objects.update(created_at=timezone.now() - timedelta(minutes=minutes_ago))

    def test_a_reachable_broker_and_a_recent_heartbeat_are_ok(self):
        self.beat(minutes_ago=4)

        response = self.client.get("/health/")

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], "ok")
        self.assertEqual(response.json()["tasks"], "worker")
        self.assertIs(response.json()["broker"], True)

    def test_a_heartbeat_older_than_two_periods_is_degraded(self):
        self.beat(minutes_ago=11)

        response = self.client.get("/health/")

        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["status"], "degraded")
        self.assertEqual(
            response.json()["problems"], ["last worker heartbeat older than 600 seconds"]
        )

    def test_no_heartbeat_at_all_is_degraded(self):
        response = self.client.get("/health/")

        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["problems"], ["no worker heartbeat recorded yet"])

    def test_an_unreachable_broker_is_degraded_even_with_a_recent_heartbeat(self):
        self.beat(minutes_ago=1)
        use_broker(UNREACHABLE_BROKER)

        response = self.client.get("/health/")

        self.assertEqual(response.status_code, 503)
        self.assertIs(response.json()["broker"], False)
        self.assertEqual(response.json()["problems"], ["broker unreachable"])
