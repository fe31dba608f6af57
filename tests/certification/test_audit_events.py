"""Certificate decisions and ledger writes reach the append-only audit trail, ids only."""

from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse

from certification import services
from certification.models import (
    Certificate,
    CertificateStatusChange,
    CertificateStatusHistoryIsAppendOnly,
    LedgerEntry,
)
from lms.audit.models import AuditEvent
from tests.base import PersonasTestCase
from tests.certification.helpers import make_certification, make_eligible

Status = Certificate.Status
Source = LedgerEntry.Source


def actions(target):
    return list(
        AuditEvent.objects.for_target(target).order_by("pk").values_list("action", flat=True)
    )


class CertificateAuditTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework, cls.certification = make_certification(
            validity_months=24, renewal_hours=0, renewal_ethics_hours=0
        )
        make_eligible(cls.trainee, cls.framework)

    def setUp(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.certificate = services.issue_certificate(
                person=self.trainee, certification=self.certification, issued_by=self.coordinator
            )

    def test_issuing_is_recorded_once_with_its_author(self):
        services.issue_certificate(
            person=self.trainee, certification=self.certification, issued_by=self.coordinator
        )
        event = AuditEvent.objects.for_target(self.certificate).get()
        change = self.certificate.status_changes.get()
        self.assertEqual(
            (event.action, event.actor, event.data),
            (
                "certificate.issued",
                self.coordinator,
                {"change": change.pk, "from": "", "to": Status.VALID},
            ),
        )

    def test_suspend_reinstate_and_revoke_are_recorded_without_the_free_text_reason(self):
        services.suspend_certificate(
            certificate=self.certificate, by=self.coordinator, reason="Plainte de Mme Durand"
        )
        services.reinstate_certificate(certificate=self.certificate, by=self.coordinator)
        services.revoke_certificate(
            certificate=self.certificate, by=self.coordinator, reason="Fraude au stage"
        )
        # Doing it twice changes nothing and records nothing more.
        services.revoke_certificate(
            certificate=self.certificate, by=self.coordinator, reason="Fraude au stage"
        )

        self.assertEqual(
            actions(self.certificate),
            [
                "certificate.issued",
                "certificate.suspended",
                "certificate.reinstated",
                "certificate.revoked",
            ],
        )
        revoked = AuditEvent.objects.for_target(self.certificate).get(action="certificate.revoked")
        self.assertEqual(revoked.actor, self.coordinator)
        self.assertEqual(
            revoked.data,
            {
                "change": self.certificate.status_changes.last().pk,
                "from": Status.VALID,
                "to": Status.REVOKED,
            },
        )
        for event in AuditEvent.objects.all():
            self.assertNotIn("Durand", f"{event.summary} {event.data}")
            self.assertNotIn("Fraude", f"{event.summary} {event.data}")
            self.assertNotIn("Julie", f"{event.summary} {event.data}")

    def test_expiry_is_recorded_as_done_by_the_system(self):
        later = self.certificate.valid_until.replace(year=self.certificate.valid_until.year + 1)
        services.expire_certificates(today=later)
        event = AuditEvent.objects.for_target(self.certificate).get(action="certificate.expired")
        self.assertIsNone(event.actor)

    def test_a_renewal_is_recorded_on_the_new_certificate_with_the_one_it_renews(self):
        with self.captureOnCommitCallbacks(execute=True):
            renewal = services.renew_certificate(certificate=self.certificate, by=self.coordinator)
            services.renew_certificate(certificate=self.certificate, by=self.coordinator)
        event = AuditEvent.objects.for_target(renewal).get()
        self.assertEqual(
            (event.action, event.actor, event.data["renews"]),
            ("certificate.renewed", self.coordinator, self.certificate.pk),
        )

    def test_the_event_is_undone_with_the_action_it_records(self):
        # Same transaction: a status change rolled back leaves no audit line behind.
        with self.assertRaises(RuntimeError), transaction.atomic():
            services.suspend_certificate(
                certificate=self.certificate, by=self.coordinator, reason="Vérification"
            )
            raise RuntimeError
        self.assertEqual(actions(self.certificate), ["certificate.issued"])

    def test_coordinators_find_certificate_decisions_in_the_audit_search(self):
        services.revoke_certificate(
            certificate=self.certificate, by=self.coordinator, reason="Fraude au stage"
        )
        self.login(self.coordinator)
        response = self.client.get(
            reverse("audit_index"),
            {"action": "certificate.", "target_id": str(self.certificate.pk)},
        )
        self.assertContains(response, "certificate.revoked")
        self.assertContains(response, "certificate.issued")
        self.assertNotContains(response, "Fraude au stage")


class CertificateHistoryIsAppendOnlyTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework, cls.certification = make_certification()
        make_eligible(cls.trainee, cls.framework)
        cls.certificate = services.issue_certificate(
            person=cls.trainee, certification=cls.certification, issued_by=cls.coordinator
        )

    def test_a_status_change_can_be_neither_changed_nor_deleted(self):
        change = self.certificate.status_changes.get()
        change.reason = "réécrit"
        with self.assertRaises(CertificateStatusHistoryIsAppendOnly):
            change.save()
        with self.assertRaises(CertificateStatusHistoryIsAppendOnly):
            change.delete()
        with self.assertRaises(CertificateStatusHistoryIsAppendOnly):
            CertificateStatusChange.objects.filter(pk=change.pk).update(reason="réécrit")
        with self.assertRaises(CertificateStatusHistoryIsAppendOnly):
            CertificateStatusChange.objects.filter(pk=change.pk).delete()
        self.assertNotEqual(CertificateStatusChange.objects.get(pk=change.pk).reason, "réécrit")

    def test_a_certificate_with_a_history_cannot_be_deleted_with_it(self):
        with self.assertRaises(ProtectedError):
            Certificate.objects.get(pk=self.certificate.pk).delete()
        self.assertTrue(self.certificate.status_changes.exists())


class LedgerAuditTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework, cls.certification = make_certification()
        cls.b1 = cls.framework.blocks.get(code="B1")

    def test_an_acquisition_is_recorded_once_even_when_written_twice(self):
        for _ in range(2):
            entry = services.record_acquisition(
                person=self.trainee,
                block=self.b1,
                source=Source.COORDINATOR_DECISION,
                recorded_by=self.coordinator,
                justification="Attestation de Julie",
                dedupe_key="decision:1",
            )
        event = AuditEvent.objects.for_target(entry).get()
        self.assertEqual(
            (event.action, event.actor, event.data),
            (
                "ledger.recorded",
                self.coordinator,
                {"person": self.trainee.pk, "kind": "block", "source": Source.COORDINATOR_DECISION},
            ),
        )
        self.assertNotIn("Julie", f"{event.summary} {event.data}")

    def test_hours_are_recorded(self):
        entry = services.record_hours(
            person=self.trainee,
            hours_kind=LedgerEntry.HoursKind.ETHICS,
            hours=6,
            source=Source.TRAINING_RESULT,
        )
        self.assertEqual(actions(entry), ["ledger.recorded"])

    def test_a_correction_and_a_withdrawal_are_recorded_on_the_new_entry(self):
        entry = services.record_hours(
            person=self.trainee,
            hours_kind=LedgerEntry.HoursKind.ETHICS,
            hours=6,
            source=Source.TRAINING_RESULT,
        )
        corrected = services.supersede_entry(
            entry=entry, recorded_by=self.coordinator, justification="Erreur de saisie", hours=7
        )
        withdrawn = services.supersede_entry(
            entry=corrected,
            recorded_by=self.coordinator,
            justification="Stage annulé",
            withdraw=True,
        )
        superseded = AuditEvent.objects.for_target(corrected).get()
        self.assertEqual(
            (superseded.action, superseded.actor, superseded.data["supersedes"]),
            ("ledger.superseded", self.coordinator, entry.pk),
        )
        withdrawal = AuditEvent.objects.for_target(withdrawn).get()
        self.assertEqual(
            (withdrawal.action, withdrawal.data["supersedes"]), ("ledger.withdrawn", corrected.pk)
        )
        self.assertNotIn("Stage", f"{withdrawal.summary} {withdrawal.data}")

    def test_coordinators_find_ledger_writes_in_the_audit_search(self):
        entry = services.record_acquisition(
            person=self.trainee,
            block=self.b1,
            source=Source.COORDINATOR_DECISION,
            recorded_by=self.coordinator,
        )
        services.supersede_entry(
            entry=entry, recorded_by=self.coordinator, justification="Erreur", withdraw=True
        )
        self.login(self.coordinator)
        response = self.client.get(reverse("audit_index"), {"action": "ledger."})
        self.assertContains(response, "ledger.recorded")
        self.assertContains(response, "ledger.withdrawn")
