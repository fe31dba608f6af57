"""Write the anonymised research dataset to a file: ``manage.py export_research out.csv``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lms.reports.research import export_research_dataset


class Command(BaseCommand):
    help = "Write the anonymised research dataset (CSV or XLSX, from the file's extension)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write it, ending in .csv or .xlsx.")

    def handle(self, *args, file: str, **options):
        path = Path(file)
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in ("csv", "xlsx"):
            raise CommandError("The file name must end in .csv or .xlsx.")
        if not path.parent.exists():
            raise CommandError(f"The folder {path.parent} does not exist.")
        content, dataset = export_research_dataset(by=None, fmt=fmt, channel="command")
        path.write_bytes(content)
        self.stdout.write(
            f"Wrote {len(dataset.rows)} rows to {path} "
            f"({dataset.generalised} generalised, {dataset.dropped} left out as too small)."
        )
