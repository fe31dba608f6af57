from datetime import timedelta
from smtplib import SMTPServerDisconnected
from unittest import mock

from django.core import mail
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from lms.notifications import services
from lms.notifications.models import Category, Notification, OutboxEmail
from tests.base import PersonasTestCase
from tests.lms.factories import UserFactory


def welcome(user, key="k1", **kwargs):
    return services.notify(
        recipient=user,
        event="account.welcome",
        template="emails/account_welcome",
        context={},
        dedupe_key=key,
        url="/espace/",
        **kwargs,
    )


class NotifyTests(TestCase):
    def test_it_records_the_notification_and_sends_the_email_after_commit(self):
        user = UserFactory(preferred_language="nl", display_name="Kevin")

        with self.captureOnCommitCallbacks(execute=True):
            notification = welcome(user)
            self.assertEqual(len(mail.outbox), 0)

        self.assertEqual(notification.title, "Welkom bij Parcours")
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.subject, "Welkom bij Parcours")
        self.assertIn("Hallo Kevin", message.body)
        html, mimetype = message.alternatives[0]
        self.assertEqual(mimetype, "text/html")
        self.assertIn('lang="nl"', html)
        self.assertEqual(OutboxEmail.objects.get().status, OutboxEmail.Status.SENT)

    def test_the_same_event_twice_makes_one_notification_and_one_email(self):
        user = UserFactory()

        with self.captureOnCommitCallbacks(execute=True):
            welcome(user)
            welcome(user)

        self.assertEqual(Notification.objects.count(), 1)
        self.assertEqual(len(mail.outbox), 1)

    def test_an_optional_category_switched_off_keeps_the_notification_but_sends_no_email(self):
        user = UserFactory()
        services.set_email_preferences(user=user, enabled=[Category.UPDATES])

        with self.captureOnCommitCallbacks(execute=True):
            welcome(user, category=Category.REMINDERS)

        self.assertEqual(Notification.objects.count(), 1)
        self.assertEqual(len(mail.outbox), 0)

    def test_essential_emails_cannot_be_switched_off(self):
        user = UserFactory()
        services.set_email_preferences(user=user, enabled=[])

        with self.captureOnCommitCallbacks(execute=True):
            welcome(user, category=Category.ESSENTIAL)

        self.assertEqual(len(mail.outbox), 1)


class DeliveryTests(TestCase):
    def setUp(self):
        self.user = UserFactory()
        # Recorded but not yet handed to a worker (as when the broker is down at commit).
        welcome(self.user)
        self.outbox = OutboxEmail.objects.get()

    def test_delivering_twice_sends_once(self):
        first = services.deliver_outbox_email(outbox_id=self.outbox.pk)
        second = services.deliver_outbox_email(outbox_id=self.outbox.pk)

        self.assertEqual((first, second), (True, False))
        self.assertEqual(len(mail.outbox), 1)

    def test_a_broker_failure_at_commit_loses_nothing_and_the_sweep_sends_it(self):
        with mock.patch(
            "lms.notifications.tasks.deliver_outbox_email_task.apply_async",
            side_effect=ConnectionRefusedError("broker down"),
        ):
            services.enqueue_delivery(outbox_id=self.outbox.pk)
        self.assertEqual(len(mail.outbox), 0)

        sent = services.sweep_outbox(grace=timedelta(0))

        self.assertEqual(sent, 1)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(services.sweep_outbox(grace=timedelta(0)), 0)

    def test_a_mail_server_outage_keeps_the_email_pending_for_another_try(self):
        with (
            mock.patch(
                "django.core.mail.backends.locmem.EmailBackend.send_messages",
                side_effect=SMTPServerDisconnected("gone"),
            ),
            self.assertRaises(services.TransientDeliveryError),
        ):
            services.deliver_outbox_email(outbox_id=self.outbox.pk)

        self.outbox.refresh_from_db()
        self.assertEqual(self.outbox.status, OutboxEmail.Status.PENDING)
        self.assertEqual(self.outbox.last_error, "SMTPServerDisconnected")
        self.assertTrue(services.deliver_outbox_email(outbox_id=self.outbox.pk))

    def test_after_the_last_attempt_the_email_is_failed_and_can_be_retried(self):
        OutboxEmail.objects.filter(pk=self.outbox.pk).update(attempts=services.MAX_ATTEMPTS - 1)
        with mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=SMTPServerDisconnected("gone"),
        ):
            self.assertFalse(services.deliver_outbox_email(outbox_id=self.outbox.pk))
        self.outbox.refresh_from_db()
        self.assertEqual(self.outbox.status, OutboxEmail.Status.FAILED)

        with self.captureOnCommitCallbacks(execute=True):
            self.assertTrue(services.retry_outbox_email(outbox_id=self.outbox.pk))

        self.outbox.refresh_from_db()
        self.assertEqual(self.outbox.status, OutboxEmail.Status.SENT)
        self.assertEqual(len(mail.outbox), 1)

    def test_an_email_interrupted_mid_send_is_flagged_not_resent(self):
        OutboxEmail.objects.filter(pk=self.outbox.pk).update(
            status=OutboxEmail.Status.SENDING, claimed_at=timezone.now() - timedelta(hours=1)
        )

        services.sweep_outbox(grace=timedelta(0))

        self.outbox.refresh_from_db()
        self.assertEqual(self.outbox.status, OutboxEmail.Status.FAILED)
        self.assertEqual(len(mail.outbox), 0)


