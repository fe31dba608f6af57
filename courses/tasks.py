"""Celery tasks of the courses app: they take ids only and call one service."""

from celery import shared_task
from django.db import OperationalError

from . import notices, services

# A lost database connection, a lock timeout or a serialisation failure passes: the task runs
# again after 30 s, 1 min, 2 min … (at most 30 min apart, five times). Every task here is
# idempotent, so a retry after a half-done run changes nothing twice.
TRANSIENT_RETRY: dict[str, object] = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": 30,
    "retry_backoff_max": 1800,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(ignore_result=True, **TRANSIENT_RETRY)
def expire_offers_task() -> None:
    """Close expired place offers and offer each place to the next person waiting."""
    services.expire_offers()


@shared_task(ignore_result=True, **TRANSIENT_RETRY)
def send_session_reminders_task() -> None:
    """Hourly: remind trainees of their meetings two days ahead (once per meeting)."""
    notices.send_session_reminders()
