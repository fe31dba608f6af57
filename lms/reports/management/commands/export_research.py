"""Write the anonymised research dataset to a file: ``manage.py export_research out.csv``.

Messages are in the operator's language: the active one, else LANGUAGE_CODE (French).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lms.reports.research import export_research_dataset


class Command(BaseCommand):
    help = "Write the anonymised research dataset (CSV or XLSX, from the file's extension)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write it, ending in .csv or .xlsx.")

    def handle(self, *args, file: str, **options):
        path = Path(file)
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in ("csv", "xlsx"):
            raise CommandError(_("The file name must end in .csv or .xlsx."))
        if not path.parent.is_dir():
            raise CommandError(
                _("The folder %(folder)s does not exist: create it, or write the file elsewhere.")
                % {"folder": path.parent}
            )
        # The audit event and the file go together: if the file cannot be written, the event
        # is rolled back.
        with transaction.atomic():
            content, dataset = export_research_dataset(by=None, fmt=fmt, channel="command")
            try:
                path.write_bytes(content)
            except OSError as error:
                raise CommandError(
                    _("The file %(path)s could not be written (%(reason)s). Nothing was exported.")
                    % {"path": path, "reason": error.strerror or type(error).__name__}
                ) from None
        rows = len(dataset.rows)
        self.stdout.write(
            ngettext(
                "%(count)s row written to %(path)s (%(generalised)s generalised, %(dropped)s "
                "left out because their group was too small).",
                "%(count)s rows written to %(path)s (%(generalised)s generalised, %(dropped)s "
                "left out because their group was too small).",
                rows,
            )
            % {
                "count": rows,
                "path": path,
                "generalised": dataset.generalised,
                "dropped": dataset.dropped,
            }
        )
