"""Coordinators upload, preview and confirm imports, and export, in the Wagtail admin."""

import io
import json

from django.core import mail
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from lms.accounts.models import User
from lms.audit.models import AuditEvent
from lms.dataexchange.models import ImportJob
from lms.notifications.models import Notification
from tests.base import EnglishPersonasTestCase, PersonasTestCase

GOOD = (
    "username,firstname,lastname,email,lang,city\n"
    "camille,Camille,Renard,camille@exemple.be,fr,Namur\n"
    "lotte,Lotte,Vermeulen,lotte@voorbeeld.be,nl_be,Gent\n"
)


def upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


class ImportFlowTests(EnglishPersonasTestCase):
    def setUp(self):
        super().setUp()
        self.login(self.coordinator)

    def test_the_menu_and_the_index_list_the_users_dataset(self):
        response = self.client.get(reverse("dataexchange_index"))

        self.assertContains(response, "People (accounts)")
        self.assertContains(response, reverse("dataexchange_import", args=["users"]))
        self.assertContains(response, "No file has been imported yet.")
        self.assertContains(self.client.get(reverse("wagtailadmin_home")), "Import and export")

    def test_upload_preview_then_confirm_imports_the_file(self):
        response = self.client.post(
            reverse("dataexchange_import", args=["users"]), {"file": upload("people.csv", GOOD)}
        )

        job = ImportJob.objects.get()
        self.assertRedirects(response, reverse("dataexchange_job", args=[job.pk]))
        self.assertEqual(job.status, ImportJob.Status.PREVIEWED)
        self.assertEqual((job.new_count, job.error_count), (2, 0))
        self.assertFalse(User.objects.filter(email="camille@exemple.be").exists())
        self.assertTrue(storages["private"].exists(job.stored_name))
        page = self.client.get(reverse("dataexchange_job", args=[job.pk]))
        self.assertContains(page, "What this file would change")
        self.assertContains(page, "Camille Renard")
        self.assertContains(page, "Import these rows")
        self.assertContains(page, "The username column is not used")

        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("dataexchange_job_confirm", args=[job.pk]))

        job.refresh_from_db()
        self.assertEqual(job.status, ImportJob.Status.DONE)
        self.assertEqual(User.objects.get(email="lotte@voorbeeld.be").preferred_language, "nl")
        self.assertTrue(
            AuditEvent.objects.filter(action="dataexchange.imported", target_id=str(job.pk))
        )
        notice = Notification.objects.get(recipient=self.coordinator)
        self.assertEqual(notice.event, "dataexchange.import_finished")
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("people.csv", mail.outbox[0].subject)

    def test_the_import_finished_email_names_the_dataset_in_the_coordinators_language(self):
        self.coordinator.preferred_language = "nl"
        self.coordinator.save(update_fields=["preferred_language"])
        self.client.post(
            reverse("dataexchange_import", args=["users"]), {"file": upload("people.csv", GOOD)}
        )
        job = ImportJob.objects.get()

        # The screen (and so the request) is in English; the email follows the recipient.
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("dataexchange_job_confirm", args=[job.pk]))

        [message] = mail.outbox
        self.assertIn("(Personen (accounts))", message.body)
        self.assertNotIn("People (accounts)", message.body)

    def test_a_file_with_one_bad_row_shows_the_line_and_cannot_be_confirmed(self):
        bad = GOOD + "x,Jean,Dupont,not-an-address,fr,Mons\n"
        self.client.post(
            reverse("dataexchange_import", args=["users"]), {"file": upload("people.csv", bad)}
        )
        job = ImportJob.objects.get()

        page = self.client.get(reverse("dataexchange_job", args=[job.pk]))

        self.assertContains(page, "Rows to correct")
        self.assertContains(page, "<td>4</td>", html=False)
        self.assertContains(page, "“not-an-address” is not a valid email address.")
        self.assertNotContains(page, "Import these rows")
        self.client.post(reverse("dataexchange_job_confirm", args=[job.pk]))
        self.assertEqual(User.objects.filter(email__endswith="exemple.be").count(), 0)
        job.refresh_from_db()
        self.assertEqual(job.status, ImportJob.Status.PREVIEWED)

    def test_an_unreadable_file_is_refused_kindly_and_nothing_is_kept(self):
        response = self.client.post(
            reverse("dataexchange_import", args=["users"]),
            {"file": SimpleUploadedFile("people.pdf", b"%PDF-1.4")},
        )

        self.assertContains(response, "This file type is not supported")
        self.assertFalse(ImportJob.objects.exists())

    def test_cancelling_a_checked_import_deletes_the_file(self):
        self.client.post(
            reverse("dataexchange_import", args=["users"]), {"file": upload("people.csv", GOOD)}
        )
        job = ImportJob.objects.get()

        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("dataexchange_job_cancel", args=[job.pk]))

        job.refresh_from_db()
        self.assertEqual(job.status, ImportJob.Status.CANCELLED)
        self.assertFalse(storages["private"].exists(job.stored_name))
        self.assertFalse(User.objects.filter(email="camille@exemple.be").exists())

    @override_settings(DATAEXCHANGE_BACKGROUND_ROWS=2)
    def test_a_large_file_runs_as_a_task_with_progress_and_a_page_to_come_back_to(self):
        rows = "".join(f"p{i},Prénom,Nom{i},p{i}@exemple.be,fr,Mons\n" for i in range(600))
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                reverse("dataexchange_import", args=["users"]),
                {"file": upload("big.csv", GOOD.splitlines()[0] + "\n" + rows)},
            )
        job = ImportJob.objects.get()
        self.assertEqual((job.status, job.new_count, job.total_rows), ("previewed", 600, 600))
        # While the task runs the page shows a <progress> bar fed by a script file.
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.IMPORTING)
        page = self.client.get(reverse("dataexchange_job", args=[job.pk]))
        self.assertContains(page, "<progress")
        self.assertContains(page, "dataexchange/progress.js")
        self.assertContains(page, "Refresh")
        progress = self.client.get(reverse("dataexchange_job_progress", args=[job.pk])).json()
        self.assertEqual((progress["running"], progress["total"]), (True, 600))
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.PREVIEWED)

        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("dataexchange_job_confirm", args=[job.pk]))

        job.refresh_from_db()
        self.assertEqual((job.status, job.processed_rows), ("done", 600))
        self.assertEqual(User.objects.filter(email__endswith="@exemple.be").count(), 600)
        progress = self.client.get(reverse("dataexchange_job_progress", args=[job.pk])).json()
        self.assertEqual((progress["running"], progress["percent"]), (False, 100))

    def test_the_past_imports_are_listed(self):
        self.client.post(
            reverse("dataexchange_import", args=["users"]), {"file": upload("people.csv", GOOD)}
        )

        response = self.client.get(reverse("dataexchange_index"))

        self.assertContains(response, "people.csv")
        self.assertContains(response, "Checked, waiting for confirmation")


