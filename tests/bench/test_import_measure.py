"""The benchmark's import measure checks that it imported what it timed."""

from django.test import TestCase

from cms_pages.bench.measures import _import_operation
from tests.lms.factories import UserFactory


class ImportMeasureTests(TestCase):
    def test_a_run_imports_every_row_then_rolls_back(self):
        result = _import_operation(3)()

        self.assertEqual((result.ok, result.new), (True, 3))

    def test_a_run_that_does_not_create_every_row_stops_with_a_clear_error(self):
        # The first run's second row names an account that already exists: updated, not new.
        UserFactory(email="import1x1@import.example")

        with self.assertRaisesMessage(
            RuntimeError, "did not import its 3 new rows (new 2, updated 1"
        ):
            _import_operation(3)()
