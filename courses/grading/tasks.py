"""Background jobs of the trainer space (IDs only, idempotent, retried with backoff on a
transient database error)."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from courses.models import Session
from courses.tasks import TRANSIENT_RETRY

from . import services
from .models import Assessment


@shared_task(ignore_result=True, **TRANSIENT_RETRY)
def release_results_task(assessment_id: int) -> int:
    """Re-run the ledger writes of an assessment's released results (a no-op when done)."""
    assessment = Assessment.objects.filter(pk=assessment_id).first()
    if assessment is None:
        return 0
    return services.rewrite_ledger_for_released(assessment=assessment)


@shared_task(ignore_result=True, **TRANSIENT_RETRY)
def push_attendance_rates_task(session_id: int) -> int:
    """Send a session's attendance rates to certification (idempotent: latest figure wins)."""
    session = Session.objects.select_related("course__certification").filter(pk=session_id).first()
    if session is None:
        return 0
    return services.push_attendance_rates(session=session)


@shared_task(ignore_result=True, **TRANSIENT_RETRY)
def push_completed_sessions_attendance_task() -> int:
    """Periodic: push attendance of sessions completed in the last days (safe to re-run)."""
    since = timezone.now() - timedelta(days=3)
    ids = list(
        Session.objects.filter(
            status=Session.Status.COMPLETED,
            course__certification__isnull=False,
            status_changes__to_status=Session.Status.COMPLETED,
            status_changes__changed_at__gte=since,
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    for session_id in ids:
        push_attendance_rates_task(session_id)
    return len(ids)