class ExportTests(PersonasTestCase):
    def setUp(self):
        super().setUp()
        self.login(self.coordinator)
        self.trainee.first_name, self.trainee.last_name = "Élodie", "François-Gaëtan"
        self.trainee.save()

    def test_a_csv_export_has_a_bom_and_keeps_accents(self):
        response = self.client.get(reverse("dataexchange_export", args=["users", "csv"]))

        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response["Content-Disposition"])
        self.assertTrue(response.content.startswith(b"\xef\xbb\xbf"))
        text = response.content.decode("utf-8-sig")
        self.assertTrue(text.startswith("username,email,firstname,lastname"))
        self.assertIn("Élodie,François-Gaëtan", text)
        self.assertTrue(AuditEvent.objects.filter(action="dataexchange.exported"))

    def test_an_xlsx_export_opens_with_accents(self):
        response = self.client.get(reverse("dataexchange_export", args=["users", "xlsx"]))

        sheet = load_workbook(io.BytesIO(response.content)).active
        values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
        self.assertIn("François-Gaëtan", values)
        self.assertIn("firstname", values)

    def test_a_json_export_reimports_unchanged(self):
        from lms.dataexchange.files import read_dataset
        from lms.dataexchange.services import import_dataset

        response = self.client.get(reverse("dataexchange_export", args=["users", "json"]))
        rows = json.loads(response.content)
        self.assertIn("Élodie", [row["firstname"] for row in rows])

        summary = import_dataset(
            "users", read_dataset(response.content, "json"), dry_run=False, actor=None
        )

        self.assertEqual((summary.new, summary.updated, summary.errors), (0, 0, 0))
        self.assertEqual(summary.unchanged, User.objects.count())

    def test_the_template_is_the_moodle_sample(self):
        response = self.client.get(reverse("dataexchange_template", args=["users", "csv"]))

        text = response.content.decode("utf-8-sig")
        self.assertTrue(text.startswith("username,firstname,lastname,email,lang"))


class PermissionTests(PersonasTestCase):
    def test_people_without_the_permission_get_no_access(self):
        for person in (self.trainee, self.trainer, self.partner):
            self.login(person)
            for url in (
                reverse("dataexchange_index"),
                reverse("dataexchange_export", args=["users", "csv"]),
                reverse("dataexchange_import", args=["users"]),
            ):
                response = self.client.get(url)
                self.assertIn(response.status_code, (302, 403), url)
                self.assertNotIn(b"@example.org", response.content)

    def test_an_assessor_with_admin_access_is_turned_back_without_the_data(self):
        from django.contrib.auth.models import Permission

        self.assessor.user_permissions.add(
            Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
        )
        self.login(self.assessor)

        # Wagtail answers a PermissionDenied with a message and a redirect to the admin home.
        for url in (
            reverse("dataexchange_index"),
            reverse("dataexchange_export", args=["users", "csv"]),
            reverse("dataexchange_import", args=["users"]),
        ):
            response = self.client.get(url)
            self.assertRedirects(response, reverse("wagtailadmin_home"), msg_prefix=url)
        self.assertFalse(AuditEvent.objects.filter(action="dataexchange.exported").exists())

    def test_a_job_of_a_dataset_one_may_not_use_is_not_found(self):
        job = ImportJob.objects.create(
            exchange="users", original_name="x.csv", stored_name="x.csv", file_format="csv"
        )
        from django.contrib.auth.models import Permission

        self.assessor.user_permissions.add(
            Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
        )
        self.login(self.assessor)

        response = self.client.get(reverse("dataexchange_job", args=[job.pk]))
        self.assertEqual(response.status_code, 404)
