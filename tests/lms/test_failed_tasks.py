"""A task that failed for good is listed for coordinators, who can run it again once."""

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from lms.audit.models import AuditEvent
from lms.celery import app
from lms.core.models import FailedTask
from tests.base import PersonasTestCase
from tests.brokers import use_broker


@shared_task(name="tests.lms.flaky_task")
def flaky_task(certificate_id: int) -> None:
    """Fails until the test lets it pass, like work waiting for a service that was down."""
    if not cache.get("flaky-may-pass"):
        raise ConnectionError("service unreachable for anais@example.org")
    cache.set("flaky-ran-with", certificate_id)


class FailedTaskTests(PersonasTestCase):
    def fail_once(self) -> FailedTask:
        # As a worker runs it: the failure is reported, not raised to the caller.
        result = flaky_task.apply(args=[42], throw=False)
        self.assertEqual(result.state, "FAILURE")
        return FailedTask.objects.get(task_name="tests.lms.flaky_task")

    def test_the_failure_is_recorded_with_its_arguments_and_error_type_but_not_its_message(self):
        failed = self.fail_once()
        self.assertEqual(failed.args, [42])
        self.assertEqual(failed.exception_type, "ConnectionError")
        self.assertNotIn("anais", str(FailedTask.objects.values().get()))

    def test_a_coordinator_sees_it_and_runs_it_again_once(self):
        failed = self.fail_once()
        self.login(self.coordinator)
        listing = self.client.get(reverse("core_failed_tasks"))
        self.assertContains(listing, "tests.lms.flaky_task")
        self.assertContains(listing, "ConnectionError")

        cache.set("flaky-may-pass", True)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("core_failed_task_retry", args=[failed.pk]))
        self.assertRedirects(response, reverse("core_failed_tasks"))
        self.assertEqual(cache.get("flaky-ran-with"), 42)
        failed.refresh_from_db()
        self.assertIsNotNone(failed.retried_at)
        self.assertEqual(failed.retried_by, self.coordinator)
        self.assertTrue(AuditEvent.objects.filter(action="task.retried").exists())

        # A second click (another tab) does not send it a second time.
        cache.delete("flaky-ran-with")
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("core_failed_task_retry", args=[failed.pk]), follow=True)
        self.assertIsNone(cache.get("flaky-ran-with"))
        self.assertNotContains(self.client.get(reverse("core_failed_tasks")), "flaky_task")

    def test_if_it_fails_again_it_stays_to_look_at(self):
        failed = self.fail_once()
        self.login(self.coordinator)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("core_failed_task_retry", args=[failed.pk]),
                follow=True,
            )
        failed.refresh_from_db()
        self.assertIsNone(failed.retried_at)
        # The screen says what happened, not that it was sent again.
        # The admin speaks the coordinator's language: French here.
        self.assertContains(response, "La tâche a été relancée et a de nouveau échoué")
        self.assertNotContains(response, "La tâche est relancée")
        # Still listed, with its button to run it again.
        self.assertContains(response, reverse("core_failed_task_retry", args=[failed.pk]))

    def test_if_the_task_queue_is_down_the_screen_says_it_was_not_sent(self):
        failed = self.fail_once()
        self.login(self.coordinator)
        previous = app.conf.broker_url or settings.CELERY_BROKER_URL
        eager = app.conf.task_always_eager
        self.addCleanup(use_broker, previous)
        self.addCleanup(setattr, app.conf, "task_always_eager", eager)
        use_broker("redis://127.0.0.1:1/0")
        app.conf.task_always_eager = False

        response = self.client.post(
            reverse("core_failed_task_retry", args=[failed.pk]),
            follow=True,
        )

        failed.refresh_from_db()
        self.assertIsNone(failed.retried_at)
        self.assertContains(response, "La tâche n’a pas pu être envoyée")
        self.assertNotContains(response, "La tâche est relancée")

    def test_trainees_and_trainers_cannot_see_or_retry_failed_tasks(self):
        failed = self.fail_once()
        for person in (self.trainee, self.trainer):
            self.login(person)
            self.assertIn(self.client.get(reverse("core_failed_tasks")).status_code, (302, 403))
            self.client.post(reverse("core_failed_task_retry", args=[failed.pk]))
            failed.refresh_from_db()
            self.assertIsNone(failed.retried_at)
