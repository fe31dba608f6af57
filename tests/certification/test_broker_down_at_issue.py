"""A certificate issued while the broker is down: the person issuing sees success, and the
periodic sweep later renders the PDF and sends the "issued" email exactly once."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from certification import services
from certification.models import Certificate
from certification.tasks import render_certificate_pdf_task
from lms.celery import app
from lms.core.models import FailedTask
from lms.notifications.models import Notification, OutboxEmail
from tests.base import PersonasTestCase
from tests.brokers import use_broker
from tests.certification.helpers import make_certification, make_eligible

# Nothing listens on port 1: publishing fails at once with a connection error.
UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"


class BrokerDownAtIssueTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework, cls.certification = make_certification(validity_months=36)
        make_eligible(cls.trainee, cls.framework)

    def broker_down(self) -> None:
        previous = app.conf.broker_url or settings.CELERY_BROKER_URL
        eager = app.conf.task_always_eager
        use_broker(UNREACHABLE_BROKER)
        app.conf.task_always_eager = False
        self.addCleanup(setattr, app.conf, "task_always_eager", eager)
        self.addCleanup(use_broker, previous)

    def broker_back(self) -> None:
        self.doCleanups()

    def issued_emails(self) -> int:
        return OutboxEmail.objects.filter(
            recipient=self.trainee, event="certificate.issued"
        ).count()

    def age(self, certificate: Certificate, minutes: int) -> None:
        Certificate.objects.filter(pk=certificate.pk).update(
            issued_at=timezone.now() - timedelta(minutes=minutes)
        )

    def test_issuing_succeeds_and_the_sweep_later_renders_the_pdf_and_emails_once(self):
        self.broker_down()
        with self.captureOnCommitCallbacks(execute=True):
            certificate = services.issue_certificate(
                person=self.trainee, certification=self.certification, issued_by=self.coordinator
            )
        certificate.refresh_from_db()
        self.assertEqual(certificate.pdf_name, "")
        self.assertEqual(self.issued_emails(), 0)

        self.broker_back()
        # Too recent: its task may simply still be in the queue.
        self.assertEqual(services.sweep_certificates_without_pdf(), 0)
        self.age(certificate, minutes=6)
        self.assertEqual(services.sweep_certificates_without_pdf(), 1)

        certificate.refresh_from_db()
        self.assertTrue(certificate.pdf_name)
        self.assertEqual(self.issued_emails(), 1)
        # Nothing left: a second sweep queues nothing and sends nothing.
        self.assertEqual(services.sweep_certificates_without_pdf(), 0)
        self.assertEqual(self.issued_emails(), 1)

    def test_the_coordinators_issue_screen_answers_with_success_while_the_broker_is_down(self):
        self.login(self.coordinator)
        url = reverse("certification_admin:issue", args=[self.certification.pk])
        self.broker_down()
        # The after-commit work runs as the block ends: it must not raise either.
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url, {"person": [self.trainee.pk]})
        self.assertRedirects(response, url, fetch_redirect_response=False)
        self.assertTrue(Certificate.objects.filter(holder=self.trainee).exists())

    def test_a_pdf_downloaded_before_the_sweep_still_gets_its_email(self):
        self.broker_down()
        with self.captureOnCommitCallbacks(execute=True):
            certificate = services.issue_certificate(
                person=self.trainee, certification=self.certification
            )
        self.broker_back()
        services.render_certificate_pdf(certificate=certificate)
        self.age(certificate, minutes=6)

        self.assertEqual(services.sweep_certificates_without_pdf(), 1)
        self.assertEqual(self.issued_emails(), 1)
        self.assertEqual(
            Notification.objects.filter(recipient=self.trainee, event="certificate.issued").count(),
            1,
        )

    def test_an_old_certificate_whose_notification_was_purged_is_not_announced_again(self):
        with self.captureOnCommitCallbacks(execute=True):
            certificate = services.issue_certificate(
                person=self.trainee, certification=self.certification
            )
        Notification.objects.filter(recipient=self.trainee).delete()
        OutboxEmail.objects.filter(recipient=self.trainee).delete()
        self.age(certificate, minutes=60 * 24 * 400)

        self.assertEqual(services.sweep_certificates_without_pdf(), 0)
        self.assertEqual(self.issued_emails(), 0)

    def test_a_rendering_that_failed_for_good_is_left_to_the_failed_tasks_screen(self):
        self.broker_down()
        with self.captureOnCommitCallbacks(execute=True):
            certificate = services.issue_certificate(
                person=self.trainee, certification=self.certification
            )
        self.broker_back()
        self.age(certificate, minutes=6)
        FailedTask.objects.create(
            task_name=render_certificate_pdf_task.name,
            task_id="t-1",
            args=[certificate.pk],
            exception_type="ValueError",
        )

        self.assertEqual(services.sweep_certificates_without_pdf(), 0)
