"""Reads about the running system."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection

from .models import WorkerHeartbeat


def database_is_up() -> bool:
    """True when the database answers a trivial query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "down" for a health check
        return False


def tasks_run_in_process() -> bool:
    """True when there is no broker: tasks run inside the web process (development, demo)."""
    from lms.celery import app

    return bool(app.conf.task_always_eager)


def broker_is_up() -> bool | None:
    """True/False when a broker is configured and answers; None when tasks run in-process."""
    if tasks_run_in_process():
        return None
    from lms.celery import app

    try:
        with app.connection_for_write() as conn:
            # One quick retry, no pause: a load balancer polling this must get an answer fast.
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
        return True
    except Exception:  # noqa: BLE001
        return False


def last_heartbeat_at() -> datetime | None:
    """When a worker last ran the heartbeat task."""
    beat = WorkerHeartbeat.objects.order_by("-created_at").only("created_at").first()
    return beat.created_at if beat else None


def heartbeat_max_age() -> timedelta:
    """A heartbeat older than two beat periods means no worker runs tasks (or no beat sends)."""
    return timedelta(seconds=2 * settings.WORKER_HEARTBEAT_SECONDS)
