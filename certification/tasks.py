"""Background work of the certification app (IDs only, idempotent)."""

from celery import shared_task

from . import notifications, services
from .models import Certificate


@shared_task(ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def render_certificate_pdf_task(certificate_id: int) -> None:
    """Render and store a certificate's PDF once, then tell the holder it is ready.

    Both steps are idempotent: a task killed half-way runs again (acks_late) and finds the PDF
    stored and the email already in the outbox, so nothing is rendered or sent twice.
    """
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is not None:
        services.render_certificate_pdf(certificate=certificate)
        notifications.notify_issued(certificate_id=certificate_id)


@shared_task(ignore_result=True)
def warn_expiring_certificates_task() -> None:
    """Periodic: tell holders their certificate ends soon (once per end date)."""
    notifications.warn_expiring()


@shared_task(ignore_result=True)
def expire_certificates_task() -> None:
    """Periodic: mark certificates whose validity ended as expired."""
    services.expire_certificates()


@shared_task(ignore_result=True, soft_time_limit=240, time_limit=300)
def sweep_certificates_without_pdf_task() -> int:
    """Periodic: queue again the certificates left without PDF or email by a broker outage."""
    return services.sweep_certificates_without_pdf()
