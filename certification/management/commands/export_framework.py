from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certification import exchange
from certification.models import CompetencyFramework


class Command(BaseCommand):
    help = "Export a competency framework (the version in force, or --version N) as JSON or CSV."

    def add_arguments(self, parser):
        parser.add_argument("code", help="Framework code, e.g. pair-aidance.")
        parser.add_argument("--framework-version", dest="framework_version", type=int)
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")

    def handle(self, *args, code, framework_version=None, format="json", output=None, **options):
        frameworks = CompetencyFramework.objects.filter(code=code)
        if framework_version:
            framework = frameworks.filter(version=framework_version).first()
        else:
            framework = (
                frameworks.filter(status=CompetencyFramework.Status.ACTIVE).first()
                or frameworks.order_by("-version").first()
            )
        if framework is None:
            raise CommandError(
                f"No framework {code!r} (version {framework_version or 'in force'})."
            )
        text = (
            exchange.export_json(framework) if format == "json" else exchange.export_csv(framework)
        )
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stdout.write(
                f"Framework {framework.code} v{framework.version} written to {output}"
            )
        else:
            self.stdout.write(text)
