"""NUL and other control characters in a file's cells are removed before anything is read."""

import json

from django.test import TestCase

from lms.accounts.models import User
from lms.dataexchange.files import read_dataset
from lms.dataexchange.services import import_dataset


class ControlCharacterTests(TestCase):
    def test_nul_and_other_controls_are_removed_but_tabs_and_line_breaks_stay(self):
        content = "email\x00,firstname,lastname\nanne@exemple.be\x00,An\x00ne\x07,Du\tpont\r\n"
        data = read_dataset(content.encode(), "csv")
        self.assertEqual(data.headers, ["email", "firstname", "lastname"])
        self.assertEqual(list(data[0]), ["anne@exemple.be", "Anne", "Du\tpont"])
        data = read_dataset(json.dumps([{"a": "x\x00y\x1f\nz\x0b"}]).encode(), "json")
        self.assertEqual(data[0], ("xy\nz",))

    def test_a_file_with_nul_bytes_imports_clean_values(self):
        content = "email,firstname,lastname\nanne@exemple.be\x00,An\x00ne,Dupont\x00\n"
        for fmt, data in (
            ("csv", content.encode()),
            ("json", json.dumps([{"email": "b\x00@exemple.be", "firstname": "B\x00"}]).encode()),
        ):
            with self.subTest(fmt=fmt):
                summary = import_dataset(
                    "users", read_dataset(data, fmt), dry_run=False, actor=None
                )
                self.assertTrue(summary.ok, summary.row_errors)
                self.assertEqual(summary.new, 1)
        self.assertEqual(
            sorted(User.objects.values_list("email", "first_name")),
            [("anne@exemple.be", "Anne"), ("b@exemple.be", "B")],
        )
        for user in User.objects.all():
            self.assertNotIn("\x00", user.email + user.first_name + user.last_name)
