"""Write paths for operations data."""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from lms.accounts.models import User
from lms.audit.services import record_event

from .models import FailedTask, WorkerHeartbeat

logger = logging.getLogger(__name__)

HEARTBEAT_RETENTION = timedelta(days=7)


@transaction.atomic
def record_heartbeat(*, worker: str) -> WorkerHeartbeat:
    """Note that ``worker`` ran a task now, and forget heartbeats older than a week."""
    WorkerHeartbeat.objects.filter(created_at__lt=timezone.now() - HEARTBEAT_RETENTION).delete()
    return WorkerHeartbeat.objects.create(worker=worker[:200])


def record_task_failure(
    *, task_name: str, task_id: str, args: object, kwargs: object, exception_type: str
) -> FailedTask:
    """Keep a task that failed for good so a coordinator can see it and run it again."""
    failed, _created = FailedTask.objects.update_or_create(
        task_id=task_id[:64],
        defaults={
            "task_name": task_name[:200],
            "args": list(args) if isinstance(args, list | tuple) else [],
            "kwargs": dict(kwargs) if isinstance(kwargs, dict) else {},
            "exception_type": exception_type[:200],
        },
    )
    return failed


class NothingToRetry(Exception):
    """The task was retried already, or no longer exists."""


@transaction.atomic
def retry_failed_task(*, failed_id: int, by: User) -> FailedTask:
    """Send a failed task again with the same arguments (once; the tasks are idempotent)."""
    from celery import current_app

    failed = FailedTask.objects.select_for_update().filter(pk=failed_id).first()
    if failed is None or failed.retried_at is not None:
        raise NothingToRetry
    if failed.task_name not in current_app.tasks:
        raise NothingToRetry
    failed.retried_at = timezone.now()
    failed.retried_by = by
    failed.save(update_fields=["retried_at", "retried_by"])
    task = current_app.tasks[failed.task_name]
    args, kwargs = failed.args, failed.kwargs
    record_event(
        actor=by,
        action="task.retried",
        target=failed,
        summary=failed.task_name,
        data={"task": failed.task_name},
    )

    def send() -> None:
        try:
            result = task.apply_async(args=args, kwargs=kwargs, retry=False)
        except Exception:  # noqa: BLE001 - broker down: the row says so, retry again later
            FailedTask.objects.filter(pk=failed.pk).update(retried_at=None, retried_by=None)
            logger.warning("Could not queue the retry of failed task %s", failed.pk)
            return
        FailedTask.objects.filter(pk=failed.pk).update(retry_task_id=result.id or "")

    transaction.on_commit(send)
    return failed
