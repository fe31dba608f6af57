"""Privacy tasks: ids only, idempotent, time-limited."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from . import services


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=1800,
    max_retries=5,
    soft_time_limit=600,
    time_limit=660,
    ignore_result=True,
)
def build_data_export_task(self, export_id: int) -> bool:  # type: ignore[no-untyped-def]
    """Build one "download my data" archive (a second run for the same export does nothing)."""
    try:
        return services.build_data_export(export_id=export_id)
    except OSError:
        raise  # the storage may come back: retried with backoff
    except SoftTimeLimitExceeded:
        services.mark_export_failed(export_id=export_id)
        return False
    except Exception:
        # A bug, not a passing outage: say so on "My data" (the person may ask again).
        services.mark_export_failed(export_id=export_id)
        raise


@shared_task(acks_late=True, soft_time_limit=1200, time_limit=1320, ignore_result=True)
def apply_privacy_retention_task() -> dict[str, int]:
    """Daily: delete what has been kept longer than its retention period."""
    return services.apply_retention()
