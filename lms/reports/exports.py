"""CSV and XLSX files of a table (headers, rows, total), written without third-party glue.

CSV is comma-separated UTF-8 with a byte-order mark, so that Excel (which guesses the encoding
from the BOM) shows accents right; XLSX is written with openpyxl, numbers as numbers. Text that a
spreadsheet would run as a formula (a course title starting with "=") gets a leading apostrophe.
"""

import csv
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from lms.core.spreadsheets import neutralise_formula

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Decimal | int | float):
        return value
    return neutralise_formula(str(value))


def csv_bytes(header: Sequence[Any], rows: Sequence[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise_formula(str(h)) for h in header])
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(header: Sequence[Any], rows: Sequence[Sequence[Any]], *, sheet: str) -> bytes:
    workbook = Workbook()
    worksheet = workbook.active
    # Sheet titles: at most 31 characters, none of []:*?/\
    worksheet.title = "".join(c for c in str(sheet) if c not in "[]:*?/\\")[:31] or "Report"
    worksheet.append([neutralise_formula(str(h)) for h in header])
    for row in rows:
        worksheet.append([_cell(v) for v in row])
    for index, title in enumerate(header, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = max(12, len(str(title)) + 2)
    worksheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def file_response(content: bytes, *, filename: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CSV_TYPE if fmt == "csv" else XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response
