"""Operators import and export from the command line, with the same rules as the admin."""

import io
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import translation

from lms.accounts.models import User
from lms.audit.models import AuditEvent

GOOD = "username,firstname,lastname,email,lang\nanne,Anne,Claes,anne@exemple.be,fr\n"


class ImportDataCommandTests(TestCase):
    def setUp(self):
        import tempfile

        self.folder = Path(tempfile.mkdtemp())

    def write(self, name: str, text: str) -> str:
        path = self.folder / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    def test_it_imports_a_file_and_says_what_it_did(self):
        out = io.StringIO()

        with translation.override("en"):
            call_command("import_data", "users", self.write("people.csv", GOOD), stdout=out)

        self.assertTrue(User.objects.filter(email="anne@exemple.be").exists())
        self.assertIn("What was imported", out.getvalue())
        self.assertIn("  1 new row\n", out.getvalue())
        self.assertIn("  0 updated rows\n", out.getvalue())
        self.assertIn("The file is imported.", out.getvalue())
        self.assertTrue(AuditEvent.objects.filter(action="dataexchange.imported"))

    def test_a_dry_run_writes_nothing(self):
        out = io.StringIO()

        with translation.override("en"):
            call_command(
                "import_data", "users", self.write("people.csv", GOOD), "--dry-run", stdout=out
            )

        self.assertFalse(User.objects.exists())
        self.assertIn("What this file would change", out.getvalue())
        self.assertIn("Dry run: nothing was written.", out.getvalue())

    def test_counts_are_in_the_operators_language_french_by_default(self):
        # manage.py runs with no language activated: LANGUAGE_CODE (fr) applies.
        self.addCleanup(translation.activate, translation.get_language())
        translation.deactivate()
        out = io.StringIO()

        call_command(
            "import_data", "users", self.write("people.csv", GOOD), "--dry-run", stdout=out
        )

        self.assertIn("Ce que ce fichier changerait", out.getvalue())
        self.assertIn("  1 nouvelle ligne\n", out.getvalue())
        self.assertIn("  0 ligne modifiée\n", out.getvalue())

    def test_one_bad_row_exits_non_zero_names_the_line_and_writes_nothing(self):
        err = io.StringIO()
        path = self.write("people.csv", GOOD + "x,Jean,Dupont,pas-une-adresse,fr\n")

        with translation.override("en"), self.assertRaises(CommandError) as raised:
            call_command("import_data", "users", path, stdout=io.StringIO(), stderr=err)

        self.assertEqual(raised.exception.returncode, 1)
        self.assertIn("fix the rows above", str(raised.exception))
        self.assertIn("Line 3", err.getvalue())
        self.assertIn("pas-une-adresse", err.getvalue())
        self.assertFalse(User.objects.exists())

    def test_the_format_can_be_forced_and_an_unknown_dataset_is_an_error(self):
        path = self.write("people.txt", GOOD.replace(",", ";"))
        call_command("import_data", "users", path, "--format", "csv", stdout=io.StringIO())
        self.assertTrue(User.objects.filter(email="anne@exemple.be").exists())

        with self.assertRaises(CommandError):
            call_command("import_data", "nothing", path, stdout=io.StringIO())

    def test_export_data_writes_a_file_by_extension(self):
        User.objects.create_user(email="zoe@exemple.be", first_name="Zoé")
        path = self.folder / "people.csv"

        call_command("export_data", "users", str(path), stdout=io.StringIO())

        content = path.read_bytes()
        self.assertTrue(content.startswith(b"\xef\xbb\xbf"))
        self.assertIn("Zoé", content.decode("utf-8-sig"))
        xlsx = self.folder / "people.xlsx"
        call_command("export_data", "users", str(xlsx), stdout=io.StringIO())
        self.assertTrue(xlsx.read_bytes().startswith(b"PK"))


class ExportDataFailureTests(TestCase):
    def setUp(self):
        import tempfile

        self.folder = Path(tempfile.mkdtemp())

    def test_a_missing_folder_is_a_clear_error_and_nothing_is_audited(self):
        path = self.folder / "missing" / "people.csv"

        with translation.override("en"), self.assertRaises(CommandError) as raised:
            call_command("export_data", "users", str(path), stdout=io.StringIO())

        self.assertEqual(raised.exception.returncode, 1)
        self.assertIn(f"The folder {path.parent} does not exist", str(raised.exception))
        self.assertFalse(path.parent.exists())
        self.assertFalse(AuditEvent.objects.filter(action="dataexchange.exported").exists())

    def test_a_file_that_cannot_be_written_leaves_no_exported_event(self):
        path = self.folder / "people.csv"
        path.mkdir()  # a folder where the file should go: writing fails

        with translation.override("en"), self.assertRaises(CommandError) as raised:
            call_command("export_data", "users", str(path), stdout=io.StringIO())

        self.assertIn("could not be written", str(raised.exception))
        self.assertIn("Nothing was exported", str(raised.exception))
        self.assertFalse(AuditEvent.objects.filter(action="dataexchange.exported").exists())

    def test_a_written_file_is_audited(self):
        call_command("export_data", "users", str(self.folder / "p.csv"), stdout=io.StringIO())

        self.assertTrue(AuditEvent.objects.filter(action="dataexchange.exported").exists())
