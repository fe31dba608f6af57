"""seed_demo shows a finished import, and running it again imports nothing more."""

from django.test import TestCase
from django.urls import reverse

from lms.accounts import demo as accounts_demo
from lms.accounts.models import User
from lms.dataexchange import demo
from lms.dataexchange.models import ImportJob
from lms.demo import DemoContext
from lms.notifications.services import quiet_emails


def run() -> DemoContext:
    context = DemoContext()
    with quiet_emails():
        accounts_demo.seed(context)
        demo.seed(context)
    return context


class DemoImportTests(TestCase):
    def test_the_demo_has_a_finished_moodle_import_and_a_rerun_adds_nothing(self):
        context = run()
        job = ImportJob.objects.get()
        self.assertEqual((job.status, job.new_count, job.error_count), ("done", 5, 0))
        self.assertEqual(job.created_by.email, "coordination@parcours.example")
        self.assertTrue(User.objects.filter(email="elodie.francois@exemple.be").exists())
        self.assertIn(reverse("dataexchange_job", args=[job.pk]), str(context.sections))
        users = User.objects.count()

        run()

        self.assertEqual(ImportJob.objects.count(), 1)
        self.assertEqual(User.objects.count(), users)
