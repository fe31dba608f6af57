from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from certification import exchange
from certification.services import import_framework


class Command(BaseCommand):
    help = "Import a competency framework from JSON or CSV as a new DRAFT version."

    def add_arguments(self, parser):
        parser.add_argument("path", help="A .json or .csv file made by export_framework.")
        parser.add_argument("--format", choices=["json", "csv"])

    def handle(self, *args, path, format=None, **options):
        file = Path(path)
        if not file.exists():
            raise CommandError(f"No file at {path}.")
        text = file.read_text(encoding="utf-8")
        fmt = format or ("csv" if file.suffix.lower() == ".csv" else "json")
        try:
            data = exchange.parse_csv(text) if fmt == "csv" else exchange.parse_json(text)
            framework = import_framework(data=data)
        except (ValueError, KeyError, ValidationError) as error:
            raise CommandError(f"The file could not be imported: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {framework.code} as draft version {framework.version} "
                f"({framework.blocks.count()} blocks). Activate it in the admin when ready."
            )
        )
