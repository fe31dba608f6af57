from django.apps import apps
from django.conf import settings
from django.test import SimpleTestCase

from lms.privacy import registry


class RegistryTests(SimpleTestCase):
    def test_every_model_linked_to_a_person_is_declared_by_a_provider(self):
        user_model = apps.get_model(settings.AUTH_USER_MODEL)
        linked = {
            model._meta.label
            for model in apps.get_models()
            if not model._meta.proxy
            and any(
                field.is_relation and field.related_model is user_model
                for field in model._meta.get_fields()
                if getattr(field, "concrete", False)
            )
        }
        linked.add("accounts.User")
        undeclared = linked - registry.declared_models()
        self.assertEqual(undeclared, set(), "declare these in an app's privacy.py")

    def test_every_declared_model_exists(self):
        for label in registry.declared_models():
            apps.get_model(label)

    def test_every_app_registers_a_provider(self):
        self.assertEqual(
            {p.name for p in registry.providers()},
            {
                "account",
                "notifications",
                "audit",
                "privacy",
                "certification",
                "training",
                "vae",
                "operations",
            },
        )
