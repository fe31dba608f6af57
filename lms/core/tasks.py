"""Operations tasks."""

from celery import shared_task

from . import services


@shared_task(bind=True, ignore_result=True)
def record_heartbeat_task(self) -> None:  # type: ignore[no-untyped-def]
    """Record that a worker is alive (the health view reads the latest heartbeat)."""
    services.record_heartbeat(worker=self.request.hostname or "in-process")
