"""No user enumeration: sign-up, sign-in, password reset and email verification answer the same
whether an address has an account or not (same status, template, message, redirect)."""

import re

from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from tests.base import EnglishPersonasTestCase
from tests.lms.factories import UserFactory


def templates_of(response) -> list[str]:
    """The page's templates; emails differ (each goes to the address's owner, unseen here)."""
    return [
        t.name
        for t in response.templates
        if t.name and not t.name.startswith(("allauth/", "account/email/", "emails/"))
    ]


ADDRESS = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


def messages_of(response) -> list[str]:
    """The flash messages, with the address the person typed replaced (it is echoed back)."""
    return [ADDRESS.sub("<address>", str(m)) for m in response.wsgi_request._messages]


class NoEnumerationTests(EnglishPersonasTestCase):
    def assertSameAnswer(self, first, second):
        self.assertEqual(first.status_code, second.status_code)
        self.assertEqual(first.get("Location"), second.get("Location"))
        self.assertEqual(templates_of(first), templates_of(second))
        self.assertEqual(messages_of(first), messages_of(second))
        first_form = first.context and first.context.get("form")
        second_form = second.context and second.context.get("form")
        if first_form or second_form:
            self.assertEqual(dict(first_form.errors), dict(second_form.errors))

    def test_sign_in_with_an_unknown_address_or_a_wrong_password_reads_the_same(self):
        url = reverse("account_login")
        unknown = self.client.post(url, {"login": "nobody@example.org", "password": "guess-123"})
        wrong = self.client.post(url, {"login": self.trainee.email, "password": "guess-123"})

        self.assertEqual(unknown.status_code, 200)
        self.assertSameAnswer(unknown, wrong)
        self.assertContains(
            wrong, "The email address and/or password you specified are not correct"
        )

    def signup(self, email):
        return self.client.post(
            reverse("account_signup"),
            {
                "email": email,
                "password1": "un-mot-de-passe-solide-42",
                "password2": "un-mot-de-passe-solide-42",
                "display_name": "Nadia",
                "preferred_language": "fr",
            },
        )

    def test_sign_up_with_a_taken_or_unverified_address_reads_like_a_fresh_one(self):
        unverified = UserFactory(email="pending@example.org", verified=False)
        EmailAddress.objects.create(user=unverified, email=unverified.email, verified=False)

        fresh = self.signup("fresh@example.org")
        self.client.logout()
        taken = self.signup(self.trainee.email)
        self.client.logout()
        pending = self.signup("pending@example.org")

        self.assertEqual(fresh.status_code, 302)
        self.assertSameAnswer(fresh, taken)
        self.assertSameAnswer(fresh, pending)
        # Each address receives one email; nobody learns anything from the page.
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox),
            sorted(["fresh@example.org", self.trainee.email, "pending@example.org"]),
        )

    def test_password_reset_reads_the_same_for_known_and_unknown_addresses(self):
        url = reverse("account_reset_password")
        known = self.client.post(url, {"email": self.trainee.email})
        unknown = self.client.post(url, {"email": "nobody@example.org"})

        self.assertSameAnswer(known, unknown)
        done_known = self.client.get(known["Location"])
        done_unknown = self.client.get(unknown["Location"])
        self.assertEqual(CSRF.sub(b"", done_known.content), CSRF.sub(b"", done_unknown.content))

    def test_the_verification_page_after_sign_in_needs_the_right_password(self):
        """An unverified account is only revealed to someone who knows its password."""
        unverified = UserFactory(email="pending@example.org", verified=False)
        EmailAddress.objects.create(user=unverified, email=unverified.email, verified=False)
        url = reverse("account_login")

        wrong = self.client.post(url, {"login": unverified.email, "password": "guess-123"})
        unknown = self.client.post(url, {"login": "nobody@example.org", "password": "guess-123"})
        right = self.client.post(url, {"login": unverified.email, "password": self.password})

        self.assertSameAnswer(wrong, unknown)
        self.assertRedirects(right, reverse("account_email_verification_sent"))
