import factory
from allauth.account.models import EmailAddress

from lms.accounts import services
from lms.accounts.models import User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    """A person with a verified email address; pass ``role=`` to give one role."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="fr_BE")
    last_name = factory.Faker("last_name", locale="fr_BE")
    preferred_language = "fr"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            services.assign_role(user=self, role=extracted)

    @factory.post_generation
    def two_factor(self, create, extracted, **kwargs):
        """Coordinators and assessors must use two-factor authentication: they get an
        authenticator app unless ``two_factor=False`` (to test the requirement itself)."""
        if not create or extracted is False:
            return
        from lms.accounts.roles import Role
        from tests.base import give_totp

        required = {Role.COORDINATOR, Role.ASSESSOR}
        if extracted or self.groups.filter(name__in=required).exists():
            give_totp(self)
