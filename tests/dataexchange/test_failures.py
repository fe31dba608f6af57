"""An unexpected failure leaves nothing written and a job that says so, never one that spins."""

from import_export import resources

from lms.accounts.models import User
from lms.dataexchange import registry, services
from lms.dataexchange.models import ImportJob
from tests.base import EnglishPersonasTestCase


class BrokenResource(resources.ModelResource):
    class Meta:
        model = User
        fields = ("email",)
        import_id_fields = ("email",)

    def import_row(self, row, instance_loader, **kwargs):
        raise RuntimeError("a bug in a resource")


class UnexpectedFailureTests(EnglishPersonasTestCase):
    def setUp(self):
        super().setUp()
        registry.register(
            registry.Exchange(
                name="broken",
                label="Broken",
                resource=BrokenResource,
                permission="accounts.change_user",
            )
        )
        self.addCleanup(registry._registry.pop, "broken", None)

    def test_a_crash_while_checking_marks_the_job_failed_with_its_number(self):
        job = services.create_import_job(
            name="broken",
            filename="people.csv",
            content=b"email\nzoe@exemple.be\n",
            actor=self.coordinator,
        )

        job = services.start_check(job=job)

        self.assertEqual(job.status, ImportJob.Status.FAILED)
        self.assertIn(f"import number {job.pk}", job.general_errors[0])
        self.assertFalse(User.objects.filter(email="zoe@exemple.be").exists())

    def test_a_dataset_one_may_not_use_is_refused(self):
        with self.assertRaises(services.ImportRefused):
            services.create_import_job(
                name="broken", filename="x.csv", content=b"email\na@b.be\n", actor=self.trainee
            )
