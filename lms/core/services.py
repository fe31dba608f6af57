"""Write paths for operations data."""

import enum
import logging
from datetime import timedelta

from celery import current_app
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


class RetryOutcome(enum.Enum):
    SENT = "sent"  # handed to a worker; if it fails there, it comes back as a new row
    FAILED_AGAIN = "failed_again"  # tasks run in-process: it ran now, and failed again
    NOT_SENT = "not_sent"  # the broker could not be reached


@transaction.atomic
def _claim_retry(*, failed_id: int, by: User) -> FailedTask:
    failed = FailedTask.objects.select_for_update().filter(pk=failed_id).first()
    if failed is None or failed.retried_at is not None:
        raise NothingToRetry
    if failed.task_name not in current_app.tasks:
        raise NothingToRetry
    failed.retried_at = timezone.now()
    failed.retried_by = by
    failed.save(update_fields=["retried_at", "retried_by"])
    record_event(
        actor=by,
        action="task.retried",
        target=failed,
        summary=failed.task_name,
        data={"task": failed.task_name},
    )
    return failed


def retry_failed_task(*, failed_id: int, by: User) -> RetryOutcome:
    """Send a failed task again with the same arguments (once; the tasks are idempotent), and
    say what became of it, so the screen never claims a success that did not happen.

    Deliberately not one transaction: the claim commits first, so a second click finds it
    claimed; then the task is sent. If it cannot be sent, or (in-process) fails again, the
    claim is undone and the task stays in the list to look at.
    """
    failed = _claim_retry(failed_id=failed_id, by=by)
    task = current_app.tasks[failed.task_name]
    in_process = bool(current_app.conf.task_always_eager)
    try:
        result = task.apply_async(args=failed.args, kwargs=failed.kwargs, retry=False)
        if in_process and result.failed():
            raise result.result
    except Exception as exc:  # noqa: BLE001 - broker down, or the task failed again in-process
        # Only the error's type: its message may quote personal data.
        FailedTask.objects.filter(pk=failed.pk).update(
            retried_at=None,
            retried_by=None,
            **({"exception_type": type(exc).__name__[:200]} if in_process else {}),
        )
        if in_process:
            logger.warning("Failed task %s failed again (%s)", failed.pk, type(exc).__name__)
            return RetryOutcome.FAILED_AGAIN
        logger.warning("Could not queue the retry of failed task %s", failed.pk)
        return RetryOutcome.NOT_SENT
    FailedTask.objects.filter(pk=failed.pk).update(retry_task_id=result.id or "")
    return RetryOutcome.SENT
