import json

from django.core.exceptions import ValidationError
from django.core.management import call_command

from certification import exchange, selectors, services
from certification.models import CompetencyFramework, LedgerEntry
from tests.base import PersonasTestCase
from tests.certification.factories import make_framework

Status = CompetencyFramework.Status


class FrameworkVersionTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.v1 = make_framework(code="pa", blocks={"B1": ["B1.1"], "B2": ["B2.1"], "B9": ["B9.1"]})

    def test_a_new_version_is_a_draft_copy_of_blocks_and_competencies(self):
        v2 = services.create_framework_version(framework=self.v1)
        self.assertEqual((v2.code, v2.version, v2.status), ("pa", 2, Status.DRAFT))
        self.assertEqual(list(v2.blocks.values_list("code", flat=True)), ["B1", "B2", "B9"])
        self.assertTrue(v2.blocks.get(code="B1").competencies.filter(code="B1.1").exists())
        self.v1.refresh_from_db()
        self.assertEqual(self.v1.status, Status.ACTIVE)

    def test_activating_a_version_retires_the_previous_one(self):
        v2 = services.create_framework_version(framework=self.v1)
        services.activate_framework(framework=v2)
        self.v1.refresh_from_db()
        v2.refresh_from_db()
        self.assertEqual(self.v1.status, Status.RETIRED)
        self.assertIsNotNone(self.v1.retired_at)
        self.assertEqual(v2.status, Status.ACTIVE)

    def test_only_a_draft_can_be_activated(self):
        with self.assertRaises(ValidationError):
            services.activate_framework(framework=self.v1)

    def test_an_old_acquisition_is_still_listed_after_a_new_version_is_activated(self):
        services.record_acquisition(
            person=self.trainee,
            block=self.v1.blocks.get(code="B1"),
            source=LedgerEntry.Source.VAE_DECISION,
        )
        services.record_acquisition(
            person=self.trainee,
            block=self.v1.blocks.get(code="B9"),
            source=LedgerEntry.Source.TRAINING_RESULT,
        )
        v2 = services.create_framework_version(framework=self.v1)
        v2.blocks.get(code="B9").delete()  # the new version drops B9
        services.activate_framework(framework=v2)

        holdings = {h.code: h for h in selectors.holdings_for_person(self.trainee, "pa")}
        # B1 acquired under v1 counts for B1 of v2 (same code), and says it came from VAE.
        self.assertTrue(holdings["B1"].acquired)
        self.assertTrue(holdings["B1"].in_force)
        self.assertTrue(holdings["B1"].through_vae)
        self.assertEqual(holdings["B1"].versions, [1])
        self.assertFalse(holdings["B2"].acquired)
        # B9 no longer exists in v2 but stays listed.
        self.assertTrue(holdings["B9"].acquired)
        self.assertFalse(holdings["B9"].in_force)


class FrameworkExchangeTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.v1 = make_framework(code="pa", blocks={"B1": ["B1.1", "B1.2"], "B2": ["B2.1"]})
        competency = cls.v1.blocks.get(code="B1").competencies.get(code="B1.1")
        competency.criteria = "Décrit son parcours\nÉcoute, reformule"
        competency.save()

    def assert_same_content(self, imported):
        self.assertEqual(imported.status, Status.DRAFT)
        self.assertEqual(imported.version, 2)
        original = exchange.framework_as_dict(self.v1)
        copy = exchange.framework_as_dict(imported)
        self.assertEqual(original["blocks"], copy["blocks"])

    def test_a_json_export_imports_back_as_a_new_draft_version(self):
        data = exchange.parse_json(exchange.export_json(self.v1))
        self.assert_same_content(services.import_framework(data=data))

    def test_a_csv_export_imports_back_as_a_new_draft_version(self):
        data = exchange.parse_csv(exchange.export_csv(self.v1))
        self.assert_same_content(services.import_framework(data=data))

    def test_the_commands_round_trip_through_a_file(self):
        path = self.id().rsplit(".", 1)[-1]
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as folder:
            for fmt in ("json", "csv"):
                target = Path(folder) / f"{path}.{fmt}"
                call_command("export_framework", "pa", format=fmt, output=str(target))
                call_command("import_framework", str(target))
        self.assertEqual(CompetencyFramework.objects.filter(code="pa").count(), 3)
        exported = json.loads(
            exchange.export_json(CompetencyFramework.objects.get(code="pa", version=3))
        )
        self.assertEqual(
            exported["blocks"][0]["competencies"][0]["criteria"],
            "Décrit son parcours\nÉcoute, reformule",
        )

    def test_a_file_without_blocks_is_refused(self):
        with self.assertRaises(ValidationError):
            services.import_framework(data={"code": "pa", "blocks": []})


class ReadOnlyVersionTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.v1 = make_framework(code="pa", blocks={"B1": ["B1.1"]})

    def test_blocks_and_competencies_of_a_version_in_force_are_read_only(self):
        block = self.v1.blocks.get(code="B1")
        block.title = "Autre"
        with self.assertRaises(ValidationError):
            block.full_clean()
        with self.assertRaises(ValidationError):
            block.competencies.get().full_clean()
        draft = services.create_framework_version(framework=self.v1)
        draft_block = draft.blocks.get(code="B1")
        draft_block.title = "Autre"
        draft_block.full_clean()  # a draft may change

    def test_nothing_can_be_acquired_under_a_draft(self):
        draft = services.create_framework_version(framework=self.v1)
        with self.assertRaises(ValidationError):
            services.record_acquisition(
                person=self.trainee,
                block=draft.blocks.get(code="B1"),
                source=LedgerEntry.Source.TRAINING_RESULT,
            )
