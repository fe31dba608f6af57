"""Rotating VAE_ENCRYPTION_KEYS: re-encrypt with the new key, then the old one can go."""

import io

from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from lms.audit.models import AuditEvent
from tests.base import PersonasTestCase
from tests.vae.factories import make_candidacy, make_vae_certification, verdicts
from vae import services
from vae.models import BlockOutcome, JuryDecision, LivedExperienceNarrative
from vae.services.encryption import encrypted_fields

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def stored(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


class KeyRotationTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework, cls.certification, cls.modules = make_vae_certification()

    def setUp(self):
        with self.settings(VAE_ENCRYPTION_KEYS=OLD):
            candidacy = make_candidacy(self.trainee, self.certification)
            services.give_lived_experience_consent(candidacy=candidacy, by=self.trainee)
            self.narrative = services.save_lived_experience(
                candidacy=candidacy, by=self.trainee, text="Dix ans de rétablissement"
            )
            decided = make_candidacy(
                self.other_trainee,
                self.certification,
                status="jury_scheduled",
                coordinator=self.coordinator,
                jury=(self.assessor, self.other_assessor),
            )
            self.decision = services.record_jury_decision(
                candidacy=decided,
                chair=self.assessor,
                overall=JuryDecision.Overall.PARTIAL,
                verdicts=verdicts(self.framework, {"B1"}),
                recommendations="Suivre le module d'éthique",
            )
        self.blocks = list(
            BlockOutcome.objects.filter(decision=self.decision).values_list(
                "block__code", flat=True
            )
        )

    def rotate(self, *args):
        out, err = io.StringIO(), io.StringIO()
        call_command("rotate_encryption_keys", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def assert_readable(self):
        self.assertEqual(
            LivedExperienceNarrative.objects.get(pk=self.narrative.pk).text,
            "Dix ans de rétablissement",
        )
        self.assertEqual(
            JuryDecision.objects.get(pk=self.decision.pk).recommendations,
            "Suivre le module d'éthique",
        )
        self.assertEqual(
            {o.block.code: o.justification for o in BlockOutcome.objects.select_related("block")},
            {code: f"Justification pour {code}" for code in self.blocks},
        )

    def test_every_encrypted_field_is_known(self):
        self.assertEqual(
            {f"{m._meta.label}.{name}" for m, name in encrypted_fields()},
            {
                "vae.LivedExperienceNarrative.text",
                "vae.JuryDecision.recommendations",
                "vae.BlockOutcome.justification",
            },
        )

    def test_after_rotation_the_old_key_can_be_retired(self):
        before = stored("vae_livedexperiencenarrative", "text", self.narrative.pk)
        with self.settings(VAE_ENCRYPTION_KEYS=f"{NEW},{OLD}"):
            out, err = self.rotate("--batch-size", "2")
        rows = 2 + len(self.blocks)
        self.assertIn(f"vae.BlockOutcome.justification: {len(self.blocks)} re-encrypted", out)
        self.assertIn("vae.LivedExperienceNarrative.text: 1 re-encrypted", out)
        self.assertEqual(err, "")
        self.assertNotEqual(
            stored("vae_livedexperiencenarrative", "text", self.narrative.pk), before
        )
        self.assertNotIn("rétablissement", out + err)

        with self.settings(VAE_ENCRYPTION_KEYS=NEW):
            self.assert_readable()
        event = AuditEvent.objects.get(action="vae.encryption_keys_rotated")
        self.assertEqual(sum(c["rotated"] for c in event.data.values()), rows)

    def test_running_it_again_changes_nothing(self):
        with self.settings(VAE_ENCRYPTION_KEYS=f"{NEW},{OLD}"):
            self.rotate()
            token = stored("vae_jurydecision", "recommendations", self.decision.pk)
            out, _err = self.rotate()
        self.assertIn("vae.JuryDecision.recommendations: 0 re-encrypted, 1 already", out)
        self.assertEqual(stored("vae_jurydecision", "recommendations", self.decision.pk), token)

    def test_a_dry_run_writes_nothing(self):
        before = stored("vae_jurydecision", "recommendations", self.decision.pk)
        with self.settings(VAE_ENCRYPTION_KEYS=f"{NEW},{OLD}"):
            out, _err = self.rotate("--dry-run")
        self.assertIn("1 would be re-encrypted", out)
        self.assertEqual(stored("vae_jurydecision", "recommendations", self.decision.pk), before)
        self.assertFalse(AuditEvent.objects.filter(action="vae.encryption_keys_rotated").exists())

    def test_values_no_key_can_read_are_reported_by_id_and_left_alone(self):
        with self.settings(VAE_ENCRYPTION_KEYS=NEW):  # OLD retired before rotating: too early
            out, err = self.rotate()
        self.assertIn("vae.LivedExperienceNarrative.text: 0 re-encrypted", out)
        self.assertIn(str(self.narrative.pk), err)
        with self.settings(VAE_ENCRYPTION_KEYS=f"{NEW},{OLD}"):
            self.assert_readable()  # nothing was lost: put OLD back and rotate
