"""Hand work to a Celery worker without ever failing the action that asked for it."""

import logging
from typing import Any

logger = logging.getLogger(__name__)


def try_queue(task: Any, *ids: int) -> bool:
    """Queue ``task`` with these ids; False (logged, never raised) when the broker is down.

    Each caller has its own fallback: a periodic sweep, or doing the work in the request.
    """
    try:
        task.apply_async(ids, retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker failure
        # Ids and the error's type only: a message could quote personal data.
        logger.warning("Could not queue %s%s (%s).", task.name, ids, type(exc).__name__)
        return False
    return True
