from datetime import timedelta

from django.utils import timezone

from certification.verification.models import VerificationLog
from lms.notifications.models import Notification, OutboxEmail
from lms.privacy import services
from tests.base import PersonasTestCase
from tests.certification.helpers import make_certification
from vae import services as vae
from vae.models import Candidacy


def notification(user, key, days):
    n = Notification.objects.create(recipient=user, event="e", title="t", dedupe_key=key)
    Notification.objects.filter(pk=n.pk).update(created_at=timezone.now() - timedelta(days=days))
    return n


def email(user, key, days, status=OutboxEmail.Status.SENT):
    e = OutboxEmail.objects.create(
        dedupe_key=key,
        event="e",
        recipient=user,
        to_address=user.email,
        language="fr",
        subject="s",
        text_body="b",
        status=status,
    )
    OutboxEmail.objects.filter(pk=e.pk).update(created_at=timezone.now() - timedelta(days=days))
    return e


class RetentionTests(PersonasTestCase):
    def test_only_expired_notifications_and_finished_emails_are_deleted(self):
        old = notification(self.trainee, "old", 400)
        recent = notification(self.trainee, "recent", 10)
        sent_old = email(self.trainee, "m1", 100)
        sent_recent = email(self.trainee, "m2", 10)
        failed_old = email(self.trainee, "m3", 100, status=OutboxEmail.Status.FAILED)
        counts = services.apply_retention()
        self.assertEqual(counts["notifications.notifications"], 1)
        self.assertEqual(counts["notifications.emails"], 1)
        self.assertFalse(Notification.objects.filter(pk=old.pk).exists())
        self.assertTrue(Notification.objects.filter(pk=recent.pk).exists())
        self.assertFalse(OutboxEmail.objects.filter(pk=sent_old.pk).exists())
        self.assertEqual(
            set(OutboxEmail.objects.values_list("pk", flat=True)), {sent_recent.pk, failed_old.pk}
        )

    def test_periods_come_from_settings(self):
        notification(self.trainee, "old", 40)
        with self.settings(NOTIFICATIONS_RETENTION_DAYS=30):
            self.assertEqual(services.apply_retention()["notifications.notifications"], 1)

    def test_old_verification_logs_are_deleted(self):
        from tests.privacy.builders import make_person

        person = make_person(trainer=self.trainer, coordinator=self.coordinator)
        old = VerificationLog.objects.create(certificate=person.certificate, channel="page")
        VerificationLog.objects.filter(pk=old.pk).update(
            checked_at=timezone.now() - timedelta(days=800)
        )
        recent = VerificationLog.objects.create(certificate=person.certificate, channel="api")
        services.apply_retention()
        self.assertEqual(list(VerificationLog.objects.values_list("pk", flat=True)), [recent.pk])

    def test_abandoned_vae_drafts_are_deleted_and_nothing_else(self):
        _framework, certification = make_certification()
        abandoned = vae.open_candidacy(candidate=self.trainee, certification=certification)
        fresh = vae.open_candidacy(candidate=self.other_trainee, certification=certification)
        sent = vae.open_candidacy(candidate=self.outsider, certification=certification)
        Candidacy.objects.filter(pk=sent.pk).update(
            status=Candidacy.Status.SUBMITTED, submitted_at=timezone.now()
        )
        long_ago = timezone.now() - timedelta(days=400)
        Candidacy.objects.filter(pk__in=[abandoned.pk, sent.pk]).update(last_activity_at=long_ago)
        self.assertEqual(vae.delete_abandoned_drafts(), 1)
        self.assertEqual(set(Candidacy.objects.values_list("pk", flat=True)), {fresh.pk, sent.pk})
        self.assertEqual(vae.delete_abandoned_drafts(), 0)
