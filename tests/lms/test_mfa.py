"""Two-factor authentication: available to everyone, required for coordinators and assessors."""

from io import StringIO

from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from django.urls import reverse

from lms.accounts.models import User
from lms.accounts.roles import Role
from lms.audit.models import AuditEvent
from lms.notifications.models import Notification
from tests.base import EnglishPersonasTestCase, PersonasTestCase, give_totp, totp_code
from tests.lms.factories import UserFactory


def sign_in(client, user, password):
    return client.post(reverse("account_login"), {"login": user.email, "password": password})


class TwoFactorRequiredTests(EnglishPersonasTestCase):
    def setUp(self):
        super().setUp()
        self.new_coordinator = UserFactory(role=Role.COORDINATOR, two_factor=False)

    def test_a_coordinator_without_an_app_is_sent_to_set_one_up_from_every_staff_page(self):
        self.login(self.new_coordinator)

        for url in ("/admin/", reverse("accounts:dashboard"), "/en/vae/gestion/"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertRedirects(
                    response, reverse("mfa_activate_totp"), fetch_redirect_response=False
                )
        page = self.client.get(reverse("mfa_activate_totp"), follow=True)
        self.assertContains(page, "must be protected by two-factor authentication")

    def test_an_assessor_without_an_app_is_sent_too_but_trainers_and_trainees_are_not(self):
        assessor = UserFactory(role=Role.ASSESSOR, two_factor=False)
        self.login(assessor)
        self.assertRedirects(
            self.client.get(reverse("accounts:dashboard")),
            reverse("mfa_activate_totp"),
            fetch_redirect_response=False,
        )
        for person in (self.trainer, self.trainee):
            with self.subTest(person=person.email):
                self.login(person)
                self.assertEqual(self.client.get(reverse("accounts:dashboard")).status_code, 200)

    def test_with_an_app_the_coordinator_reaches_the_admin(self):
        self.login(self.coordinator)

        self.assertEqual(self.client.get("/admin/").status_code, 200)

    def test_setting_up_the_app_opens_the_staff_pages_and_shows_recovery_codes(self):
        response = sign_in(self.client, self.new_coordinator, self.password)
        landing = self.client.get(response["Location"], follow=True)
        self.assertIn("/2fa/totp/activate/", landing.redirect_chain[-1][0])

        page = self.client.get(reverse("mfa_activate_totp"))
        self.assertContains(page, 'src="data:image/svg+xml;base64,')
        self.assertNotIn("unsafe-inline", page["Content-Security-Policy"])
        secret = page.context["form"].secret
        wrong = self.client.post(reverse("mfa_activate_totp"), {"code": "000000"})
        self.assertEqual(wrong.status_code, 200)
        self.assertFalse(Authenticator.objects.filter(user=self.new_coordinator).exists())

        done = self.client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

        self.assertRedirects(done, reverse("mfa_view_recovery_codes"), target_status_code=200)
        codes = self.client.get(reverse("mfa_view_recovery_codes"))
        self.assertEqual(len(codes.context["unused_codes"]), 10)
        self.assertContains(codes, codes.context["unused_codes"][0])
        self.assertEqual(self.client.get("/admin/").status_code, 200)

    def test_a_coordinator_cannot_turn_the_app_off(self):
        sign_in(self.client, self.coordinator, self.password)
        code = totp_code(self.totp_secrets[self.coordinator.pk])
        self.client.post(reverse("mfa_authenticate"), {"code": code})
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.coordinator.pk)

        response = self.client.post(reverse("mfa_deactivate_totp"))

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Your role requires two-factor authentication")
        self.assertTrue(
            Authenticator.objects.filter(
                user=self.coordinator, type=Authenticator.Type.TOTP
            ).exists()
        )

    def test_a_trainee_may_turn_two_factor_on(self):
        self.login(self.trainee)

        page = self.client.get(reverse("mfa_index"))

        self.assertContains(page, reverse("mfa_activate_totp"))


