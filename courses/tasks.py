"""Celery tasks of the courses app: they take ids only and call one service."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_enrolment_email_task(enrolment_id: int, event: str) -> None:
    """Email the trainee about an enrolment event; a retry never sends the same email twice."""
    services.send_enrolment_email(enrolment_id=enrolment_id, event=event)


@shared_task(ignore_result=True)
def expire_offers_task() -> None:
    """Close expired place offers and offer each place to the next person waiting."""
    services.expire_offers()
