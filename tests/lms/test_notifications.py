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
        # Not again at once (a duplicate task, the next sweep): only when the backoff is over.
        self.assertFalse(services.deliver_outbox_email(outbox_id=self.outbox.pk))
        with mock.patch("django.utils.timezone.now", return_value=self.outbox.next_attempt_at):
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

    def test_each_failed_attempt_waits_twice_as_long_up_to_eight_hours_over_about_a_day(self):
        delays = [
            services.retry_delay(attempts=n).total_seconds() / 60
            for n in range(1, services.MAX_ATTEMPTS)
        ]

        self.assertEqual(delays, [2, 4, 8, 16, 32, 64, 128, 256, 480, 480])
        # From the first attempt to the last (which marks it failed): about a day.
        self.assertGreaterEqual(sum(delays), 24 * 60)
        self.assertLessEqual(sum(delays), 26 * 60)

    def test_a_six_minute_mail_outage_with_a_sweep_every_minute_still_delivers_the_email(self):
        start = timezone.now() + timedelta(minutes=2)
        outage_ends = start + timedelta(minutes=6)
        attempts_at = []

        def send(messages):
            attempts_at.append(now)
            if now < outage_ends:
                raise SMTPServerDisconnected("gone")
            return len(messages)

        with mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            autospec=True,
            side_effect=lambda backend, messages: send(messages),
        ):
            for minute in range(60):
                now = start + timedelta(minutes=minute)
                with mock.patch("django.utils.timezone.now", return_value=now):
                    services.sweep_outbox()

        self.outbox.refresh_from_db()
        self.assertEqual(self.outbox.status, OutboxEmail.Status.SENT)
        # Tried after 0, 2 and 6 minutes, not every minute: the backoff holds.
        self.assertEqual([(at - start).total_seconds() / 60 for at in attempts_at], [0, 2, 6])
        self.assertEqual(self.outbox.attempts, 3)

    def test_the_sweep_leaves_an_email_alone_until_its_next_attempt_is_due(self):
        later = timezone.now() + timedelta(minutes=30)
        OutboxEmail.objects.filter(pk=self.outbox.pk).update(attempts=3, next_attempt_at=later)

        self.assertEqual(services.sweep_outbox(grace=timedelta(0)), 0)
        with mock.patch("django.utils.timezone.now", return_value=later):
            self.assertEqual(services.sweep_outbox(grace=timedelta(0)), 1)
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

    def test_marking_read_goes_back_to_a_local_page_and_nowhere_else(self):
        self.login(self.trainee)
        url = reverse("notifications:mark-read", args=[self.mine.pk])
        own_list = reverse("notifications:list")

        for sent, expected in [
            ("/espace/", "/espace/"),
            ("https://evil.example/", own_list),
            # Not a URL pattern name either: the page "-1" relative to here (was a 500).
            ("-1", "-1"),
            ("dashboard", "dashboard"),
        ]:
            with self.subTest(next=sent):
                response = self.client.post(url, {"next": sent})
                self.assertEqual(response.status_code, 302)
                self.assertEqual(response["Location"], expected)

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

    def test_a_waiting_email_shows_when_it_will_be_tried_again(self):
        OutboxEmail.objects.filter(pk=self.email.pk).update(
            status=OutboxEmail.Status.PENDING,
            attempts=2,
            last_error="SMTPServerDisconnected",
            next_attempt_at=timezone.now() + timedelta(minutes=4),
        )
        self.login(self.coordinator)

        listing = self.client.get(reverse("notifications_outbox"), {"status": "pending"})

        self.assertContains(listing, "SMTPServerDisconnected")
        self.assertContains(listing, "Prochain essai :")

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


class UnescapeMigrationTests(TestCase):
    def test_titles_and_plain_texts_stored_escaped_are_made_verbatim_once(self):
        import importlib

        from django.apps import apps

        migration = importlib.import_module("lms.notifications.migrations.0004_unescape_plain_text")
        user = UserFactory()
        welcome(user)
        Notification.objects.update(title="Résultat : L&#x27;écoute &amp; &lt;co&gt;")
        OutboxEmail.objects.update(subject="L&#x27;écoute", text_body="L&#x27;équipe Parcours")
        Notification.objects.create(
            recipient=user,
            event="certificate.issued",
            title="Prêt : A &amp; B",
            body="Motif : A &amp; B tel que saisi",
            dedupe_key="certificate.issued:1",
        )

        migration.unescape_plain_text(apps, None)
        migration.unescape_plain_text(apps, None)

        self.assertEqual(
            Notification.objects.get(event="account.welcome").title,
            "Résultat : L'écoute & <co>",
        )
        email = OutboxEmail.objects.get()
        self.assertEqual((email.subject, email.text_body), ("L'écoute", "L'équipe Parcours"))
        # That text part was already verbatim: what the person typed stays as typed.
        certificate = Notification.objects.get(event="certificate.issued")
        self.assertEqual(certificate.title, "Prêt : A & B")
        self.assertEqual(certificate.body, "Motif : A &amp; B tel que saisi")
