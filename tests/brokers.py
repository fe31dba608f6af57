"""Helpers for the tests that run a real Redis broker and real Celery workers (``broker`` mark).

Each such test starts its own redis-server on a free port, so it can stop, restart or starve the
broker without touching the one the rest of CI uses, and its workers see only its own tasks.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

from django.db import connection

from lms.celery import app

BASE_DIR = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate: Callable[[], bool], timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    raise AssertionError(message)


def database_url_for_tests() -> str:
    """The test database as a URL, for worker processes (they must write where the test reads)."""
    db = connection.settings_dict
    assert db["ENGINE"].endswith("postgresql"), "Worker tests need DATABASE_URL on PostgreSQL."
    user = db["USER"] or "postgres"
    auth = f"{user}:{db['PASSWORD']}" if db["PASSWORD"] else user
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class RedisServer:
    """A throw-away redis-server on a free port, keeping nothing on disk."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server must be installed (CI installs it)."
        self.binary = binary
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self.is_up, 10, "redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def is_up(self) -> bool:
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
            return True
        except OSError:
            return False


def use_broker(url: str) -> None:
    """Send this process's tasks to ``url``, forgetting pooled connections to the previous one."""
    app.conf.broker_url = app.conf.broker_write_url = app.conf.broker_read_url = url
    app._pool = None
    app.amqp._producer_pool = None


def start_worker(
    *, name: str, env: dict[str, str], log: IO[str], command: list[str] | None = None
) -> subprocess.Popen:
    """A solo-pool worker process (its tasks run in the process itself, so a kill stops them)."""
    command = command or [sys.executable, "-m", "celery", "-A", "lms", "worker"]
    return subprocess.Popen(
        [*command, "--pool=solo", "-n", name, "--loglevel=INFO"],
        cwd=BASE_DIR,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def stop_process(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
