"""Export a registered dataset to a file: ``export_data users people.xlsx``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lms.dataexchange import registry
from lms.dataexchange.files import FORMATS, FileRefused, format_for
from lms.dataexchange.services import ImportRefused, export_file


class Command(BaseCommand):
    help = (
        "Export a dataset to a CSV (UTF-8 with BOM, opens in Excel), XLSX or JSON file. "
        "Datasets: " + ", ".join(registry.names())
    )

    def add_arguments(self, parser):
        parser.add_argument("resource", help="Dataset name, e.g. users.")
        parser.add_argument("file", help="The file to write; its extension gives the format.")
        parser.add_argument("--format", choices=FORMATS, help="Override the file's extension.")

    def handle(self, *args, resource: str, file: str, format: str | None, **options):
        path = Path(file)
        try:
            fmt = format_for(path.name, format)
            content, _name = export_file(name=resource, fmt=fmt, actor=None)
        except (FileRefused, ImportRefused) as error:
            raise CommandError(str(error)) from None
        path.write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"Written to {path} ({len(content)} bytes)."))
