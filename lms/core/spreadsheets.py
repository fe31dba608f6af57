"""Cells that a spreadsheet would run as a formula (CSV injection), and the way back.

Following OWASP, a text cell starting with = + - @, a tab or a carriage return is written with a
leading apostrophe, which spreadsheets read as "this is text". Reading a file strips that one
apostrophe again, so exporting then importing gives back exactly what was exported:

- a plain number ("-12.5", "+3") is never a formula and is written as it is, so negative numbers
  stay numbers in the spreadsheet;
- a text that already starts with apostrophes before a formula character ("'=x") gets one more,
  so stripping one on the way back restores it.
"""

import re
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def _looks_like_formula(text: str) -> bool:
    return text.lstrip("'").startswith(FORMULA_STARTS) and not PLAIN_NUMBER.match(text)


def neutralise_formula(value: Any) -> Any:
    """``value`` as a spreadsheet cell that is never run: text that could start a formula gets
    a leading apostrophe; numbers and other text are returned as they are."""
    if isinstance(value, str) and _looks_like_formula(value):
        return "'" + value
    return value


def restore_formula(value: Any) -> Any:
    """The inverse of ``neutralise_formula`` for a cell read from a file."""
    if isinstance(value, str) and value.startswith("'") and _looks_like_formula(value):
        return value[1:]
    return value
