"""Import a file into a registered dataset, all or nothing: ``import_data users people.csv``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lms.audit.services import record_event
from lms.dataexchange import registry
from lms.dataexchange.files import FORMATS, FileRefused
from lms.dataexchange.services import ImportRefused, import_dataset, read_file


class Command(BaseCommand):
    help = (
        "Import a CSV, XLSX or JSON file into a dataset. Nothing is written if any row has an "
        "error; the exit code is then 1. Datasets: " + ", ".join(registry.names())
    )

    def add_arguments(self, parser):
        parser.add_argument("resource", help="Dataset name, e.g. users.")
        parser.add_argument("file", help="The file to import.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report, write nothing."
        )
        parser.add_argument("--format", choices=FORMATS, help="Override the file's extension.")

    def handle(self, *args, resource: str, file: str, dry_run: bool, format: str | None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            dataset = read_file(path.read_bytes(), path.name, format)
            summary = import_dataset(resource, dataset, dry_run=dry_run, actor=None)
        except (FileRefused, ImportRefused) as error:
            raise CommandError(str(error)) from None
        for note in summary.notes:
            self.stdout.write(f"Note: {note}")
        for message in summary.general_errors:
            self.stderr.write(f"Error: {message}")
        for error in summary.row_errors:
            for message in error.messages:
                self.stderr.write(f"Line {error.line}: {message}")
        counts = summary.as_counts()
        self.stdout.write(
            "{mode}{total} rows: {new} new, {updated} updated, {unchanged} unchanged, "
            "{skipped} skipped, {errors} with an error.".format(
                mode="Dry run, nothing written. " if dry_run else "", **counts
            )
        )
        if not summary.ok:
            raise CommandError("Nothing was imported: fix the rows above and run again.")
        if not dry_run:
            with transaction.atomic():
                record_event(
                    actor=None,
                    action="dataexchange.imported",
                    summary=f"{resource}: {path.name} (command line)"[:300],
                    data={"dataset": resource, "source": "command", **counts},
                )
            self.stdout.write(self.style.SUCCESS("Imported."))
