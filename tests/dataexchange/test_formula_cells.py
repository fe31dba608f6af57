"""Cells a spreadsheet would run as a formula: neutralised on export, restored on import, so an
exported file imported again changes nothing."""

import csv
import io

from django.test import SimpleTestCase, TestCase
from openpyxl import load_workbook

from lms.accounts.models import User
from lms.core.spreadsheets import neutralise_formula, restore_formula
from lms.dataexchange.files import read_dataset
from lms.dataexchange.services import export_file, import_dataset

ANNE = "username,firstname,lastname,email\n=cmd,@Anne,-Dupont,=cmd@exemple.be\n"


class NeutraliseRuleTests(SimpleTestCase):
    def test_text_that_could_start_a_formula_gets_an_apostrophe(self):
        for value in ("=1+1", "+32 470 12 34 56", "-Dupont", "@Anne", "\tx", "\rx", "-"):
            with self.subTest(value=value):
                self.assertEqual(neutralise_formula(value), "'" + value)

    def test_numbers_and_ordinary_text_are_left_as_they_are(self):
        for value in ("-12.5", "-3", "+3", "-0,5", "1e-3", "Anne", "1-11", "", -4, 2.5, None):
            with self.subTest(value=value):
                self.assertEqual(neutralise_formula(value), value)

    def test_restoring_what_was_neutralised_gives_back_exactly_the_value(self):
        values = ["=x", "'=x", "''=x", "'", "'Anne", "-12", "'-12", "+32 4", "Anne", "@", "'\t"]
        for value in values:
            with self.subTest(value=value):
                self.assertEqual(restore_formula(neutralise_formula(value)), value)

    def test_an_apostrophe_before_ordinary_text_is_kept_on_import(self):
        self.assertEqual(restore_formula("'Anne"), "'Anne")
        self.assertEqual(restore_formula("'=x"), "=x")
        self.assertEqual(restore_formula("'-12"), "-12")


class RoundTripTests(TestCase):
    def test_an_exported_file_imported_again_changes_nothing(self):
        first = import_dataset(
            "users", read_dataset(ANNE.encode(), "csv"), dry_run=False, actor=None
        )
        self.assertEqual((first.ok, first.new), (True, 1))
        anne = User.objects.get()
        self.assertEqual(
            (anne.email, anne.first_name, anne.last_name), ("=cmd@exemple.be", "@Anne", "-Dupont")
        )

        for fmt in ("csv", "xlsx"):
            with self.subTest(fmt=fmt):
                content, _name = export_file(name="users", fmt=fmt, actor=None)
                again = import_dataset(
                    "users", read_dataset(content, fmt), dry_run=True, actor=None
                )
                self.assertTrue(again.ok, again.row_errors)
                self.assertEqual((again.new, again.updated, again.unchanged), (0, 0, 1))
        self.assertEqual(User.objects.count(), 1)

    def test_the_exported_cells_are_not_formulas(self):
        import_dataset("users", read_dataset(ANNE.encode(), "csv"), dry_run=False, actor=None)

        content, _name = export_file(name="users", fmt="csv", actor=None)
        row = next(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
        self.assertEqual(
            (row["email"], row["firstname"], row["lastname"]),
            ("'=cmd@exemple.be", "'@Anne", "'-Dupont"),
        )
        content, _name = export_file(name="users", fmt="xlsx", actor=None)
        sheet = load_workbook(io.BytesIO(content)).active
        self.assertIn("'=cmd@exemple.be", [cell.value for cell in sheet[2]])
        self.assertNotIn("f", {cell.data_type for cell in sheet[2]})

    def test_json_is_not_a_spreadsheet_and_keeps_values_as_they_are(self):
        import_dataset("users", read_dataset(ANNE.encode(), "csv"), dry_run=False, actor=None)

        content, _name = export_file(name="users", fmt="json", actor=None)
        self.assertIn('"=cmd@exemple.be"', content.decode())
        again = import_dataset("users", read_dataset(content, "json"), dry_run=True, actor=None)
        self.assertEqual((again.new, again.updated, again.unchanged), (0, 0, 1))
