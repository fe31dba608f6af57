import re

from allauth.account.models import EmailAddress
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from lms.accounts.models import User
from lms.accounts.roles import Role
from lms.notifications.models import Notification
from tests.lms.factories import UserFactory

SIGNUP = {
    "email": "nouvelle@example.org",
    "password1": "un-mot-de-passe-solide-42",
    "password2": "un-mot-de-passe-solide-42",
    "display_name": "Nadia",
    "preferred_language": "nl",
}


def confirmation_path(message) -> str:
    match = re.search(
        r"https?://[^/\s]+(/\S*/accounts/confirm-email/\S+/|/accounts/confirm-email/\S+/)",
        message.body,
    )
    assert match, message.body
    return match.group(1)


class SignupWithEmailVerificationTests(TestCase):
    def test_it_creates_an_unverified_trainee_and_sends_a_confirmation_email(self):
        response = self.client.post(reverse("account_signup"), SIGNUP)

        self.assertRedirects(response, reverse("account_email_verification_sent"))
        user = User.objects.get(email="nouvelle@example.org")
        self.assertEqual(user.display_name, "Nadia")
        self.assertEqual(user.preferred_language, "nl")
        self.assertTrue(user.has_role(Role.TRAINEE))
        self.assertFalse(EmailAddress.objects.get(user=user).verified)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["nouvelle@example.org"])

    def test_it_refuses_to_sign_in_before_the_email_is_verified(self):
        self.client.post(reverse("account_signup"), SIGNUP)
        self.client.logout()

        response = self.client.post(
            reverse("account_login"),
            {"login": SIGNUP["email"], "password": SIGNUP["password1"]},
        )

        self.assertRedirects(response, reverse("account_email_verification_sent"))
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_following_the_link_verifies_the_email_and_signs_the_person_in(self):
        self.client.post(reverse("account_signup"), SIGNUP)
        path = confirmation_path(mail.outbox[0])

        page = self.client.get(path)
        self.assertEqual(page.status_code, 200)
        response = self.client.post(path)

        self.assertTrue(EmailAddress.objects.get(email=SIGNUP["email"]).verified)
        self.assertEqual(
            int(self.client.session["_auth_user_id"]), User.objects.get(email=SIGNUP["email"]).pk
        )
        # Signed in, in the language chosen at sign-up.
        self.assertRedirects(response, "/nl/espace/", fetch_redirect_response=False)
        dashboard = self.client.get(reverse("accounts:dashboard"))
        self.assertContains(dashboard, "Nadia")
        # The welcome arrives in the language chosen at sign-up, in the list and by email.
        welcome = Notification.objects.get(
            recipient__email=SIGNUP["email"], event="account.welcome"
        )
        self.assertEqual(welcome.title, "Welkom bij Parcours")

    def test_signing_up_with_a_taken_email_does_not_reveal_that_it_exists(self):
        UserFactory(email="nouvelle@example.org")

        response = self.client.post(reverse("account_signup"), SIGNUP)

        # Same answer as a fresh sign-up; the owner gets an email instead of a second account.
        self.assertRedirects(response, reverse("account_email_verification_sent"))
        self.assertEqual(User.objects.filter(email__iexact="nouvelle@example.org").count(), 1)
        self.assertEqual(len(mail.outbox), 1)

    def test_a_mismatched_password_is_refused_with_a_message_and_creates_nothing(self):
        response = self.client.post(
            reverse("account_signup"), {**SIGNUP, "password2": "autre-chose-123"}
        )

        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors)
        self.assertFalse(User.objects.filter(email=SIGNUP["email"]).exists())


class PasswordResetTests(TestCase):
    def test_it_answers_the_same_for_known_and_unknown_addresses(self):
        UserFactory(email="connue@example.org")

        known = self.client.post(reverse("account_reset_password"), {"email": "connue@example.org"})
        unknown = self.client.post(
            reverse("account_reset_password"), {"email": "inconnue@example.org"}
        )

        self.assertEqual(known.status_code, unknown.status_code)
        self.assertEqual(known["Location"], unknown["Location"])
        reset_mails = [m for m in mail.outbox if "connue@example.org" in m.to]
        self.assertEqual(len(reset_mails), 1)
