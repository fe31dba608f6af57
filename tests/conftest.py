import pytest
from django.test import override_settings


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing(django_test_environment):
    """A fast hasher for the suite, as Django's testing docs advise: production's PBKDF2 costs
    about 0.25 s per password, and every test class signs up nine personas."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def _own_redis_cache_per_test_worker(django_test_environment, worker_id):
    """Parallel test workers (pytest-xdist) each get their own Redis database for the cache,
    since tests empty the cache (rate limits) and Redis empties a whole database: worker gwN
    uses the configured database minus N."""
    from django.conf import settings

    cache = settings.CACHES["default"]
    if worker_id == "master" or "redis" not in cache["BACKEND"].lower():
        yield
        return
    base, _, number = str(cache["LOCATION"]).rpartition("/")
    database = (int(number or 0) - int(worker_id.removeprefix("gw"))) % 16
    with override_settings(CACHES={"default": {**cache, "LOCATION": f"{base}/{database}"}}):
        yield


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded and generated files go to a temporary folder, never the developer's media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits live in the cache: each test starts with none used."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _tasks_in_process_unless_broker_test(request):
    """Tests run Celery tasks in-process, even when CELERY_BROKER_URL is set (CI's Redis leg),
    because a worker cannot see a test's uncommitted transaction. Tests marked ``broker`` send
    their tasks through the real broker to a real worker instead."""
    from lms.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = request.node.get_closest_marker("broker") is None
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _french_by_default():
    """Each test starts in French: a request to /nl/ leaves Dutch active in the thread, and
    reverse() would then build /nl/ URLs in the next test."""
    from django.utils import translation

    translation.activate("fr")
    yield
    translation.deactivate()
