"""Named personas shared by the whole suite (after healthchecks' hc/test.py)."""

from django.test import TestCase
from django.utils import translation

from lms.accounts.roles import Role
from lms.accounts.two_factor import set_up_authenticator_app
from tests.lms.factories import PASSWORD, UserFactory


def give_totp(user) -> str:
    """Give ``user`` an authenticator app (and recovery codes); returns its base32 secret, from
    which ``totp_code(secret)`` computes the code the app would show now."""
    from allauth.mfa.totp.internal.auth import generate_totp_secret

    secret = generate_totp_secret()
    set_up_authenticator_app(user=user, secret=secret)
    return secret


def totp_code(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


class PersonasTestCase(TestCase):
    """A trainee, another trainee, two trainers, a coordinator, two assessors, a partner and an
    outsider with no role. ``self.login(person)`` signs one in."""

    password = PASSWORD

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.trainee = UserFactory(email="julie@example.org", first_name="Julie", role=Role.TRAINEE)
        cls.other_trainee = UserFactory(
            email="kevin@example.org", first_name="Kevin", role=Role.TRAINEE
        )
        cls.trainer = UserFactory(email="marc@example.org", first_name="Marc", role=Role.TRAINER)
        cls.other_trainer = UserFactory(
            email="fatima@example.org", first_name="Fatima", role=Role.TRAINER
        )
        cls.coordinator = UserFactory(
            email="sophie@example.org", first_name="Sophie", role=Role.COORDINATOR, two_factor=False
        )
        cls.assessor = UserFactory(
            email="anne@example.org", first_name="Anne", role=Role.ASSESSOR, two_factor=False
        )
        cls.other_assessor = UserFactory(
            email="pierre@example.org", first_name="Pierre", role=Role.ASSESSOR, two_factor=False
        )
        cls.partner = UserFactory(
            email="helene@example.org", first_name="Hélène", role=Role.PARTNER
        )
        cls.outsider = UserFactory(email="outsider@example.org", first_name="Olivier")
        # Their roles require two-factor authentication (lms.accounts.middleware).
        cls.totp_secrets = {
            person.pk: give_totp(person)
            for person in (cls.coordinator, cls.assessor, cls.other_assessor)
        }

    def login(self, user) -> None:
        self.client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


class EnglishPersonasTestCase(PersonasTestCase):
    """Personas reading English (browser and services), so tests can match the English source
    texts whatever the French catalogue says: reverse() builds /en/ URLs, and pages outside the
    language prefix (the admin) follow Accept-Language."""

    def setUp(self):
        super().setUp()
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def login(self, user) -> None:
        # The Wagtail admin speaks the language of the person's admin profile.
        from wagtail.users.models import UserProfile

        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "en"
        profile.save()
        super().login(user)
