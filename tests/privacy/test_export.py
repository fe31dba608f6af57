import io
import json
import zipfile
from datetime import timedelta
from unittest import mock

from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from lms.audit.models import AuditEvent
from lms.notifications.models import Notification
from lms.privacy import services
from lms.privacy.models import DataExport
from tests.base import PersonasTestCase
from tests.vae.factories import PDF_BYTES
from vae.models import Evidence

from .builders import NARRATIVE, TEST_ENCRYPTION_KEY, make_person


@override_settings(VAE_ENCRYPTION_KEYS=TEST_ENCRYPTION_KEY)
class DataExportTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.person = make_person(trainer=cls.trainer, coordinator=cls.coordinator)
        vae_certification = cls.person.candidacy.certification
        cls.other = make_person(
            trainer=cls.trainer,
            coordinator=cls.coordinator,
            prefix="barnabe",
            vae_certification=vae_certification,
        )

    def setUp(self):
        super().setUp()
        # Each test has its own private storage: put the evidence file back in it.
        for evidence in Evidence.objects.all():
            services.storage().save(evidence.stored_name, ContentFile(PDF_BYTES))

    def export(self):
        with self.captureOnCommitCallbacks(execute=True):
            services.request_data_export(user=self.person.user)
        return DataExport.objects.get(user=self.person.user)

    def read(self, export):
        with services.storage().open(export.file_name, "rb") as handle:
            return zipfile.ZipFile(io.BytesIO(handle.read()))

    def test_the_archive_holds_one_json_per_app_and_the_person_s_files(self):
        export = self.export()
        self.assertEqual(export.status, DataExport.Status.READY)
        archive = self.read(export)
        names = set(archive.namelist())
        for section in (
            "account",
            "training",
            "certification",
            "vae",
            "notifications",
            "audit",
            "privacy",
        ):
            self.assertIn(f"{section}.json", names)
        self.assertIn("index.json", names)
        self.assertTrue(any(n.startswith("files/vae/") and n.endswith(".pdf") for n in names))
        account = json.loads(archive.read("account.json"))
        self.assertEqual(account["email"], self.person.needles["email"])
        vae = json.loads(archive.read("vae.json"))
        self.assertIn(NARRATIVE, vae["candidacies"][0]["lived_experience"])
        self.assertEqual(len(vae["candidacies"][0]["evidence"]), 1)
        training = json.loads(archive.read("training.json"))
        self.assertIn("Bravo", training["results"][0]["feedback"])
        certification = json.loads(archive.read("certification.json"))
        self.assertEqual(certification["certificates"][0]["code"], self.person.certificate.code)
        self.assertTrue(json.loads(archive.read("notifications.json"))["notifications"])

    def test_nothing_of_another_person_is_in_the_archive(self):
        archive = self.read(self.export())
        text = " ".join(
            archive.read(name).decode("utf-8").casefold()
            for name in archive.namelist()
            if name.endswith(".json")
        )
        for label in ("email", "first name", "last name", "display name"):
            self.assertNotIn(self.other.needles[label].casefold(), text, label)
        self.assertIn(self.person.needles["last name"].casefold(), text)

    def test_the_owner_is_told_with_a_link_and_the_export_is_audited(self):
        export = self.export()
        notification = Notification.objects.get(
            recipient=self.person.user, event="privacy.export_ready"
        )
        self.assertIn("/espace/mes-donnees/export/", notification.url)
        self.assertTrue(
            AuditEvent.objects.filter(action="privacy.export_built", target_id=str(export.pk))
        )
        # A second run of the task changes nothing.
        self.assertFalse(services.build_data_export(export_id=export.pk))

    def test_only_the_owner_downloads_it_as_an_attachment(self):
        export = self.export()
        url = reverse(
            "privacy:export-download", kwargs={"token": services.export_link_token(export)}
        )
        self.login(self.other.user)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.login(self.person.user)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Disposition"].startswith("attachment"))
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertIn("no-store", response["Cache-Control"])
        b"".join(response.streaming_content)
        self.assertTrue(AuditEvent.objects.filter(action="privacy.export_downloaded"))

    def test_a_forged_or_expired_link_downloads_nothing(self):
        export = self.export()
        self.login(self.person.user)
        forged = reverse("privacy:export-download", kwargs={"token": "1:abc:def"})
        self.assertRedirects(self.client.get(forged), reverse("privacy:my-data"))
        url = reverse(
            "privacy:export-download", kwargs={"token": services.export_link_token(export)}
        )
        later = timezone.now() + timedelta(days=services.export_days() + 1)
        with mock.patch("django.utils.timezone.now", return_value=later):
            services.apply_retention(now=later)
        export.refresh_from_db()
        self.assertEqual(export.status, DataExport.Status.EXPIRED)
        self.assertRedirects(self.client.get(url), reverse("privacy:my-data"))

    def test_anonymous_visitors_are_sent_to_sign_in(self):
        response = self.client.get(reverse("privacy:my-data"))
        self.assertEqual(response.status_code, 302)
        self.assertIn("login", response["Location"])
