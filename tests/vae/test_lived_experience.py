"""The optional lived-experience narrative: consent first, encrypted, erased on withdrawal."""

from django.db import connection

from lms.audit.models import AuditEvent
from tests.base import PersonasTestCase
from tests.vae.factories import make_candidacy, make_vae_certification
from vae import services
from vae.models import LivedExperienceConsent, LivedExperienceNarrative


class LivedExperienceTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework, cls.certification, cls.modules = make_vae_certification()

    def setUp(self):
        self.candidacy = make_candidacy(self.trainee, self.certification)

    def test_the_narrative_needs_a_consent(self):
        with self.assertRaises(services.VaeError):
            services.save_lived_experience(
                candidacy=self.candidacy, by=self.trainee, text="Mon histoire"
            )
        self.assertFalse(LivedExperienceNarrative.objects.exists())

    def test_the_narrative_is_encrypted_in_the_database(self):
        services.give_lived_experience_consent(candidacy=self.candidacy, by=self.trainee)
        narrative = services.save_lived_experience(
            candidacy=self.candidacy, by=self.trainee, text="Dix ans de rétablissement"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT text FROM vae_livedexperiencenarrative WHERE id = %s", [narrative.pk]
            )
            raw = cursor.fetchone()[0]
        self.assertNotIn("rétablissement", raw)
        self.assertEqual(LivedExperienceNarrative.objects.get().text, "Dix ans de rétablissement")

    def test_withdrawing_consent_erases_the_narrative_and_keeps_a_dated_record(self):
        services.give_lived_experience_consent(candidacy=self.candidacy, by=self.trainee)
        services.save_lived_experience(candidacy=self.candidacy, by=self.trainee, text="Mon vécu")
        services.withdraw_lived_experience_consent(candidacy=self.candidacy, by=self.trainee)
        self.assertFalse(LivedExperienceNarrative.objects.exists())
        consent = LivedExperienceConsent.objects.get()
        self.assertIsNotNone(consent.withdrawn_at)
        self.assertEqual(consent.purpose, "vae.lived_experience")
        self.assertTrue(AuditEvent.objects.filter(action="vae.consent_withdrawn").exists())


class EncryptionKeyTests(PersonasTestCase):
    def test_production_without_keys_refuses_to_store_narratives(self):
        from django.core.exceptions import ImproperlyConfigured

        from vae.fields import get_fernet

        with (
            self.settings(VAE_ENCRYPTION_KEYS="", DEBUG=False, SECRET_KEY="x" * 60),
            self.assertRaises(ImproperlyConfigured),
        ):
            get_fernet()

    def test_an_old_key_still_decrypts_after_rotation(self):
        from cryptography.fernet import Fernet

        from vae.fields import get_fernet

        old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
        with self.settings(VAE_ENCRYPTION_KEYS=old):
            token = get_fernet().encrypt(b"secret")
        with self.settings(VAE_ENCRYPTION_KEYS=f"{new},{old}"):
            self.assertEqual(get_fernet().decrypt(token), b"secret")
