import base64

import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from courses.grading import resources
from courses.grading.models import Judgement, Result, ResultChange
from lms.audit.models import AuditEvent
from tests.base import PersonasTestCase

from .factories import make_assessment, make_session


class GradeImportTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.session = make_session(trainer=cls.trainer, trainees=[cls.trainee, cls.other_trainee])
        cls.assessment = make_assessment(cls.session, cls.trainer, max_score=20)
        cls.codes = [c.code for c in cls.assessment.criteria.select_related("competency")]

    def filled(self, overrides=None):
        dataset = tablib.Dataset(headers=resources.headers(self.assessment))
        for trainee in (self.trainee, self.other_trainee):
            line = [trainee.email, trainee.get_full_name()]
            for code in self.codes:
                line += ["acquis", f"Observé ({code})."]
            line += ["Beau travail.", "15"]
            dataset.append(line)
        for (row, column), value in (overrides or {}).items():
            dataset[row] = tuple(
                value if header == column else old
                for header, old in zip(dataset.headers, dataset[row], strict=True)
            )
        return dataset.export("csv").encode("utf-8")

    def upload(self, content, name="notes.csv"):
        # Under /en/: the messages are compared with the English source texts.
        with translation.override("en"):
            url = reverse("grading:import", args=[self.assessment.pk])
        return self.client.post(
            url,
            {"step": "preview", "file": SimpleUploadedFile(name, content, "text/csv")},
        )

    def test_the_template_lists_every_trainee_and_a_level_and_justification_per_criterion(self):
        self.login(self.trainer)
        response = self.client.get(
            reverse("grading:import-template", args=[self.assessment.pk, "csv"])
        )
        text = response.content.decode()
        self.assertIn(f"{self.codes[0]} level", text)
        self.assertIn(f"{self.codes[0]} justification", text)
        self.assertIn(self.trainee.email, text)
        xlsx = self.client.get(
            reverse("grading:import-template", args=[self.assessment.pk, "xlsx"])
        )
        self.assertEqual(xlsx.status_code, 200)
        self.assertTrue(xlsx.content.startswith(b"PK"))
        self.assertEqual(AuditEvent.objects.filter(action="grades.template_exported").count(), 2)

    def test_the_dry_run_lists_errors_per_line_in_plain_words_and_writes_nothing(self):
        self.login(self.trainer)
        content = self.filled(
            {
                (0, f"{self.codes[0]} level"): "super",
                (1, f"{self.codes[1]} justification"): "",
            }
        )
        response = self.upload(content)
        self.assertEqual(response.status_code, 400)
        errors = response.context["preview"].errors
        self.assertTrue(any("Line 2" in e and self.codes[0] in e for e in errors), errors)
        self.assertTrue(
            any(self.other_trainee.get_full_name() in e and self.codes[1] in e for e in errors),
            errors,
        )
        self.assertFalse(Result.objects.exists())

    def test_an_unknown_person_is_reported_with_its_line(self):
        self.login(self.trainer)
        response = self.upload(self.filled({(1, "trainee_email"): "nobody@example.org"}))
        self.assertIn("Line 3", response.context["preview"].errors[0])

    def test_a_correct_file_is_previewed_then_applied_all_at_once(self):
        self.login(self.trainer)
        response = self.upload(self.filled())
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["preview"].ok)
        self.assertFalse(Result.objects.exists())
        response = self.client.post(
            reverse("grading:import", args=[self.assessment.pk]),
            {"step": "apply", "format": "csv", "payload": response.context["payload"]},
        )
        self.assertRedirects(response, reverse("grading:grid", args=[self.assessment.pk]))
        self.assertEqual(Judgement.objects.count(), 4)
        self.assertEqual(ResultChange.objects.filter(kind="imported").count(), 2)
        self.assertTrue(AuditEvent.objects.filter(action="grades.imported").exists())

    def test_applying_a_tampered_file_writes_nothing(self):
        self.login(self.trainer)
        bad = self.filled({(1, "score"): "25"})
        response = self.client.post(
            reverse("grading:import", args=[self.assessment.pk]),
            {"step": "apply", "format": "csv", "payload": base64.b64encode(bad).decode()},
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Result.objects.exists())

    def test_an_xlsx_file_is_read_too(self):
        self.login(self.trainer)
        dataset = tablib.Dataset()
        dataset.csv = self.filled().decode()
        response = self.upload(dataset.export("xlsx"), name="notes.xlsx")
        self.assertTrue(response.context["preview"].ok, response.context["preview"].errors)
