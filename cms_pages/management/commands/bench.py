"""Benchmark the pages and services at scale, in a separate database, as ratios of one run.

    python manage.py bench [--scale small|large|N] [--json FILE]

It builds a synthetic dataset at the small scale, measures, grows the same database to the
requested scale and measures again; then prints a table and writes JSON (see README, Benchmark).
"""

import json
import logging
import platform
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from cms_pages.bench import database, measures, report
from cms_pages.bench.dataset import Dataset
from cms_pages.bench.scale import SMALL_TRAINEES, Scale

NO_RATE_LIMIT = {"page": 10**9, "api": 10**9, "bulk": 10**9}
# The bench's own cache, in this process: it empties it, which must never empty the configured
# one (sessions, rate limits and progress of a live site), and no other process may empty it
# between two runs of a measure (a shared Redis would make its query counts vary).
BENCH_CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "parcours-bench",
    }
}


def phases_for(text: str) -> list[tuple[str, Scale]]:
    """``small``: one phase. Otherwise the small scale (or half a tiny one), then the target."""
    target = Scale.parse(text)
    if text == "small":
        return [("small", target)]
    base = Scale.for_trainees(
        SMALL_TRAINEES if target.trainees > SMALL_TRAINEES else target.trainees // 2
    )
    if base.trainees >= target.trainees:
        return [("large", target)]
    return [("small", base), ("large", target)]


class Command(BaseCommand):
    help = "Measure pages and services on synthetic data at two scales, in a separate database."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", default="small", help="small, large or a number of trainees (default small)"
        )
        parser.add_argument("--json", dest="json_path", help="Write the report to this file.")
        parser.add_argument("--runs", type=int, default=15, help="Timed runs per measure.")
        parser.add_argument("--warmups", type=int, default=5, help="Untimed runs first.")
        parser.add_argument(
            "--heavy-runs", type=int, default=3, help="Timed runs of the slow measures."
        )
        parser.add_argument(
            "--import-rows", type=int, default=10_000, help="Rows per import run (10,000)."
        )
        parser.add_argument(
            "--keep", action="store_true", help="Keep the bench database at the end."
        )
        parser.add_argument(
            "--db-name",
            help="Name of the bench database (default: a temporary SQLite file, or <NAME>_bench).",
        )
        parser.add_argument(
            "--build-only",
            action="store_true",
            help="Build the dataset at the requested scale and measure nothing (with --keep: "
            "the database of the load test).",
        )

    def handle(self, *args, scale: str, json_path: str | None, **options):
        try:
            phases = phases_for(scale)
        except ValueError as error:
            raise CommandError(str(error)) from None
        # Page creation and requests log a line each: thousands of lines, and time, at scale.
        logging.disable(logging.INFO)
        try:
            with override_settings(CACHES=BENCH_CACHES):
                self._run(phases, json_path, options)
        finally:
            logging.disable(logging.NOTSET)

    def _run(self, phases: list, json_path: str | None, options: dict) -> None:
        if options["build_only"]:
            phases = phases[-1:]
        log = self.stdout.write
        started = time.perf_counter()
        dataset = Dataset()
        phase_reports: list[dict] = []
        outcomes: dict[str, dict] = {}
        # The bench cache starts empty: no site paths or counters from an earlier run.
        cache.clear()
        if options["db_name"] and options["db_name"] == connection.settings_dict["NAME"]:
            raise CommandError("--db-name must not name the configured database: it is dropped.")
        with database.bench_database(name=options["db_name"], keep=options["keep"], log=log):
            for name, target in phases:
                log(f"Building the {name} scale ({target.trainees} trainees) …")
                seconds = dataset.grow_to(target, log=log)
                phase: dict = {
                    "name": name,
                    "scale": target.as_dict(),
                    "build_seconds": round(seconds, 1),
                    "build_step_seconds": {k: round(v, 1) for k, v in dataset.timings.items()},
                    "counts": dataset.counts(),
                }
                phase_reports.append(phase)
                log(f"Built in {seconds:.1f} s: {phase['counts']}")
                if options["build_only"]:
                    break
                log(f"Measuring at the {name} scale …")
                outcomes[name] = self._measure(dataset, options, log)
            if options["build_only"]:
                self._write_build_info(dataset, phase_reports, json_path)
                return
            meta = {
                "generated_at": timezone.now().isoformat(timespec="seconds"),
                "database": database.engine(),
                "database_version": self._database_version(),
                "python": platform.python_version(),
                "debug": settings.DEBUG,
                "runs": {
                    "warmups": options["warmups"],
                    "runs": options["runs"],
                    "heavy_runs": options["heavy_runs"],
                },
                "total_seconds": None,
            }
        meta["total_seconds"] = round(time.perf_counter() - started, 1)
        result = report.build_report(phases=phase_reports, outcomes=outcomes, meta=meta)
        self.stdout.write("\n" + report.format_table(result) + "\n")
        self.stdout.write("Targets:\n" + report.format_targets(result))
        if json_path:
            Path(json_path).write_text(json.dumps(result, indent=2, ensure_ascii=False))
            self.stdout.write(f"\nWritten to {json_path}")

    def _measure(self, dataset: Dataset, options: dict, log) -> dict:
        scenario = measures.Scenario(dataset, import_rows=options["import_rows"])
        # The bench URLconf adds the JSON floor; rate limits would turn runs into 429s.
        with override_settings(
            ROOT_URLCONF="cms_pages.bench.urls", VERIFICATION_RATE_LIMITS=NO_RATE_LIMIT
        ):
            return measures.measure_all(
                scenario,
                warmups=options["warmups"],
                runs=options["runs"],
                heavy_runs=options["heavy_runs"],
                log=log,
            )

    @staticmethod
    def _database_version() -> str:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SHOW server_version")
            else:
                cursor.execute("SELECT sqlite_version()")
            return str(cursor.fetchone()[0])

    def _write_build_info(self, dataset: Dataset, phases: list[dict], json_path: str | None):
        """What the load test needs: a certificate code to verify, the URLs to hit."""
        from certification.models import Certificate

        fixtures = dataset.fixtures
        assert fixtures is not None  # noqa: S101
        info = {
            "phases": phases,
            "certificate_code": Certificate.objects.order_by("pk").values_list("code", flat=True)[
                0
            ],
            "catalogue_url": fixtures.catalogue.url,
            "json_floor_url": "/__bench__/json/",
        }
        self.stdout.write(json.dumps(info, indent=2, ensure_ascii=False))
        if json_path:
            Path(json_path).write_text(json.dumps(info, indent=2, ensure_ascii=False))
