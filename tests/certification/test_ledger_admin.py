from django.urls import reverse

from certification import services
from certification.models import Certificate, LedgerEntry
from tests.base import EnglishPersonasTestCase as PersonasTestCase
from tests.certification.helpers import make_certification


class LedgerAdminTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework, cls.certification = make_certification()
        cls.b1 = cls.framework.blocks.get(code="B1")
        cls.entry = services.record_acquisition(
            person=cls.trainee,
            block=cls.b1,
            source=LedgerEntry.Source.VAE_DECISION,
            justification="Jury du 3 mars",
        )

    def test_a_coordinator_sees_why_a_person_holds_a_block(self):
        self.login(self.coordinator)
        response = self.client.get(reverse("certification_admin:ledger", args=[self.trainee.pk]))
        self.assertContains(response, "Jury du 3 mars")
        self.assertContains(response, "VAE jury decision")

    def test_a_coordinator_records_a_block_by_decision_and_the_certificate_follows(self):
        self.login(self.coordinator)
        url = reverse("certification_admin:ledger-record", args=[self.trainee.pk, "block"])
        with self.captureOnCommitCallbacks(execute=True):
            for code in ("B2", "B3", "B4"):
                response = self.client.post(
                    url,
                    {
                        "block": self.framework.blocks.get(code=code).pk,
                        "source": LedgerEntry.Source.PRIOR_CERTIFICATE,
                        "source_reference": "Certificat AQRP 2021",
                        "justification": "Équivalence reconnue",
                    },
                )
                self.assertRedirects(
                    response, reverse("certification_admin:ledger", args=[self.trainee.pk])
                )
        entry = LedgerEntry.objects.filter(person=self.trainee).first()
        self.assertEqual(entry.recorded_by, self.coordinator)
        # The rules are met: the certificate was issued automatically.
        self.assertTrue(Certificate.objects.filter(holder=self.trainee).exists())

    def test_withdrawing_asks_for_a_reason_and_keeps_both_entries(self):
        self.login(self.coordinator)
        url = reverse("certification_admin:ledger-withdraw", args=[self.entry.pk])
        self.assertContains(self.client.get(url), "Withdraw this entry?")
        self.client.post(url, {"reason": "Décision annulée en appel"})
        self.assertEqual(LedgerEntry.objects.filter(person=self.trainee).count(), 2)
        self.assertFalse(LedgerEntry.objects.current().filter(person=self.trainee).exists())
        response = self.client.get(reverse("certification_admin:ledger", args=[self.trainee.pk]))
        self.assertContains(response, "Décision annulée en appel")
        self.assertContains(response, "Jury du 3 mars")

    def test_trainers_and_trainees_cannot_read_or_write_the_ledger_here(self):
        for person in (self.trainer, self.trainee):
            self.login(person)
            response = self.client.get(
                reverse("certification_admin:ledger", args=[self.trainee.pk])
            )
            self.assertNotEqual(response.status_code, 200)
            self.client.post(
                reverse("certification_admin:ledger-withdraw", args=[self.entry.pk]),
                {"reason": "x"},
            )
        self.assertEqual(LedgerEntry.objects.count(), 1)
