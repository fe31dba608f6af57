"""Reads about the running system."""

from datetime import datetime

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


def broker_is_up() -> bool | None:
    """True/False when a broker is configured and answers; None when tasks run in-process."""
    if not settings.CELERY_BROKER_URL:
        return None
    from lms.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # noqa: BLE001
        return False


def last_heartbeat_at() -> datetime | None:
    """When a worker last ran the heartbeat task."""
    beat = WorkerHeartbeat.objects.order_by("-created_at").only("created_at").first()
    return beat.created_at if beat else None
