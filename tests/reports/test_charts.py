"""The server-drawn SVG bar chart: accessible, escaped, numbers written as text."""

from decimal import Decimal

from django.test import SimpleTestCase
from django.utils import translation

from lms.reports.charts import bar_chart, display
from lms.reports.registry import Table


def table(rows, columns=("Region", "Enrolled", "Trained"), chart_columns=(1, 2)):
    return Table(
        key="t",
        title="Inscrites <par> région",
        explanation="",
        columns=list(columns),
        rows=rows,
        chart_columns=chart_columns,
    )


class BarChartTests(SimpleTestCase):
    def test_it_is_an_image_with_a_title_a_description_and_a_label_per_bar(self):
        svg = bar_chart(table([["Liège", 4, 2], ["Namur", 8, 0]]), chart_id="c1")
        self.assertIn('role="img"', svg)
        self.assertIn('aria-labelledby="c1-title c1-desc"', svg)
        self.assertIn('<title id="c1-title">Inscrites &lt;par&gt; région</title>', svg)
        self.assertIn('<desc id="c1-desc">', svg)
        self.assertEqual(svg.count("<rect"), 4)
        # Each bar is named by text, not only by its colour, and carries its number.
        self.assertEqual(svg.count(">Enrolled</text>"), 2)
        self.assertEqual(svg.count(">Trained</text>"), 2)
        for number in (">4</text>", ">8</text>", ">2</text>", ">0</text>"):
            self.assertIn(number, svg)
        self.assertIn("Liège", svg)

    def test_the_longest_bar_has_the_largest_value(self):
        svg = bar_chart(table([["A", 5], ["B", 10]], chart_columns=(1,)), chart_id="c2")
        self.assertIn('width="150.0"', svg)
        self.assertIn('width="300.0"', svg)

    def test_labels_are_escaped(self):
        svg = bar_chart(table([["<script>alert(1)</script>", 1]], chart_columns=(1,)), chart_id="c")
        self.assertNotIn("<script>", svg)
        self.assertIn("&lt;script&gt;", svg)

    def test_all_zero_rows_draw_without_dividing_by_zero(self):
        svg = bar_chart(table([["A", 0, 0]]), chart_id="c3")
        self.assertIn('width="1"', svg)

    def test_numbers_follow_the_readers_language(self):
        with translation.override("fr"):
            self.assertEqual(display(Decimal("83.3")), "83,3")
            self.assertEqual(display(Decimal("12.00")), "12")
        with translation.override("en"):
            self.assertEqual(display(Decimal("83.3")), "83.3")
        self.assertEqual(display(None), "–")
