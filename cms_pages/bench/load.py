"""The load test behind ``make load``: gunicorn with 2 workers on PostgreSQL, under wrk.

    python -m cms_pages.bench.load [--scale N] [--duration 30] [--connections 32] [--json FILE]

1. builds the bench dataset in the PostgreSQL database ``parcours_load`` (kept for the run,
   with ``manage.py bench --build-only --keep``);
2. starts gunicorn (2 workers, DEBUG off, production settings plus the bench floor's URL:
   ``cms_pages.bench.settings``);
3. runs wrk with 32 connections for 30 s against the JSON floor, the verification API and
   the catalogue, one after the other, and reports throughput, p99 latency and errors;
4. stops gunicorn and drops the database (unless ``--keep``).

It needs wrk (``apt-get install wrk``) and a PostgreSQL server: ``DATABASE_URL`` names the
server (its database name is replaced by ``parcours_load``).
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/parcours"
LOAD_DATABASE = "parcours_load"
# The verification API must keep at least this share of the JSON floor's throughput.
API_SHARE_TARGET = 0.6


def database_url(server_url: str, name: str) -> str:
    parts = urlsplit(server_url)
    if not parts.scheme.startswith("postgres"):
        raise SystemExit("The load test runs on PostgreSQL: set DATABASE_URL=postgres://…")
    return urlunsplit(parts._replace(path=f"/{name}"))


def _seconds(value: str) -> float:
    """wrk's "1.23ms", "456.00us", "1.02s" → seconds."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value.strip())
    if not match:
        return float("nan")
    number, unit = float(match.group(1)), match.group(2)
    return number * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]


def parse_wrk(output: str) -> dict:
    """Requests per second, p99 latency (ms), requests, errors and timeouts from ``wrk``.

    Errors are answers other than 2xx/3xx and failed connections, reads or writes; timeouts
    (no answer within ``--timeout``) are counted apart.
    """
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    errors = timeouts = 0
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket:
        connect, read, write, timeouts = (int(n) for n in socket.groups())
        errors += connect + read + write
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    return {
        "requests_per_second": float(rps.group(1)) if rps else None,
        "p99_ms": round(_seconds(p99.group(1)) * 1000, 2) if p99 else None,
        "requests": int(total.group(1)) if total else None,
        "errors": errors,
        "timeouts": timeouts,
    }


def wait_until_up(url: str, *, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our server
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(1)
    raise SystemExit(f"gunicorn did not answer {url} within {timeout:.0f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="5000", help="trainees in the dataset (5000)")
    parser.add_argument("--duration", type=int, default=30, help="seconds per target (30)")
    parser.add_argument("--connections", type=int, default=32, help="concurrent clients (32)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--timeout", type=int, default=10, help="seconds before wrk counts a timeout (10)"
    )
    parser.add_argument("--json", dest="json_path", help="Write the report to this file.")
    parser.add_argument("--keep", action="store_true", help="Keep the parcours_load database.")
    args = parser.parse_args(argv)

    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is missing: install it (sudo apt-get install wrk) and run again.")
    server = os.environ.get("DATABASE_URL", DEFAULT_SERVER)
    load_url = database_url(server, LOAD_DATABASE)
    python = sys.executable
    workdir = Path(tempfile.mkdtemp(prefix="parcours-load-"))
    info_path = workdir / "build.json"
    env = {**os.environ, "DATABASE_URL": server, "DJANGO_SETTINGS_MODULE": "lms.settings"}

    print(f"Building the dataset ({args.scale} trainees) in {LOAD_DATABASE} …", flush=True)
    subprocess.run(  # noqa: S603 - our own manage.py
        [python, "manage.py", "bench", "--scale", args.scale, "--build-only", "--keep",
         "--db-name", LOAD_DATABASE, "--json", str(info_path)],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    info = json.loads(info_path.read_text())

    # Production settings (DEBUG off), served over plain HTTP on the loopback.
    server_env = {
        **os.environ,
        "DATABASE_URL": load_url,
        "DJANGO_SETTINGS_MODULE": "cms_pages.bench.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(workdir / "static"),
        "LOG_LEVEL": "WARNING",
    }
    print("Collecting static files …", flush=True)
    subprocess.run(  # noqa: S603
        [python, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT, env=server_env, check=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{args.port}"
    gunicorn = subprocess.Popen(  # noqa: S603
        [python, "-m", "gunicorn", "lms.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{args.port}",
         "--log-level", "warning"],
        cwd=ROOT, env=server_env,
    )  # fmt: skip
    targets = {
        "floor_json_view": info["json_floor_url"],
        "verification_api": f"/api/v1/certificates/{info['certificate_code']}",
        "catalogue": info["catalogue_url"],
    }
    results: dict = {}
    try:
        wait_until_up(base + targets["floor_json_view"])
        for name, path in targets.items():
            # A short warm-up so that both workers have loaded templates and connections.
            subprocess.run(  # noqa: S603
                [wrk, "-t2", "-c4", "-d3s", base + path], capture_output=True, check=False
            )
            print(f"wrk: {args.connections} clients for {args.duration} s on {path} …", flush=True)
            run = subprocess.run(  # noqa: S603
                [wrk, "-t2", f"-c{args.connections}", f"-d{args.duration}s", "--latency",
                 f"--timeout={args.timeout}s", base + path],
                capture_output=True, text=True, check=False,
            )  # fmt: skip
            results[name] = {"path": path, **parse_wrk(run.stdout)}
            print(f"  {results[name]}", flush=True)
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=60)
        if not args.keep:
            subprocess.run(  # noqa: S603
                [python, "-c", _DROP, LOAD_DATABASE], cwd=ROOT, env=env, check=False
            )
        shutil.rmtree(workdir, ignore_errors=True)

    floor = results["floor_json_view"]["requests_per_second"] or 0
    api = results["verification_api"]["requests_per_second"] or 0
    share = round(api / floor, 2) if floor else None
    report = {
        "scale": args.scale,
        "duration_seconds": args.duration,
        "connections": args.connections,
        "workers": 2,
        "results": results,
        "verification_api_share_of_floor": share,
        "targets": [
            {
                "target": "no errors and no timeouts",
                "value": sum(r["errors"] + r["timeouts"] for r in results.values()),
                "met": all(r["errors"] == 0 and r["timeouts"] == 0 for r in results.values()),
            },
            {
                "target": f"verification API at least {API_SHARE_TARGET:.0%} of the floor",
                "value": share,
                "met": share is not None and share >= API_SHARE_TARGET,
            },
        ],
    }
    print("\n| target | requests/s | p99 ms | requests | errors | timeouts |")
    print("|---|---|---|---|---|---|")
    for name, result in results.items():
        print(
            f"| {name} | {result['requests_per_second']} | {result['p99_ms']} | "
            f"{result['requests']} | {result['errors']} | {result['timeouts']} |"
        )
    for target in report["targets"]:
        print(f"  {'met' if target['met'] else 'MISSED':<7} {target['target']}: {target['value']}")
    if args.json_path:
        Path(args.json_path).write_text(json.dumps(report, indent=2))
        print(f"Written to {args.json_path}")
    return 0


# Drops the load database through Django's own connection settings (no psql needed).
_DROP = """
import sys, django
django.setup()
from django.db import connection
with connection._nodb_cursor() as cursor:
    cursor.execute('DROP DATABASE IF EXISTS "%s"' % sys.argv[1])
"""


if __name__ == "__main__":
    sys.exit(main())
