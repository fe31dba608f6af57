"""Background work of the certification app (IDs only, idempotent)."""

from celery import shared_task

from . import services
from .models import Certificate


@shared_task(ignore_result=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def render_certificate_pdf_task(certificate_id: int) -> None:
    """Render and store a certificate's PDF once (a retry finds it done and stops)."""
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is not None:
        services.render_certificate_pdf(certificate=certificate)


@shared_task(ignore_result=True)
def expire_certificates_task() -> None:
    """Periodic: mark certificates whose validity ended as expired."""
    services.expire_certificates()