class SignInWithTwoFactorTests(PersonasTestCase):
    def test_the_password_then_the_app_code_signs_the_coordinator_in(self):
        response = sign_in(self.client, self.coordinator, self.password)

        self.assertRedirects(response, reverse("mfa_authenticate"), target_status_code=200)
        self.assertNotIn("_auth_user_id", self.client.session)
        code = totp_code(self.totp_secrets[self.coordinator.pk])
        done = self.client.post(reverse("mfa_authenticate"), {"code": code})
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.coordinator.pk)
        self.assertEqual(done.status_code, 302)

    def test_a_wrong_code_keeps_the_person_signed_out(self):
        sign_in(self.client, self.coordinator, self.password)

        response = self.client.post(reverse("mfa_authenticate"), {"code": "123456"})

        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_a_recovery_code_works_once(self):
        from lms.accounts.two_factor import recovery_codes

        code = recovery_codes(self.assessor)[0]
        sign_in(self.client, self.assessor, self.password)
        self.client.post(reverse("mfa_authenticate"), {"code": code})
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.assessor.pk)
        self.assertNotIn(code, recovery_codes(self.assessor))

    def test_the_wagtail_admin_sign_in_form_leads_to_the_site_sign_in(self):
        response = self.client.post(
            "/admin/login/?next=/admin/",
            {"username": self.coordinator.email, "password": self.password},
        )

        self.assertRedirects(
            response, reverse("account_login") + "?next=%2Fadmin%2F", fetch_redirect_response=False
        )
        self.assertNotIn("_auth_user_id", self.client.session)


class ResetTwoFactorCommandTests(PersonasTestCase):
    def test_it_removes_the_app_and_codes_writes_the_audit_and_tells_the_person(self):
        out = StringIO()

        call_command(
            "reset_two_factor",
            self.assessor.email,
            reason="Téléphone perdu, identité vérifiée par appel",
            by=self.coordinator.email,
            stdout=out,
        )

        self.assertFalse(Authenticator.objects.filter(user=self.assessor).exists())
        event = AuditEvent.objects.get(action="account.two_factor_reset")
        self.assertEqual(event.actor, self.coordinator)
        self.assertEqual(event.target_id, str(self.assessor.pk))
        self.assertEqual(sorted(event.data["removed"]), ["recovery_codes", "totp"])
        self.assertTrue(
            Notification.objects.filter(
                recipient=self.assessor, event="account.two_factor_reset"
            ).exists()
        )
        self.assertNotIn(self.assessor.email, out.getvalue())
        # Next sign-in: password only, then the set-up page.
        response = sign_in(self.client, self.assessor, self.password)
        landing = self.client.get(response["Location"], follow=True)
        self.assertIn("/2fa/totp/activate/", landing.redirect_chain[-1][0])

    def test_it_needs_a_reason_and_a_known_account(self):
        with self.assertRaises(CommandError):
            call_command("reset_two_factor", "nobody@example.org", reason="x")
        with self.assertRaises(CommandError):
            call_command("reset_two_factor", self.assessor.email, reason="  ")
        self.assertTrue(Authenticator.objects.filter(user=self.assessor).exists())

    def test_a_second_reset_does_nothing(self):
        call_command(
            "reset_two_factor", self.assessor.email, reason="phone lost", stdout=StringIO()
        )
        call_command(
            "reset_two_factor", self.assessor.email, reason="phone lost", stdout=StringIO()
        )

        self.assertEqual(AuditEvent.objects.filter(action="account.two_factor_reset").count(), 1)


def test_give_totp_returns_a_secret_the_code_helper_understands(db):
    user = UserFactory(role=Role.ASSESSOR, two_factor=False)
    secret = give_totp(user)
    assert len(totp_code(secret)) == 6


class DemoTwoFactorTests(TestCase):
    @override_settings(DEBUG=True)
    def test_demo_coordinator_and_assessors_share_the_printed_secret_and_codes(self):
        from allauth.mfa.totp.internal.auth import TOTP

        from lms.accounts import demo
        from lms.demo import DemoContext

        context = DemoContext()
        demo.seed(context)
        demo.seed(DemoContext())

        coordinator = User.objects.get(email="coordination@parcours.example")
        totp = Authenticator.objects.get(user=coordinator, type=Authenticator.Type.TOTP)
        self.assertTrue(TOTP(totp).validate_code(totp_code(demo.DEMO_TOTP_SECRET)))
        self.assertEqual(Authenticator.objects.filter(user=coordinator).count(), 2)
        report = context.report["two_factor"]
        self.assertEqual(report["secret"], demo.DEMO_TOTP_SECRET)
        self.assertEqual(len(report["recovery_codes"]), 10)
        printed = "\n".join(line for _, lines in context.sections for line in lines)
        self.assertIn(demo.DEMO_TOTP_SECRET, printed)
        self.assertIn(report["recovery_codes"][0], printed)
        trainee = User.objects.get(email="julie@parcours.example")
        self.assertFalse(Authenticator.objects.filter(user=trainee).exists())

    @override_settings(DEBUG=False)
    def test_without_debug_no_demo_authenticator_exists(self):
        from lms.accounts import demo
        from lms.demo import DemoContext

        context = DemoContext()
        demo.seed(context)

        self.assertFalse(Authenticator.objects.exists())
        self.assertNotIn("two_factor", context.report)
