import json
from io import StringIO
from pathlib import Path

from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.test import TestCase, TransactionTestCase, override_settings

from lms.accounts.models import User


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed  # a model without a table only carries permissions
    }


class SeedDemoTests(TestCase):
    def test_running_it_twice_creates_nothing_new(self):
        seed()
        first = row_counts()

        seed()

        self.assertEqual(row_counts(), first)

    def test_it_builds_people_for_every_role_and_pages_in_three_languages(self):
        seed()

        for role in ("trainee", "trainer", "coordinator", "assessor", "partner"):
            self.assertTrue(User.objects.filter(groups__name=role).exists(), role)
        for path, lang in (("/", "fr"), ("/en/", "en"), ("/nl/", "nl")):
            response = self.client.get(path)
            self.assertContains(response, f'<html lang="{lang}">')

    @override_settings(DEBUG=True)
    def test_it_writes_the_demo_logins_as_json(self):
        import tempfile

        with tempfile.NamedTemporaryFile(suffix=".json") as handle:
            seed(json_path=handle.name)
            report = json.loads(Path(handle.name).read_text(encoding="utf-8"))

        emails = {row["email"] for row in report["logins"]}
        self.assertIn("coordination@parcours.example", emails)
        self.assertEqual(report["password"], "parcours-demo")

    @override_settings(DEBUG=True)
    def test_demo_accounts_sign_in_with_the_printed_password(self):
        seed()

        signed_in = self.client.login(
            email="coordination@parcours.example", password="parcours-demo"
        )

        self.assertTrue(signed_in)
        self.assertEqual(self.client.get("/admin/").status_code, 200)

    @override_settings(DEBUG=False)
    def test_without_debug_no_demo_password_exists(self):
        seed()

        self.assertFalse(any(user.has_usable_password() for user in User.objects.all()))


class SeedDemoEmailTests(TransactionTestCase):
    """Committed for real, so that the work done on commit (certificate PDFs and their emails)
    runs as it does for an operator."""

    serialized_rollback = True

    def test_nobody_is_emailed_while_the_demo_loads(self):
        seed()

        self.assertTrue(User.objects.filter(certificates__isnull=False).exists())
        self.assertEqual([message.to for message in mail.outbox], [])
