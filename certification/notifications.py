"""What a certificate holder is told: issued, expiring soon, expired, suspended, reinstated, revoked.

Each message is written through the notification outbox with a dedupe key per event, so a task
that runs twice (a worker killed after sending, a retry) never sends it twice.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lms.notifications.models import Category
from lms.notifications.services import notify

from .models import Certificate, CertificateStatusChange

Status = Certificate.Status

# The status a change leads to → the event the holder hears about.
EVENT_FOR_STATUS: dict[str, str] = {
    Status.SUSPENDED: "suspended",
    Status.REVOKED: "revoked",
    Status.EXPIRED: "expired",
}


def _notify(certificate: Certificate, event: str, *, dedupe_key: str, reason: str = "") -> None:
    notify(
        recipient=certificate.holder,
        event=f"certificate.{event}",
        template="certification/emails/certificate",
        context={
            "event": event,
            "certificate": certificate,
            "title": certificate.certification.title,
            "reason": reason,
            "verification_url": certificate.verification_url,
        },
        dedupe_key=dedupe_key,
        category=Category.REMINDERS if event == "expiring" else Category.ESSENTIAL,
        url=reverse("certification:my-certificates"),
    )


@transaction.atomic
def notify_issued(*, certificate_id: int) -> None:
    """Tell the holder their certificate is ready (called once its PDF is stored)."""
    certificate = Certificate.objects.select_related("holder", "certification").get(
        pk=certificate_id
    )
    event = "renewed" if certificate.renewed_from_id else "issued"
    _notify(certificate, event, dedupe_key=f"certificate.issued:{certificate.pk}")


def notify_status_change(change: CertificateStatusChange) -> None:
    """Tell the holder about a suspension, a reinstatement, a revocation or the expiry."""
    if change.from_status == Status.SUSPENDED and change.to_status in (
        Status.VALID,
        Status.EXPIRED,
    ):
        event = "reinstated"
    else:
        event = EVENT_FOR_STATUS.get(change.to_status, "")
    if not event:
        return
    certificate = Certificate.objects.select_related("holder", "certification").get(
        pk=change.certificate_id
    )
    _notify(
        certificate,
        event,
        dedupe_key=f"certificate.status-change:{change.pk}",
        reason=change.reason if event in ("suspended", "revoked") else "",
    )


def warn_expiring(*, today: date | None = None) -> int:
    """Warn holders whose valid certificate ends within the warning period; once per end date."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.CERTIFICATE_EXPIRY_WARNING_DAYS)
    warned = 0
    for certificate in Certificate.objects.select_related("holder", "certification").filter(
        status=Status.VALID, valid_until__gte=today, valid_until__lte=horizon
    ):
        with transaction.atomic():
            _notify(
                certificate,
                "expiring",
                dedupe_key=f"certificate.expiring:{certificate.pk}:{certificate.valid_until}",
            )
        warned += 1
    return warned
