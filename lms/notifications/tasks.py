"""Email delivery tasks: IDs only, idempotent, retried with backoff, time-limited."""

from celery import shared_task

from . import services


@shared_task(
    acks_late=True,
    autoretry_for=(services.TransientDeliveryError,),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=services.MAX_ATTEMPTS,
    soft_time_limit=60,
    time_limit=90,
    ignore_result=True,
)
def deliver_outbox_email_task(outbox_id: int) -> bool:
    """Send one outbox email (a second run for the same email does nothing)."""
    return services.deliver_outbox_email(outbox_id=outbox_id)


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300, ignore_result=True)
def sweep_outbox_task() -> int:
    """Periodic: send emails left behind while the broker was down."""
    return services.sweep_outbox()
