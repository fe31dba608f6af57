"""The candidate's guided space: open, fill step by step, send; refusals shown kindly."""

from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse, translate_url

from tests.base import PersonasTestCase
from tests.vae.factories import fill_portfolio, make_candidacy, make_vae_certification, pdf_upload
from vae.models import Candidacy, Evidence, Experience, LivedExperienceNarrative, SelfAssessment


def _stored_files():
    root = Path(settings.STORAGES["private"]["OPTIONS"]["location"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


class CandidateSpaceTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework, cls.certification, cls.modules = make_vae_certification()

    def test_a_trainee_opens_a_candidacy_and_lands_on_the_first_step(self):
        self.login(self.trainee)
        response = self.client.post(
            reverse("vae:my-candidacies"),
            {"certification": self.certification.pk, "request": "full"},
        )
        candidacy = Candidacy.objects.get(candidate=self.trainee)
        self.assertRedirects(response, reverse("vae:experiences", args=[candidacy.pk]))
        response = self.client.get(reverse("vae:experiences", args=[candidacy.pk]))
        self.assertContains(response, 'aria-current="step"')
        self.assertContains(response, "<progress")

    def test_the_dates_of_an_experience_are_labelled_as_a_period(self):
        # Not "previous status" (the models' "from", shared with status changes).
        candidacy = make_candidacy(self.trainee, self.certification)
        self.login(self.trainee)
        url = reverse("vae:experiences", args=[candidacy.pk])
        for language, start, end, wrong in (
            ("fr", "Du", "Au", "statut précédent"),
            ("nl", "Van", "Tot", "vorige status"),
        ):
            with self.subTest(language=language):
                response = self.client.get(translate_url(url, language))
                self.assertContains(response, f'<label for="id_started_on">{start} <span')
                self.assertContains(response, f'<label for="id_ended_on">{end}</label>')
                self.assertNotContains(response, wrong)

    def test_each_step_saves_as_you_go(self):
        candidacy = make_candidacy(self.trainee, self.certification)
        self.login(self.trainee)
        self.client.post(
            reverse("vae:experiences", args=[candidacy.pk]),
            {
                "kind": "peer_support",
                "organisation": "",
                "role": "Soutien entre pairs dans mon quartier",
                "started_on": "2019-03-01",
                "hours": "300",
            },
        )
        self.assertEqual(Experience.objects.filter(candidacy=candidacy).count(), 1)
        block = self.framework.blocks.get(code="B1")
        url = reverse("vae:self-assessment-block", args=[candidacy.pk, block.pk])
        data = {f"competency_{c.pk}": "partly" for c in block.competencies.all()}
        data["narrative"] = "J'ai animé un groupe."
        response = self.client.post(url, data)
        next_block = self.framework.blocks.get(code="B2")
        self.assertRedirects(
            response, reverse("vae:self-assessment-block", args=[candidacy.pk, next_block.pk])
        )
        self.assertEqual(
            SelfAssessment.objects.filter(candidacy=candidacy, level="partly").count(),
            block.competencies.count(),
        )
        self.client.post(
            reverse("vae:lived-experience", args=[candidacy.pk]), {"action": "consent"}
        )
        self.client.post(
            reverse("vae:lived-experience", args=[candidacy.pk]),
            {"action": "save", "text": "Mon chemin"},
        )
        self.assertEqual(LivedExperienceNarrative.objects.get().text, "Mon chemin")

    def test_sending_without_the_sworn_statement_is_refused_with_a_message(self):
        candidacy = make_candidacy(self.trainee, self.certification)
        self.login(self.trainee)
        response = self.client.post(reverse("vae:statement", args=[candidacy.pk]), {})
        self.assertEqual(response.status_code, 200)
        candidacy.refresh_from_db()
        self.assertEqual(candidacy.status, "draft")

    def test_sending_a_complete_candidacy(self):
        candidacy = make_candidacy(self.trainee, self.certification)
        fill_portfolio(candidacy, self.trainee)
        self.login(self.trainee)
        response = self.client.post(reverse("vae:statement", args=[candidacy.pk]), {"sworn": "on"})
        self.assertRedirects(response, reverse("vae:candidacy-detail", args=[candidacy.pk]))
        candidacy.refresh_from_db()
        self.assertEqual(candidacy.status, "submitted")

    def test_a_forbidden_action_shows_a_message_not_an_error_page(self):
        candidacy = make_candidacy(self.trainee, self.certification)
        self.login(self.trainee)
        url = reverse("vae:candidate-action", args=[candidacy.pk, "appeal"])
        response = self.client.post(url, {"reason": "Je conteste"}, follow=True)
        self.assertEqual(response.status_code, 200)
        messages = [str(m) for m in response.context["messages"]]
        self.assertEqual(len(messages), 1)
        self.assertIn(str(Candidacy.Status.APPEALED.label), messages[0])

    def test_a_disguised_upload_is_refused_kindly_and_nothing_is_stored(self):
        candidacy = make_candidacy(self.trainee, self.certification)
        self.login(self.trainee)
        upload = SimpleUploadedFile(
            "diplome.pdf", b"<html><body>pas un PDF</body></html>", content_type="application/pdf"
        )
        response = self.client.post(
            reverse("vae:evidence", args=[candidacy.pk]), {"file": upload, "description": "x"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("file", response.context["form"].errors)
        self.assertFalse(Evidence.objects.exists())
        self.assertEqual(_stored_files(), [])

    def test_a_real_document_is_added(self):
        candidacy = make_candidacy(self.trainee, self.certification)
        self.login(self.trainee)
        response = self.client.post(
            reverse("vae:evidence", args=[candidacy.pk]), {"file": pdf_upload(), "description": ""}
        )
        self.assertRedirects(response, reverse("vae:evidence", args=[candidacy.pk]))
        self.assertEqual(len(_stored_files()), 1)

    def test_another_trainee_cannot_open_or_change_my_file(self):
        candidacy = make_candidacy(self.trainee, self.certification)
        self.login(self.other_trainee)
        for name in (
            "candidacy-detail",
            "experiences",
            "evidence",
            "lived-experience",
            "statement",
        ):
            with self.subTest(name=name):
                self.assertEqual(
                    self.client.get(reverse(f"vae:{name}", args=[candidacy.pk])).status_code, 404
                )
        response = self.client.post(
            reverse("vae:evidence", args=[candidacy.pk]), {"file": pdf_upload()}
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(_stored_files(), [])

    def test_an_anonymous_visitor_is_sent_to_sign_in(self):
        response = self.client.get(reverse("vae:my-candidacies"))
        self.assertEqual(response.status_code, 302)


class EveryPageRendersTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework, cls.certification, cls.modules = make_vae_certification()

    def test_every_step_and_the_overview_render_in_english_after_a_decision(self):
        from tests.vae.factories import verdicts
        from vae import services

        candidacy = make_candidacy(
            self.trainee,
            self.certification,
            status="jury_scheduled",
            coordinator=self.coordinator,
            jury=(self.assessor, self.other_assessor),
        )
        services.record_jury_decision(
            candidacy=candidacy,
            chair=self.assessor,
            overall="partial",
            verdicts=verdicts(self.framework, {"B1", "B2"}),
            recommendations="Suivre B3 et B4.",
            recommended_modules=[self.modules["B3"]],
        )
        self.login(self.trainee)
        block = self.framework.blocks.first()
        urls = [
            reverse("vae:my-candidacies"),
            reverse("vae:candidacy-detail", args=[candidacy.pk]),
            reverse("vae:experiences", args=[candidacy.pk]),
            reverse("vae:self-assessment-block", args=[candidacy.pk, block.pk]),
            reverse("vae:evidence", args=[candidacy.pk]),
            reverse("vae:lived-experience", args=[candidacy.pk]),
            reverse("vae:statement", args=[candidacy.pk]),
        ]
        for url in urls:
            with self.subTest(url=url):
                response = self.client.get(
                    url.replace("/fr/", "/en/", 1) if url.startswith("/fr/") else url
                )
                self.assertEqual(response.status_code, 200)
        response = self.client.get(reverse("vae:candidacy-detail", args=[candidacy.pk]))
        self.assertContains(response, "Suivre B3 et B4.")
        self.assertContains(response, "Justification pour B1")
        self.assertNotContains(response, 'aria-current="step"')
