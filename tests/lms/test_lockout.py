"""Sign-in throttling: after LOGIN_LOCKOUT_ATTEMPTS failures an account is locked for a while,
even with the right password, and the person is told kindly."""

import time
from unittest import mock

from django.conf import settings
from django.urls import reverse

from tests.base import EnglishPersonasTestCase, totp_code

LOCKED = "signing in to this account is paused after several unsuccessful attempts"


class LoginLockoutTests(EnglishPersonasTestCase):
    def attempt(self, email, password):
        return self.client.post(reverse("account_login"), {"login": email, "password": password})

    def fail(self, email, times=None):
        for _ in range(times or settings.LOGIN_LOCKOUT_ATTEMPTS):
            response = self.attempt(email, "not-the-password")
            self.assertEqual(response.status_code, 200)
            self.assertNotContains(response, LOCKED)

    def test_after_the_failed_attempts_the_right_password_is_refused_with_a_kind_message(self):
        self.fail(self.trainee.email)

        response = self.attempt(self.trainee.email, self.password)

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, LOCKED)
        self.assertContains(response, f"try again in {settings.LOGIN_LOCKOUT_MINUTES} minutes")
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_the_lock_ends_after_the_lockout_period(self):
        self.fail(self.trainee.email)
        later = time.time() + settings.LOGIN_LOCKOUT_MINUTES * 60 + 1

        with mock.patch("allauth.core.internal.ratelimit.time") as clock:
            clock.time.return_value = later
            response = self.attempt(self.trainee.email, self.password)

        self.assertEqual(response.status_code, 302)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.trainee.pk)

    def test_fewer_failures_do_not_lock_and_other_accounts_are_not_locked(self):
        self.fail(self.trainee.email, times=settings.LOGIN_LOCKOUT_ATTEMPTS - 1)
        self.fail(self.other_trainee.email)

        response = self.attempt(self.trainee.email, self.password)

        self.assertEqual(response.status_code, 302)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.trainee.pk)

    def test_an_unknown_address_is_locked_the_same_way(self):
        self.fail("nobody@example.org")

        response = self.attempt("nobody@example.org", "whatever-it-is")

        self.assertContains(response, LOCKED)

    def test_two_factor_codes_are_throttled_too(self):
        secret = self.totp_secrets[self.coordinator.pk]
        self.attempt(self.coordinator.email, self.password)
        for _ in range(settings.LOGIN_LOCKOUT_ATTEMPTS):
            wrong = self.client.post(reverse("mfa_authenticate"), {"code": "000000"})
            self.assertNotContains(wrong, LOCKED)

        response = self.client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, LOCKED)
        self.assertNotIn("_auth_user_id", self.client.session)
