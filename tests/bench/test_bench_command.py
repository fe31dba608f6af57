"""``manage.py bench`` on a tiny scale: every measure is in the JSON, with numbers.

It runs the command in a child process, as a person would: the bench creates and drops its own
database, which must not disturb the test database of this process. Timings are never asserted
(a busy machine would make the test fail); query counts and the report's shape are.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

from cms_pages.bench.measures import ALL_MEASURES, MEASURES
from cms_pages.bench.report import QUERY_LIMIT

ROOT = Path(settings.BASE_DIR)
# Features other helpers provide: reported "not available" until they are merged. The import
# measure is not among them: a failed benchmark import must fail this test.
MAY_BE_MISSING = {"coordinator_report"}


def run_bench(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", "bench", *args],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings", **env},
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )


def shared_cache_url() -> dict[str, str]:
    """With Redis (CI's second leg), the child process is pointed at this test worker's own
    cache, so the test can see whether the bench empties it; a local-memory cache cannot be
    shared with a child process."""
    cache_settings = settings.CACHES["default"]
    if "redis" not in cache_settings["BACKEND"].lower():
        return {}
    return {"CACHE_URL": "rediscache://" + cache_settings["LOCATION"].split("://", 1)[1]}


def test_a_tiny_bench_reports_every_measure_at_both_scales(tmp_path):
    report_path = tmp_path / "bench.json"
    env = shared_cache_url()
    cache.set("a-live-session", "kept", timeout=600)
    result = run_bench(
        tmp_path,
        "--scale", "40", "--runs", "2", "--warmups", "0", "--heavy-runs", "1",
        "--import-rows", "20", "--json", str(report_path), **env,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr[-3000:]
    # The bench empties only its own cache, never the site's (sessions, rate limits, progress).
    assert cache.get("a-live-session") == "kept"
    report = json.loads(report_path.read_text())
    assert [phase["name"] for phase in report["phases"]] == ["small", "large"]
    assert report["phases"][1]["counts"]["trainees"] == 40
    assert report["phases"][1]["counts"]["ledger_entries"] == 400
    assert set(report["measures"]) == {m.key for m in ALL_MEASURES}
    for key, entry in report["measures"].items():
        for phase in ("small", "large"):
            data = entry[phase]
            if not data["available"]:
                assert key in MAY_BE_MISSING, (key, data)
                assert data["reason"]
                continue
            assert isinstance(data["median_ms"], float), key
            assert isinstance(data["p95_ms"], float), key
            assert isinstance(data["queries"], int), key
        if entry["small"]["available"]:
            assert entry["queries_flat"] is True, (key, entry["small"], entry["large"])
            assert isinstance(entry["ratio_large_small"], float), key
    pages = [m for m in MEASURES if m.floor and m.key not in MAY_BE_MISSING]
    for measure in pages:
        large = report["measures"][measure.key]["large"]
        assert large["queries"] > 0 or measure.key == "certificate_pdf", measure.key
        assert isinstance(large["ratio_to_floor"], float), measure.key
    # The query target is reported with its verdict (targets are never asserted here).
    query_targets = [t for t in report["targets"] if f"at most {QUERY_LIMIT}" in t["target"]]
    assert {t["met"] for t in query_targets} <= {True, False}
    assert len(query_targets) >= len(pages) - 1  # every page but the PDF
    assert "| measure |" in result.stdout


def test_a_scale_that_is_not_a_number_is_refused_plainly(tmp_path):
    result = run_bench(tmp_path, "--scale", "huge")

    assert result.returncode != 0
    assert "--scale must be small, large or a number" in result.stderr
