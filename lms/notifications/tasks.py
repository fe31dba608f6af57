"""Email delivery tasks: IDs only, idempotent, time-limited; retries with backoff go through
the outbox sweep."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, ignore_result=True)
def deliver_outbox_email_task(outbox_id: int) -> bool:
    """Send one outbox email (a second run for the same email does nothing).

    A mail-server error is not retried here: the email stays pending with its next attempt
    scheduled (exponential backoff), and the periodic sweep makes that attempt when it is due.
    """
    try:
        return services.deliver_outbox_email(outbox_id=outbox_id)
    except services.TransientDeliveryError:
        return False


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300, ignore_result=True)
def sweep_outbox_task() -> int:
    """Periodic: send emails left behind while the broker was down, or due for another try."""
    return services.sweep_outbox()
