"""Background checks and imports of large files: job IDs only, idempotent, time-limited."""

from collections.abc import Callable

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import OperationalError
from django.utils.translation import gettext as _

from . import services

# Ten thousand rows take seconds on PostgreSQL; the limits only stop a runaway file. A lost
# database connection is retried: the job is still "checking"/"importing" as nothing committed.
SOFT_LIMIT = 1800
HARD_LIMIT = 1900


def _stopped(job_id: int) -> None:
    services.mark_job_failed(
        job_id=job_id,
        reason=_(
            "The import stopped before the end and nothing was written. Split the file into "
            "smaller files and try again."
        ),
    )


# Both steps of a job: retried on a lost database connection, stopped cleanly at the limit.
JOB_TASK_OPTIONS = {
    "acks_late": True,
    "autoretry_for": (OperationalError,),
    "retry_backoff": 30,
    "retry_jitter": True,
    "max_retries": 5,
    "soft_time_limit": SOFT_LIMIT,
    "time_limit": HARD_LIMIT,
    "ignore_result": True,
}


def _run_step(step: Callable[..., object], job_id: int) -> None:
    try:
        step(job_id=job_id)
    except SoftTimeLimitExceeded:
        _stopped(job_id)
    except OperationalError:
        raise  # retried: nothing was committed, the job is still checking or importing
    except Exception as error:  # noqa: BLE001 - the job must not spin forever
        services.job_crashed(job_id=job_id, error=error)


@shared_task(**JOB_TASK_OPTIONS)
def check_import_job_task(job_id: int) -> None:
    """Check (dry run) an uploaded file; a second run finds the job checked and stops."""
    _run_step(services.check_import_job, job_id)


@shared_task(**JOB_TASK_OPTIONS)
def run_import_job_task(job_id: int) -> None:
    """Import a confirmed file, all or nothing; a second run finds the job finished and stops."""
    _run_step(services.run_import_job, job_id)


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300, ignore_result=True)
def purge_import_files_task() -> int:
    """Periodic: delete uploaded files of imports that ended more than a month ago."""
    return services.purge_import_files()
