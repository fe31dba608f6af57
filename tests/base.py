"""Named personas shared by the whole suite (after healthchecks' hc/test.py)."""

from django.test import TestCase
from django.utils import translation

from lms.accounts.roles import Role
from tests.lms.factories import PASSWORD, UserFactory


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
            email="sophie@example.org", first_name="Sophie", role=Role.COORDINATOR
        )
        cls.assessor = UserFactory(email="anne@example.org", first_name="Anne", role=Role.ASSESSOR)
        cls.other_assessor = UserFactory(
            email="pierre@example.org", first_name="Pierre", role=Role.ASSESSOR
        )
        cls.partner = UserFactory(
            email="helene@example.org", first_name="Hélène", role=Role.PARTNER
        )
        cls.outsider = UserFactory(email="outsider@example.org", first_name="Olivier")

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
