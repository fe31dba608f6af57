"""Accessible bar charts drawn on the server as inline SVG (no script, no third party).

Each bar has its label and its number written next to it, so nothing is told by colour alone;
the chart has role="img" with a <title> and a <desc>, and the table under it gives the same
figures. Bars are horizontal and labels sit above them, so the chart stays readable on a 320 px
wide phone (the SVG scales to its container through its viewBox).
"""

from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext as _

from .registry import Table

WIDTH = 400
BAR_AREA = 300  # Longest bar; the rest of the width holds the number.
LINE = 20
BAR = 14
# Distinct fills (with dark outlines); the text next to each bar names its series.
FILLS = ("#1d5f8a", "#c45a00", "#2f7d32", "#6a3d9a", "#8a1d3f")


def _number(value: Any) -> float:
    if value is None or value == "":
        return 0.0
    if isinstance(value, Decimal | int | float):
        return float(value)
    return 0.0


def _fmt(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, Decimal):
        # Whole numbers without decimals; others with the reader's decimal separator (83,3).
        if value == value.to_integral():
            return str(int(value))
        return number_format(value)
    return str(value)


def bar_chart(table: Table, *, chart_id: str) -> SafeString:
    """The SVG of ``table``: one group per row, one bar per charted column."""
    series = [(index, str(table.columns[index])) for index in table.chart_columns]
    largest = max(
        (_number(row[index]) for row in table.rows for index, _label in series), default=0
    )
    parts: list[str] = []
    y = 0
    for row in table.rows:
        y += LINE
        parts.append(
            f'<text x="0" y="{y - 4}" font-weight="bold" font-size="15" fill="#111">'
            f"{escape(_fmt(row[0]))}</text>"
        )
        for position, (index, label) in enumerate(series):
            value = row[index]
            length = round(BAR_AREA * _number(value) / largest, 1) if largest else 0
            fill = FILLS[position % len(FILLS)]
            text = f"{label}: {_fmt(value)}" if len(series) > 1 else _fmt(value)
            if len(series) > 1:
                y += LINE
                parts.append(
                    f'<text x="4" y="{y - 5}" font-size="13" fill="#333">{escape(label)}</text>'
                )
            parts.append(
                f'<rect x="0" y="{y}" width="{max(length, 1)}" height="{BAR}" fill="{fill}" '
                f'stroke="#111" stroke-width="0.5"><title>{escape(_fmt(row[0]))} — '
                f"{escape(text)}</title></rect>"
            )
            parts.append(
                f'<text x="{length + 6}" y="{y + BAR - 2}" font-size="14" fill="#111">'
                f"{escape(_fmt(value))}</text>"
            )
            y += BAR + 4
        y += 6
    height = max(y, LINE)
    title = escape(str(table.title))
    description = escape(
        str(
            format_lazy(
                _(
                    "Bar chart with one group of bars per line of the table below, "
                    "showing: {series}. The table gives the same figures."
                ),
                series=", ".join(label for _index, label in series),
            )
        )
    )
    return mark_safe(  # noqa: S308 — every piece of text above is escaped.
        f'<svg class="report-chart" role="img" aria-labelledby="{chart_id}-title '
        f'{chart_id}-desc" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="sans-serif">'
        f'<title id="{chart_id}-title">{title}</title>'
        f'<desc id="{chart_id}-desc">{description}</desc>'
        f"{''.join(parts)}</svg>"
    )


def display(value: Any) -> str:
    """How a cell is written in the HTML table."""
    return _fmt(value)
