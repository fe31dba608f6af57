"""Export a registered dataset to a file: ``export_data users people.xlsx``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

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
        folder = path.parent
        if not folder.is_dir():
            raise CommandError(
                _("The folder %(folder)s does not exist: create it, or write the file elsewhere.")
                % {"folder": folder}
            )
        try:
            fmt = format_for(path.name, format)
            # The audit event ("exported") and the file go together: if the file cannot be
            # written, the event is rolled back.
            with transaction.atomic():
                content, _name = export_file(name=resource, fmt=fmt, actor=None)
                try:
                    path.write_bytes(content)
                except OSError as error:
                    raise CommandError(
                        _(
                            "The file %(path)s could not be written (%(reason)s). Nothing was exported."
                        )
                        % {"path": path, "reason": error.strerror or type(error).__name__}
                    ) from None
        except (FileRefused, ImportRefused) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("Written to %(path)s (%(size)s).")
                % {"path": path, "size": filesizeformat(len(content))}
            )
        )
