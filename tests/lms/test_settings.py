"""Settings come from the environment: each case starts a fresh Python process."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.test import SimpleTestCase

BASE_DIR = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], 'name': str(s.DATABASES['default']['NAME']), "
    "'eager': s.CELERY_TASK_ALWAYS_EAGER, 'broker': s.CELERY_BROKER_URL, 'debug': s.DEBUG, "
    "'email': s.EMAIL_BACKEND, 'cache': s.CACHES['default']['BACKEND']}))"
)


def ed25519_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "CREDENTIAL_SIGNING_KEY": ed25519_pem(),
    "VAE_ENCRYPTION_KEYS": "Y2k8mJbV0rC4q2y9bq2mJ5m0yC8zY6q1cV3bJ7dKf0A=",
    "DJANGO_SECRET_KEY": "a" * 20 + "-production-secret-for-the-test-only-" + "z9" * 10,
    "DJANGO_ALLOWED_HOSTS": "parcours.example",
}
# Variables the developer's or CI's shell may hold, removed so each case starts clean.
CLEARED = {
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "EMAIL_URL",
    "CACHE_URL",
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
}


def run(code_or_args, **variables) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(DJANGO_SETTINGS_MODULE="lms.settings", **variables)
    args = (
        [sys.executable, "-c", code_or_args]
        if isinstance(code_or_args, str)
        else [sys.executable, *code_or_args]
    )
    return subprocess.run(args, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120)


def probe(**variables) -> dict:
    result = run(PROBE, **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


class SettingsFromTheEnvironmentTests(SimpleTestCase):
    def test_with_no_variable_it_uses_sqlite_in_process_tasks_and_console_email(self):
        facts = probe()

        self.assertEqual(facts["engine"], "django.db.backends.sqlite3")
        self.assertTrue(facts["eager"])
        self.assertTrue(facts["debug"])
        self.assertEqual(facts["email"], "django.core.mail.backends.console.EmailBackend")

    def test_database_url_switches_to_postgresql(self):
        facts = probe(DATABASE_URL="postgres://postgres@127.0.0.1:5432/parcours")

        self.assertEqual(facts["engine"], "django.db.backends.postgresql")
        self.assertEqual(facts["name"], "parcours")

    def test_a_broker_url_sends_tasks_to_a_worker(self):
        facts = probe(CELERY_BROKER_URL="redis://127.0.0.1:6379/0")

        self.assertFalse(facts["eager"])
        self.assertEqual(facts["broker"], "redis://127.0.0.1:6379/0")

    def test_cache_url_switches_the_shared_cache_to_redis(self):
        facts = probe(CACHE_URL="rediscache://127.0.0.1:6379/1")

        self.assertEqual(facts["cache"], "django.core.cache.backends.redis.RedisCache")

    def test_production_refuses_to_start_without_a_secret_key(self):
        result = run(PROBE, DJANGO_DEBUG="false", DJANGO_ALLOWED_HOSTS="parcours.example")

        self.assertNotEqual(result.returncode, 0)
        self.assertIn("DJANGO_SECRET_KEY", result.stderr)

    def test_production_settings_pass_the_deployment_check_without_a_warning(self):
        result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)

        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("no issues", result.stdout)

    def test_the_development_mode_is_announced_in_one_log_line(self):
        result = run(["manage.py", "check"])

        self.assertIn("Celery tasks run in-process", result.stderr)
        self.assertIn("DEBUG on", result.stderr)


class SigningKeyCheckTests(SimpleTestCase):
    def test_production_without_a_signing_key_is_warned(self):
        variables = {k: v for k, v in PRODUCTION.items() if k != "CREDENTIAL_SIGNING_KEY"}

        result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **variables)

        self.assertNotEqual(result.returncode, 0)
        self.assertIn("verification.W001", result.stdout + result.stderr)


class EncryptionKeysCheckTests(SimpleTestCase):
    def test_production_without_vae_encryption_keys_is_warned(self):
        variables = {k: v for k, v in PRODUCTION.items() if k != "VAE_ENCRYPTION_KEYS"}

        result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **variables)

        self.assertNotEqual(result.returncode, 0)
        self.assertIn("vae.W001", result.stdout + result.stderr)
