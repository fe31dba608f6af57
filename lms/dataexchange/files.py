"""Reading and writing spreadsheets: CSV, XLSX and JSON, chosen by the file's extension.

Files come from spreadsheets saved by hand: CSV may be UTF-8 (with or without BOM) or Windows
Latin-1, separated by commas, semicolons (French Excel) or tabs, with ragged lines; control
characters (NUL…) are removed from every cell. Exports are UTF-8 with a BOM so that Excel shows
accents, and text cells that a spreadsheet would run as a formula get a leading apostrophe
(``lms.core.spreadsheets``); reading a CSV or XLSX file strips it again, so a file exported then
imported changes nothing.
"""

import csv
import io
import json
import re
from pathlib import PurePath

import tablib
from django.utils.translation import gettext as _

from lms.core.spreadsheets import neutralise_formula, restore_formula

FORMATS = ("csv", "xlsx", "json")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
# Control characters other than tab, line feed and carriage return: invisible in a spreadsheet,
# refused by PostgreSQL (NUL) or by XML (the XLSX export). Removed from every cell read.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Formats opened in spreadsheets: their text cells are neutralised on export, restored on import.
SPREADSHEET_FORMATS = ("csv", "xlsx")


class FileRefused(ValueError):
    """The file cannot be read as a table; the message says why in plain words."""


def format_for(filename: str, override: str | None = None) -> str:
    """The format of a file: ``override`` when given, else its extension."""
    fmt = (override or PurePath(filename).suffix.lstrip(".")).lower()
    if fmt == "txt":
        fmt = "csv"
    if fmt not in FORMATS:
        raise FileRefused(
            _("This file type is not supported: choose a CSV, XLSX (Excel) or JSON file.")
        )
    return fmt


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in Windows-1252; it decodes every byte but five.
        try:
            return content.decode("cp1252")
        except UnicodeDecodeError:
            raise FileRefused(
                _("This file's characters cannot be read. Save it as “CSV UTF-8” and try again.")
            ) from None


def _read_csv(content: bytes) -> tuple[list[str], list[list[object]]]:
    text = _decode(content)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        raise FileRefused(
            _("This file cannot be read as CSV. Save it again as “CSV UTF-8” and try again.")
        ) from None
    if not lines:
        return [], []
    return lines[0], list(lines[1:])


def _read_xlsx(content: bytes) -> tuple[list[str], list[list[object]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - zip, XML or openpyxl errors all mean "not a workbook"
        raise FileRefused(
            _("This file cannot be read as an Excel workbook. Save it again as .xlsx.")
        ) from None
    sheet = workbook.worksheets[0]
    lines = [list(values) for values in sheet.iter_rows(values_only=True)]
    workbook.close()
    if not lines:
        return [], []
    return [str(h) if h is not None else "" for h in lines[0]], lines[1:]


def _read_json(content: bytes) -> tuple[list[str], list[list[object]]]:
    try:
        data = json.loads(_decode(content))
    except json.JSONDecodeError:
        raise FileRefused(_("This file is not valid JSON.")) from None
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise FileRefused(_("A JSON file must hold a list of objects, one per row."))
    headers: list[str] = []
    for item in data:
        headers.extend(key for key in item if key not in headers)
    return headers, [[item.get(key) for key in headers] for item in data]


def _clean(cell: object) -> object:
    return CONTROL_CHARACTERS.sub("", cell) if isinstance(cell, str) else cell


def read_dataset(content: bytes, fmt: str) -> tablib.Dataset:
    """The table held by ``content``; FileRefused with a kind message when it cannot be read."""
    if not content:
        raise FileRefused(_("This file is empty."))
    reader = {"csv": _read_csv, "xlsx": _read_xlsx, "json": _read_json}[fmt]
    headers, lines = reader(content)
    headers = [CONTROL_CHARACTERS.sub("", str(h)).strip().lstrip("\ufeff") for h in headers]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise FileRefused(_("This file has no header line: its first line must name the columns."))
    width = len(headers)
    spreadsheet = fmt in SPREADSHEET_FORMATS
    dataset = tablib.Dataset(headers=headers)
    for line in lines:
        cells = list(line[:width]) + [""] * (width - len(line))
        cells = ["" if cell is None else _clean(cell) for cell in cells]
        if spreadsheet:
            cells = [restore_formula(cell) for cell in cells]
        if any(str(cell).strip() for cell in cells):
            dataset.append(cells)
    return dataset


def write_dataset(dataset: tablib.Dataset, fmt: str) -> bytes:
    """The bytes of ``dataset`` as a file: CSV in UTF-8 with BOM, native XLSX, or JSON."""
    if fmt == "json":
        rows = [dict(zip(dataset.headers or [], row, strict=False)) for row in dataset]
        return json.dumps(rows, ensure_ascii=False, indent=2, default=str).encode("utf-8")
    safe = tablib.Dataset(headers=dataset.headers)
    for row in dataset:
        safe.append([neutralise_formula(value) for value in row])
    if fmt == "csv":
        return ("\ufeff" + safe.export("csv")).encode("utf-8")
    if fmt == "xlsx":
        return safe.export("xlsx")
    raise FileRefused(_("This file type is not supported: choose CSV, XLSX or JSON."))
