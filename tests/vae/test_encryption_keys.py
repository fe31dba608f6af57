"""The keys that encrypt VAE narratives and jury justifications: checked at deployment."""

from cryptography.fernet import Fernet
from django.test import SimpleTestCase, override_settings

from vae import checks


class EncryptionKeysCheckTests(SimpleTestCase):
    @override_settings(DEBUG=False, VAE_ENCRYPTION_KEYS=[])
    def test_production_without_a_key_is_warned(self):
        self.assertEqual([w.id for w in checks.encryption_keys_configured(None)], ["vae.W001"])

    @override_settings(DEBUG=True, VAE_ENCRYPTION_KEYS=[])
    def test_development_needs_no_key(self):
        self.assertEqual(checks.encryption_keys_configured(None), [])

    def test_configured_keys_pass(self):
        keys = [Fernet.generate_key().decode(), Fernet.generate_key().decode()]
        with self.settings(DEBUG=False, VAE_ENCRYPTION_KEYS=keys):
            self.assertEqual(checks.encryption_keys_configured(None), [])
        with self.settings(DEBUG=False, VAE_ENCRYPTION_KEYS=",".join(keys)):
            self.assertEqual(checks.encryption_keys_configured(None), [])

    def test_a_malformed_key_is_an_error_that_does_not_print_the_key(self):
        good = Fernet.generate_key().decode()
        with self.settings(DEBUG=False, VAE_ENCRYPTION_KEYS=[good, "not-a-key-secret"]):
            errors = checks.encryption_keys_configured(None)
        self.assertEqual([e.id for e in errors], ["vae.E001"])
        self.assertIn("key number 2", errors[0].msg)
        self.assertNotIn("not-a-key-secret", errors[0].msg)
        self.assertNotIn(good, errors[0].msg)

    def test_it_runs_only_with_the_deployment_check(self):
        from django.core.checks.registry import registry

        self.assertNotIn(checks.encryption_keys_configured, registry.get_checks(False))
        self.assertIn(checks.encryption_keys_configured, registry.get_checks(True))
