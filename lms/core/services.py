"""Write paths for operations data."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import WorkerHeartbeat

HEARTBEAT_RETENTION = timedelta(days=7)


@transaction.atomic
def record_heartbeat(*, worker: str) -> WorkerHeartbeat:
    """Note that ``worker`` ran a task now, and forget heartbeats older than a week."""
    WorkerHeartbeat.objects.filter(created_at__lt=timezone.now() - HEARTBEAT_RETENTION).delete()
    return WorkerHeartbeat.objects.create(worker=worker[:200])
