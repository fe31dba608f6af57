"""Celery tasks of the courses app: they take ids only and call one service."""

from celery import shared_task

from . import notices, services


@shared_task(ignore_result=True)
def expire_offers_task() -> None:
    """Close expired place offers and offer each place to the next person waiting."""
    services.expire_offers()


@shared_task(ignore_result=True)
def send_session_reminders_task() -> None:
    """Hourly: remind trainees of their meetings two days ahead (once per meeting)."""
    notices.send_session_reminders()
