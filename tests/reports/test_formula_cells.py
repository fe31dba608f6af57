"""Report downloads never hold a cell that a spreadsheet would run as a formula."""

import csv
import io

from django.test import SimpleTestCase
from openpyxl import load_workbook

from lms.reports.exports import csv_bytes, xlsx_bytes


class ReportDownloadTests(SimpleTestCase):
    ROWS = [['=HYPERLINK("http://x")', -3, "-2,5 %"], ["Namur", 4, "12"]]

    def test_report_csv_cells_are_neutralised_and_numbers_stay_numbers(self):
        rows = list(
            csv.reader(io.StringIO(csv_bytes(["A", "B", "C"], self.ROWS).decode("utf-8-sig")))
        )
        self.assertEqual(rows[1], ['\'=HYPERLINK("http://x")', "-3", "'-2,5 %"])
        self.assertEqual(rows[2], ["Namur", "4", "12"])

    def test_report_xlsx_cells_are_text_not_formulas(self):
        sheet = load_workbook(io.BytesIO(xlsx_bytes(["A", "B", "C"], self.ROWS, sheet="t"))).active
        self.assertEqual([c.value for c in sheet[2]], ['\'=HYPERLINK("http://x")', -3, "'-2,5 %"])
        self.assertNotIn("f", {cell.data_type for cell in sheet[2]})
