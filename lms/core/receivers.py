"""Celery's failure signal, turned into a record coordinators can see and retry."""

import logging

from celery.signals import task_failure
from django.db import DatabaseError

from . import services

logger = logging.getLogger(__name__)


@task_failure.connect(dispatch_uid="parcours_record_task_failure")
def record_failure(sender=None, task_id=None, exception=None, args=None, kwargs=None, **extra):
    """Sent once a task failed for good (retries raise Retry instead, which is not a failure)."""
    try:
        services.record_task_failure(
            task_name=getattr(sender, "name", str(sender)),
            task_id=task_id or "",
            args=args or [],
            kwargs=kwargs or {},
            exception_type=type(exception).__name__,
        )
    except DatabaseError:
        # The database itself may be what failed; the worker log still has the task id.
        logger.warning("Could not record the failure of task %s", task_id)
