"""Uploaded files hold personal data: they are deleted a month after their import ended."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import TestCase
from django.utils import timezone

from lms.dataexchange.models import ImportJob
from lms.dataexchange.tasks import purge_import_files_task


def job_with_file(name: str, *, status: str, ended_days_ago: int | None) -> ImportJob:
    stored = storages["private"].save(f"dataexchange/imports/{name}.csv", ContentFile(b"email\n"))
    finished = timezone.now() - timedelta(days=ended_days_ago) if ended_days_ago else None
    return ImportJob.objects.create(
        exchange="users",
        original_name=f"{name}.csv",
        stored_name=stored,
        file_format="csv",
        status=status,
        finished_at=finished,
    )


class PurgeTests(TestCase):
    def test_files_of_imports_ended_over_a_month_ago_are_deleted_and_the_job_stays(self):
        old = job_with_file("old", status=ImportJob.Status.DONE, ended_days_ago=45)
        recent = job_with_file("recent", status=ImportJob.Status.FAILED, ended_days_ago=3)
        waiting = job_with_file("waiting", status=ImportJob.Status.PREVIEWED, ended_days_ago=None)

        self.assertEqual(purge_import_files_task(), 1)

        old.refresh_from_db()
        self.assertIsNotNone(old.file_deleted_at)
        self.assertFalse(storages["private"].exists(old.stored_name))
        self.assertTrue(storages["private"].exists(recent.stored_name))
        self.assertTrue(storages["private"].exists(waiting.stored_name))
        self.assertEqual(purge_import_files_task(), 0)
