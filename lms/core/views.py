from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from . import selectors


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and operators: database, broker, last worker heartbeat."""
    database = selectors.database_is_up()
    broker = selectors.broker_is_up()
    heartbeat = selectors.last_heartbeat_at()
    healthy = database and broker is not False
    return JsonResponse(
        {
            "status": "ok" if healthy else "degraded",
            "database": database,
            "broker": "in-process" if broker is None else broker,
            "last_worker_heartbeat": heartbeat.isoformat() if heartbeat else None,
        },
        status=200 if healthy else 503,
    )
