"""Signed-in screens: the holder's choice and log, the partners' CSV check, the coordinators'
API key screens in the Wagtail admin."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certification.verification import services
from certification.verification.models import ApiKey, VerificationLog, VerificationSettings
from tests.base import PersonasTestCase
from tests.verification.helpers import issue, revoked, with_signing_key, with_typo


class HolderSettingsTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.certificate = issue(cls.trainee, rendered=False)
        cls.url = reverse("verification:certificate-settings", args=[cls.certificate.code])

    def test_the_holder_switches_to_confirm_the_name(self):
        self.login(self.trainee)

        response = self.client.post(self.url, {"name_mode": "confirm"})

        self.assertRedirects(response, self.url)
        self.assertEqual(
            VerificationSettings.objects.get(certificate=self.certificate).name_mode, "confirm"
        )

    def test_nobody_else_sees_or_changes_the_holders_choice(self):
        for person in (self.other_trainee, self.partner, self.coordinator):
            self.login(person)
            self.assertEqual(self.client.get(self.url).status_code, 404)
            self.assertEqual(self.client.post(self.url, {"name_mode": "confirm"}).status_code, 404)
        self.assertFalse(VerificationSettings.objects.exists())

    def test_an_anonymous_visitor_is_sent_to_sign_in(self):
        response = self.client.get(self.url)

        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])

    def test_the_holder_sees_when_and_how_their_certificate_was_checked(self):
        api_key, _raw = services.create_api_key(
            partner_name="Hôpital du Beau Vallon", created_by=self.coordinator
        )
        services.record_verification(certificate=self.certificate, channel="page")
        services.record_verification(certificate=self.certificate, channel="bulk", api_key=api_key)
        self.login(self.trainee)

        response = self.client.get(self.url)

        self.assertEqual(len(response.context["page"].object_list), 2)
        self.assertContains(response, "Hôpital du Beau Vallon")
        self.assertEqual(response.context["monthly"][0]["count"], 2)

    def test_the_log_costs_the_same_queries_however_long_it_is(self):
        self.login(self.trainee)
        self.client.get(self.url)  # warm the site's caches
        services.record_verification(certificate=self.certificate, channel="page")
        with CaptureQueriesContext(connection) as short:
            self.client.get(self.url)
        for number in range(20):
            api_key, _raw = services.create_api_key(
                partner_name=f"Partenaire {number}", created_by=self.coordinator
            )
            services.record_verification(
                certificate=self.certificate, channel="bulk", api_key=api_key
            )

        with self.assertNumQueries(len(short)):
            self.client.get(self.url)

    def test_the_holder_downloads_the_signed_credential(self):
        self.login(self.trainee)

        with with_signing_key():
            response = self.client.get(
                reverse("verification:credential-download", args=[self.certificate.code])
            )
            public = self.client.get(f"/api/v1/certificates/{self.certificate.code}/credential")

        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response["Content-Disposition"])
        self.assertEqual(response.content, public.content)

    def test_another_person_cannot_download_it_from_the_holder_screen(self):
        self.login(self.other_trainee)

        response = self.client.get(
            reverse("verification:credential-download", args=[self.certificate.code])
        )

        self.assertEqual(response.status_code, 404)


class PartnerCsvTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.trainee.first_name, cls.trainee.last_name = "Élodie", "Ménard-Çelik"
        cls.trainee.save()
        cls.valid = issue(cls.trainee, rendered=False)
        cls.revoked = revoked(cls.other_trainee, by=cls.coordinator)
        cls.confirm = issue(cls.trainer, rendered=False)
        services.set_name_mode(certificate=cls.confirm, holder=cls.trainer, name_mode="confirm")
        cls.url = reverse("verification:bulk-check")

    def upload(self, text: str):
        return self.client.post(
            self.url, {"file": SimpleUploadedFile("codes.csv", text.encode(), "text/csv")}
        )

    def test_a_partner_uploads_codes_and_gets_a_csv_with_accents_intact(self):
        self.login(self.partner)
        lines = ["code", self.valid.code.lower(), self.revoked.code, self.confirm.code]
        lines.append(with_typo(self.valid.code))

        response = self.upload("\n".join(lines))

        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith("\ufeff".encode()))
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
        self.assertEqual(len(rows), 5)
        self.assertEqual(rows[1][0], self.valid.code)
        self.assertEqual(rows[1][2], self.valid.name_as_printed)
        self.assertIn("Élodie Ménard-Çelik", rows[1][2])
        self.assertEqual(rows[2][0], self.revoked.code)
        self.assertNotEqual(rows[3][2], self.confirm.name_as_printed)
        self.assertEqual(rows[4][3], "")
        self.assertEqual(
            VerificationLog.objects.filter(channel="bulk", partner_account=self.partner).count(),
            3,
        )

    def test_a_malformed_file_is_read_as_plain_lines_never_a_server_error(self):
        """A lone carriage return before a NUL byte made Python's csv module give up."""
        self.login(self.partner)

        response = self.upload(f"code\r\x00\n{self.valid.code}\n")

        self.assertEqual(response.status_code, 200)
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
        self.assertIn(self.valid.code, [row[0] for row in rows])

    def test_only_partners_may_use_the_csv_check(self):
        for person in (self.trainee, self.coordinator):
            self.login(person)
            self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_a_file_without_codes_is_refused_kindly(self):
        self.login(self.partner)

        response = self.upload("nom;prénom\n")

        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors)


class ApiKeyAdminTests(PersonasTestCase):
    def test_a_coordinator_creates_a_key_that_is_shown_once(self):
        self.login(self.coordinator)

        response = self.client.post(
            reverse("verification_admin:api-key-create"),
            {"partner_name": "Université de Liège", "owner": self.partner.pk},
        )

        self.assertEqual(response.status_code, 200)
        raw_key = response.context["raw_key"]
        key = ApiKey.objects.get()
        self.assertEqual(key.owner, self.partner)
        self.assertEqual(key.key_hash, services.hash_api_key(raw_key))
        listing = self.client.get(reverse("verification_admin:api-key-list"))
        self.assertNotContains(listing, raw_key)
        self.assertContains(listing, key.prefix)

    def test_revoking_asks_for_confirmation_first(self):
        key, _raw = services.create_api_key(partner_name="CPAS", created_by=self.coordinator)
        self.login(self.coordinator)
        url = reverse("verification_admin:api-key-revoke", args=[key.pk])

        self.assertEqual(self.client.get(url).status_code, 200)
        key.refresh_from_db()
        self.assertIsNone(key.revoked_at)
        self.client.post(url)
        key.refresh_from_db()
        self.assertIsNotNone(key.revoked_at)

    def test_people_without_the_permission_cannot_manage_keys(self):
        for person in (self.partner, self.trainer):
            self.login(person)
            response = self.client.get(reverse("verification_admin:api-key-create"))
            self.assertIn(response.status_code, (302, 403))


class PartnerPanelTests(PersonasTestCase):
    def test_a_partner_finds_the_checks_in_their_space(self):
        self.login(self.partner)

        response = self.client.get(reverse("accounts:dashboard"))

        self.assertContains(response, reverse("verification:bulk-check"))

    def test_a_trainee_does_not_see_the_partner_panel(self):
        self.login(self.trainee)

        response = self.client.get(reverse("accounts:dashboard"))

        self.assertNotContains(response, reverse("verification:bulk-check"))
