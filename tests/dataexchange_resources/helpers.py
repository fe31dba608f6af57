"""Run imports the way the data-exchange framework does, and read their outcome."""

import tablib
from django.utils import translation
from import_export.formats.base_formats import CSV, JSON, XLSX

from lms.dataexchange import registry


def resource(name):
    return registry.get(name).resource()


def export(name, queryset=None):
    return resource(name).export(queryset=queryset)


def run_import(name, dataset, *, actor=None, dry_run=False):
    """Import as the framework does; messages in English, the language of the assertions (the
    French ones are checked through the screens in tests/dataexchange)."""
    with translation.override("en"):
        return resource(name).import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=False,
            use_transactions=True,
            collect_failed_rows=True,
            rollback_on_validation_errors=True,
            actor=actor,
        )


def kinds(result):
    """How many rows were new, updated, skipped (unchanged), invalid, in error."""
    totals = result.totals
    return {k: v for k, v in totals.items() if v}


def dataset(headers, *rows):
    data = tablib.Dataset(headers=headers)
    for row in rows:
        data.append(row)
    return data


def row_errors(result):
    """(line number, {column: [messages]}) of every invalid row."""
    return [(row.number, row.error_dict) for row in result.invalid_rows]


def through_format(data, fmt):
    """Write ``data`` as CSV, XLSX or JSON and read it back, as an uploaded file would be."""
    format_ = {"csv": CSV(), "xlsx": XLSX(), "json": JSON()}[fmt]
    content = format_.export_data(data)
    return format_.create_dataset(content)


def replace(data, column, value, row=0):
    """A copy of ``data`` with one cell changed."""
    copy = tablib.Dataset(headers=data.headers)
    for index, line in enumerate(data):
        line = list(line)
        if index == row:
            line[data.headers.index(column)] = value
        copy.append(line)
    return copy
