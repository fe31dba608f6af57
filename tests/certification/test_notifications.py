"""A holder hears about each step of their certificate once, in their language."""

from datetime import timedelta

from django.utils import timezone

from certification import notifications, services
from certification.models import Certificate
from certification.tasks import render_certificate_pdf_task
from lms.notifications.models import Notification, OutboxEmail
from tests.base import PersonasTestCase
from tests.certification.helpers import make_certification, make_eligible


class CertificateNotificationTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework, cls.certification = make_certification(validity_months=36)
        make_eligible(cls.trainee, cls.framework)

    def issue(self) -> Certificate:
        with self.captureOnCommitCallbacks(execute=True):
            return services.issue_certificate(
                person=self.trainee, certification=self.certification, issued_by=self.coordinator
            )

    def emails_to_trainee(self, event: str) -> list[OutboxEmail]:
        return list(OutboxEmail.objects.filter(recipient=self.trainee, event=event))

    def test_the_holder_is_told_once_the_pdf_is_stored_and_a_rerun_sends_nothing_more(self):
        with self.captureOnCommitCallbacks(execute=True):
            certificate = self.issue()
        certificate.refresh_from_db()
        self.assertTrue(certificate.pdf_name)
        [email] = self.emails_to_trainee("certificate.issued")
        self.assertIn(certificate.code, email.text_body)
        self.assertIn(f"/v/{certificate.code}", email.text_body)
        self.assertIn("Votre certificat est prêt", email.subject)

        # The task runs again (a worker died before acknowledging it): nothing new is sent.
        with self.captureOnCommitCallbacks(execute=True):
            render_certificate_pdf_task.delay(certificate.pk)
        self.assertEqual(len(self.emails_to_trainee("certificate.issued")), 1)
        self.assertEqual(
            Notification.objects.filter(recipient=self.trainee, event="certificate.issued").count(),
            1,
        )

    def test_the_email_is_in_the_holders_language(self):
        self.trainee.preferred_language = "nl"
        self.trainee.save(update_fields=["preferred_language"])
        with self.captureOnCommitCallbacks(execute=True):
            self.issue()
        [email] = self.emails_to_trainee("certificate.issued")
        self.assertIn("Uw certificaat is klaar", email.subject)

    def test_suspension_reinstatement_and_revocation_each_reach_the_holder_with_the_reason(self):
        certificate = self.issue()
        services.suspend_certificate(
            certificate=certificate, by=self.coordinator, reason="Vérification d'une pièce."
        )
        services.reinstate_certificate(certificate=certificate, by=self.coordinator)
        services.revoke_certificate(
            certificate=certificate, by=self.coordinator, reason="Fraude établie."
        )
        [suspended] = self.emails_to_trainee("certificate.suspended")
        self.assertIn("Vérification d'une pièce.", suspended.text_body)
        self.assertEqual(len(self.emails_to_trainee("certificate.reinstated")), 1)
        [revoked] = self.emails_to_trainee("certificate.revoked")
        self.assertIn("Fraude établie.", revoked.text_body)
        self.assertIn("retiré", revoked.subject)

    def test_an_expiry_warning_goes_out_once_per_end_date_and_the_expiry_is_announced(self):
        certificate = self.issue()
        today = timezone.localdate()
        Certificate.objects.filter(pk=certificate.pk).update(valid_until=today + timedelta(days=90))
        self.assertEqual(notifications.warn_expiring(today=today), 0)

        Certificate.objects.filter(pk=certificate.pk).update(valid_until=today + timedelta(days=30))
        notifications.warn_expiring(today=today)
        notifications.warn_expiring(today=today + timedelta(days=1))
        [warning] = self.emails_to_trainee("certificate.expiring")
        self.assertIn("arrive bientôt à échéance", warning.subject)

        services.expire_certificates(today=today + timedelta(days=31))
        self.assertEqual(len(self.emails_to_trainee("certificate.expired")), 1)

    def test_an_opted_out_holder_gets_no_expiry_email_but_still_sees_it_in_the_app(self):
        from lms.notifications.models import Category, EmailPreference

        EmailPreference.objects.create(
            user=self.trainee, category=Category.REMINDERS, enabled=False
        )
        certificate = self.issue()
        today = timezone.localdate()
        Certificate.objects.filter(pk=certificate.pk).update(valid_until=today + timedelta(days=10))
        notifications.warn_expiring(today=today)
        self.assertEqual(self.emails_to_trainee("certificate.expiring"), [])
        self.assertTrue(
            Notification.objects.filter(
                recipient=self.trainee, event="certificate.expiring"
            ).exists()
        )
