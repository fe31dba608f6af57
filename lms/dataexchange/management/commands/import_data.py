"""Import a file into a registered dataset, all or nothing: ``import_data users people.csv``.

Messages are in the operator's language: the active one, else LANGUAGE_CODE (French).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lms.audit.services import record_event
from lms.dataexchange import registry
from lms.dataexchange.files import FORMATS, FileRefused
from lms.dataexchange.services import ImportRefused, ImportSummary, import_dataset, read_file


def count_lines(summary: ImportSummary) -> list[str]:
    """One line per kind of row, in the words of the admin's preview."""
    return [
        ngettext("%(counter)s new row", "%(counter)s new rows", summary.new)
        % {"counter": summary.new},
        ngettext("%(counter)s updated row", "%(counter)s updated rows", summary.updated)
        % {"counter": summary.updated},
        ngettext("%(counter)s unchanged row", "%(counter)s unchanged rows", summary.unchanged)
        % {"counter": summary.unchanged},
        ngettext("%(counter)s skipped row", "%(counter)s skipped rows", summary.skipped)
        % {"counter": summary.skipped},
        ngettext("%(counter)s row with an error", "%(counter)s rows with an error", summary.errors)
        % {"counter": summary.errors},
    ]


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
            raise CommandError(_("There is no file %(path)s.") % {"path": path})
        try:
            dataset = read_file(path.read_bytes(), path.name, format)
            summary = import_dataset(resource, dataset, dry_run=dry_run, actor=None)
        except (FileRefused, ImportRefused) as error:
            raise CommandError(str(error)) from None
        for note in summary.notes:
            self.stdout.write(_("Note: %(note)s") % {"note": note})
        for message in summary.general_errors:
            self.stderr.write(_("Error: %(message)s") % {"message": message})
        for error in summary.row_errors:
            for message in error.messages:
                self.stderr.write(
                    _("Line %(line)s: %(message)s") % {"line": error.line, "message": message}
                )
        if not summary.ok:
            heading = _("Nothing was imported")
        elif dry_run:
            heading = _("What this file would change")
        else:
            heading = _("What was imported")
        self.stdout.write(heading)
        for line in count_lines(summary):
            self.stdout.write(f"  {line}")
        if not summary.ok:
            raise CommandError(_("Nothing was imported: fix the rows above and run again."))
        if dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
            return
        with transaction.atomic():
            record_event(
                actor=None,
                action="dataexchange.imported",
                summary=f"{resource}: {path.name} (command line)"[:300],
                data={"dataset": resource, "source": "command", **summary.as_counts()},
            )
        self.stdout.write(self.style.SUCCESS(_("The file is imported.")))
