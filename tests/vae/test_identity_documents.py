"""Identity documents only serve the admissibility check: deleted once it is decided."""

from django.core.files.storage import storages

from lms.audit.models import AuditEvent
from tests.base import PersonasTestCase
from tests.vae.factories import make_candidacy, make_vae_certification, pdf_upload
from vae import services
from vae.models import Evidence


class IdentityDocumentTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework, cls.certification, cls.modules = make_vae_certification()

    def upload(self, candidacy, kind):
        return services.upload_evidence(
            candidacy=candidacy, by=self.trainee, upload=pdf_upload(f"{kind}.pdf"), kind=kind
        )

    def test_identity_documents_go_once_admissibility_is_decided_and_the_rest_stays(self):
        candidacy = services.open_candidacy(
            candidate=self.trainee, certification=self.certification
        )
        identity = self.upload(candidacy, Evidence.Kind.IDENTITY)
        attestation = self.upload(candidacy, Evidence.Kind.ATTESTATION)
        self.assertEqual(services.delete_identity_documents(), 0)  # not decided yet

        from tests.vae.factories import fill_portfolio

        fill_portfolio(candidacy, self.trainee)
        candidacy = services.submit_candidacy(candidacy=candidacy, by=self.trainee)
        services.decide_admissibility(
            candidacy=candidacy, by=self.coordinator, outcome="admissible"
        )
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(services.delete_identity_documents(), 1)

        self.assertFalse(Evidence.objects.filter(pk=identity.pk).exists())
        self.assertFalse(storages["private"].exists(identity.stored_name))
        self.assertTrue(Evidence.objects.filter(pk=attestation.pk).exists())
        self.assertTrue(storages["private"].exists(attestation.stored_name))
        self.assertTrue(AuditEvent.objects.filter(action="vae.identity_documents_deleted").exists())
        self.assertEqual(services.delete_identity_documents(), 0)  # idempotent

    def test_the_candidate_chooses_the_kind_when_uploading(self):
        candidacy = make_candidacy(self.trainee, self.certification)
        self.login(self.trainee)
        from django.urls import reverse

        response = self.client.post(
            reverse("vae:evidence", args=[candidacy.pk]),
            {
                "file": pdf_upload("carte.pdf"),
                "description": "Carte d'identité",
                "kind": "identity",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Evidence.objects.get(candidacy=candidacy).kind, Evidence.Kind.IDENTITY)
