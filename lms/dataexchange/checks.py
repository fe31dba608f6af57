"""System check: live import progress needs a cache that the worker and the web share."""

from django.conf import settings
from django.core import checks

# Backends that keep their data in one process (or nowhere): a worker's writes are not seen.
PROCESS_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@checks.register(checks.Tags.caches, deploy=True)
def progress_cache_is_shared(app_configs, **kwargs):  # type: ignore[no-untyped-def]
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if not settings.CELERY_BROKER_URL or backend not in PROCESS_LOCAL_CACHES:
        return []
    return [
        checks.Warning(
            "Tasks go to a Celery worker but the cache is local to each process: the progress "
            "bar of large imports stays at 0 until the import ends.",
            hint="Set CACHE_URL to a cache both the worker and the web processes reach, "
            "e.g. rediscache://127.0.0.1:6379/1.",
            id="dataexchange.W001",
        )
    ]
