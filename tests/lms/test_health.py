from django.test import TestCase

from lms.core import services


class HealthViewTests(TestCase):
    def test_it_reports_the_database_up_and_tasks_in_process(self):
        response = self.client.get("/health/")

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], "ok")
        self.assertTrue(response.json()["database"])

    def test_it_reports_the_last_worker_heartbeat(self):
        beat = services.record_heartbeat(worker="celery@test")

        response = self.client.get("/health/")

        self.assertEqual(response.json()["last_worker_heartbeat"], beat.created_at.isoformat())