class EmailLanguagesTests(TestCase):
    def test_the_welcome_email_is_translated_in_the_three_languages(self):
        subjects = {}
        for index, language in enumerate(["fr", "en", "nl"]):
            user = UserFactory(preferred_language=language)
            subjects[language] = welcome(user, key=f"lang-{index}").title

        self.assertEqual(
            subjects,
            {
                "fr": "Bienvenue sur Parcours",
                "en": "Welcome to Parcours",
                "nl": "Welkom bij Parcours",
            },
        )


class NotificationViewsTests(PersonasTestCase):
    def setUp(self):
        self.mine = welcome(self.trainee, key="mine")
        self.theirs = welcome(self.other_trainee, key="theirs")

    def test_the_list_shows_only_my_notifications(self):
        self.login(self.trainee)

        response = self.client.get(reverse("notifications:list"))

        self.assertEqual(list(response.context["page_obj"].object_list), [self.mine])

    def test_the_header_counts_unread_notifications(self):
        self.login(self.trainee)

        response = self.client.get(reverse("accounts:dashboard"))

        self.assertContains(response, '<span class="badge">1<span class="visually-hidden"> non lue')

    def test_i_can_mark_mine_as_read_and_unread(self):
        self.login(self.trainee)

        self.client.post(reverse("notifications:mark-read", args=[self.mine.pk]))
        self.mine.refresh_from_db()
        self.assertTrue(self.mine.is_read)

        self.client.post(reverse("notifications:mark-unread", args=[self.mine.pk]))
        self.mine.refresh_from_db()
        self.assertFalse(self.mine.is_read)

    def test_i_cannot_touch_another_persons_notification(self):
        self.login(self.trainee)

        response = self.client.post(reverse("notifications:mark-read", args=[self.theirs.pk]))

        self.assertEqual(response.status_code, 404)
        self.theirs.refresh_from_db()
        self.assertFalse(self.theirs.is_read)

    def test_my_email_choices_are_saved(self):
        self.login(self.trainee)

        self.client.post(reverse("notifications:preferences"), {"categories": ["updates"]})

        self.assertEqual(
            services.wants_email(user=self.trainee, category=Category.REMINDERS), False
        )
        self.assertEqual(services.wants_email(user=self.trainee, category=Category.UPDATES), True)


@override_settings(CELERY_TASK_ALWAYS_EAGER=True)
class OutboxAdminTests(PersonasTestCase):
    def setUp(self):
        welcome(self.trainee)
        self.email = OutboxEmail.objects.get()
        OutboxEmail.objects.filter(pk=self.email.pk).update(status=OutboxEmail.Status.FAILED)

    def test_a_coordinator_sees_failed_emails_and_sends_one_again(self):
        self.login(self.coordinator)

        listing = self.client.get(reverse("notifications_outbox"))
        self.assertContains(listing, self.email.subject)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("notifications_outbox_retry", args=[self.email.pk]))

        self.email.refresh_from_db()
        self.assertEqual(self.email.status, OutboxEmail.Status.SENT)

    def test_trainees_cannot_see_the_outbox(self):
        self.login(self.trainee)

        response = self.client.get(reverse("notifications_outbox"))

        self.assertIn(response.status_code, (302, 403))


class QuietEmailsTests(TestCase):
    def test_inside_quiet_emails_the_notification_is_kept_and_no_email_is_recorded(self):
        user = UserFactory()

        with self.captureOnCommitCallbacks(execute=True), services.quiet_emails():
            welcome(user)

        self.assertEqual(Notification.objects.count(), 1)
        self.assertFalse(OutboxEmail.objects.exists())
        self.assertEqual(len(mail.outbox), 0)
