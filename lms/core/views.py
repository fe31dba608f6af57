from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from . import selectors


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and operators: database, broker, last worker heartbeat.

    503 ("degraded") names each problem: the database is down; or, with a broker configured, the
    broker is unreachable or no worker heartbeat came for two beat periods (emails, PDFs and
    reminders would wait). Without a broker, tasks run in-process and need no worker.
    """
    problems: list[str] = []
    database = selectors.database_is_up()
    if not database:
        problems.append("database unreachable")
    heartbeat = selectors.last_heartbeat_at() if database else None
    in_process = selectors.tasks_run_in_process()
    broker: bool | str = "in-process"
    if not in_process:
        broker = bool(selectors.broker_is_up())
        if not broker:
            problems.append("broker unreachable")
        max_age = selectors.heartbeat_max_age()
        if heartbeat is None:
            problems.append("no worker heartbeat recorded yet")
        elif timezone.now() - heartbeat > max_age:
            problems.append(
                f"last worker heartbeat older than {int(max_age.total_seconds())} seconds"
            )
    return JsonResponse(
        {
            "status": "degraded" if problems else "ok",
            "problems": problems,
            "database": database,
            "tasks": "in-process" if in_process else "worker",
            "broker": broker,
            "last_worker_heartbeat": heartbeat.isoformat() if heartbeat else None,
        },
        status=503 if problems else 200,
    )
