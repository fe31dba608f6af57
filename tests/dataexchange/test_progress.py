"""Live progress of an import, and the warning when the worker cannot share it."""

from django.core import checks
from django.test import SimpleTestCase, override_settings

from lms.accounts.resources import UserResource
from lms.dataexchange import registry, services
from lms.dataexchange.checks import progress_cache_is_shared
from lms.dataexchange.models import ImportJob
from tests.base import PersonasTestCase

HEADER = "username,firstname,lastname,email\n"
ROWS = 600
SAMPLE_AT = 400  # the progress is reported every PROGRESS_EVERY (250) rows


class SampledUserResource(UserResource):
    """The users dataset, reading the job's progress as a coordinator's page would mid-run."""

    samples: list[tuple[int, int]] = []

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        if kwargs.get("row_number") == SAMPLE_AT:
            job = ImportJob.objects.get(exchange="users_sampled")
            self.samples.append((job.status, services.job_progress(job)))


class LiveProgressTests(PersonasTestCase):
    def setUp(self):
        super().setUp()
        exchange = registry.get("users")
        registry.register(
            registry.Exchange(
                name="users_sampled",
                label="users",
                resource=SampledUserResource,
                permission=exchange.permission,
            )
        )
        self.addCleanup(registry._registry.pop, "users_sampled")
        SampledUserResource.samples = []

    def test_the_progress_read_during_a_run_is_between_zero_and_the_total(self):
        content = HEADER + "".join(f"p{i},Prénom,Nom,p{i}@exemple.be\n" for i in range(ROWS))
        job = services.create_import_job(
            name="users_sampled",
            filename="big.csv",
            content=content.encode(),
            actor=self.coordinator,
        )

        services.start_check(job=job)  # below the background threshold: runs here

        self.assertEqual(len(SampledUserResource.samples), 1)
        status, processed = SampledUserResource.samples[0]
        self.assertEqual(status, ImportJob.Status.CHECKING)
        self.assertTrue(0 < processed < ROWS, processed)
        self.assertEqual(processed, services.PROGRESS_EVERY)
        job.refresh_from_db()
        self.assertEqual((job.status, services.job_progress(job)), ("previewed", ROWS))


LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SHARED = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}


class SharedCacheCheckTests(SimpleTestCase):
    def ids(self):
        return [message.id for message in progress_cache_is_shared(None)]

    @override_settings(CELERY_BROKER_URL="redis://127.0.0.1:6379/0", CACHES=LOCMEM)
    def test_a_worker_with_a_process_local_cache_is_a_deploy_warning(self):
        self.assertEqual(self.ids(), ["dataexchange.W001"])
        deploy = checks.run_checks(tags=["caches"], include_deployment_checks=True)
        warning = next(m for m in deploy if m.id == "dataexchange.W001")
        self.assertEqual(warning.level, checks.WARNING)
        self.assertNotIn("dataexchange.W001", [m.id for m in checks.run_checks(tags=["caches"])])

    @override_settings(CELERY_BROKER_URL="redis://127.0.0.1:6379/0", CACHES=SHARED)
    def test_a_shared_cache_is_fine(self):
        self.assertEqual(self.ids(), [])

    @override_settings(CELERY_BROKER_URL="", CACHES=LOCMEM)
    def test_tasks_in_process_need_no_shared_cache(self):
        self.assertEqual(self.ids(), [])
