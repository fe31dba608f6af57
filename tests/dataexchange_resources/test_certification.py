"""Frameworks (drafts only), and the export-only ledger, certificates and VAE outcomes."""

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from certification.models import (
    Certificate,
    Competency,
    CompetencyFramework,
    LedgerEntry,
)
from courses.models import Enrolment
from lms.accounts.roles import Role
from tests.certification.factories import CertificationFactory, make_framework
from tests.courses.factories import ModuleFactory, SessionFactory
from tests.dataexchange_resources.helpers import (
    dataset,
    export,
    kinds,
    replace,
    row_errors,
    run_import,
)
from tests.lms.factories import UserFactory
from vae.models import BlockOutcome, Candidacy, JuryDecision


class FrameworkDatasetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.active = make_framework(code="pair", blocks={"B1": ["B1.1", "B1.2"], "B2": ["B2.1"]})

    def test_round_trip_is_unchanged_even_for_a_version_in_force(self):
        data = export("frameworks")
        self.assertEqual(data.dict[0]["framework"], "pair")
        self.assertEqual(kinds(run_import("frameworks", data)), {"skip": 3})

    def test_a_new_version_number_imports_a_draft(self):
        data = export("frameworks")
        rows = [dict(r, version="2") for r in data.dict]
        rows[0]["label"] = "Utiliser son vécu avec discernement"
        new = dataset(data.headers, *[[r[h] for h in data.headers] for r in rows])
        new.append(["pair", "2", "", "B3", "Crise", "B3.1", "Repérer une crise", "", "0", ""])
        self.assertEqual(kinds(run_import("frameworks", new)), {"new": 4})
        draft = CompetencyFramework.objects.get(code="pair", version=2)
        self.assertEqual(draft.status, CompetencyFramework.Status.DRAFT)
        self.assertEqual(draft.blocks.count(), 3)
        # A second import of the same file updates nothing and duplicates nothing.
        self.assertEqual(kinds(run_import("frameworks", new)), {"skip": 4})

    def test_a_changed_draft_competency_is_updated(self):
        draft = make_framework(code="brouillon", status="draft", blocks={"B1": ["B1.1"]})
        data = replace(
            export("frameworks", Competency.objects.filter(block__framework=draft)),
            "label",
            "Nouveau libellé",
        )
        self.assertEqual(kinds(run_import("frameworks", data)), {"update": 1})
        self.assertEqual(Competency.objects.get(block__framework=draft).label, "Nouveau libellé")

    def test_a_version_in_force_never_changes_and_nothing_is_written(self):
        data = replace(export("frameworks"), "label", "Autre chose", row=0)
        data.append(["pair", "1", "", "B9", "Nouveau", "B9.1", "Nouveau", "", "0", ""])
        result = run_import("frameworks", data)
        self.assertTrue(result.has_validation_errors())
        self.assertEqual([line for line, _e in row_errors(result)], [1, 4])
        self.assertFalse(self.active.blocks.filter(code="B9").exists())


class ExportOnlyDatasetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.coordinator = UserFactory(email="coord@example.org", role=Role.COORDINATOR)
        cls.framework = make_framework(code="pair", blocks={"B1": ["B1.1"], "B2": ["B2.1"]})
        cls.certification = CertificationFactory(code="pair-aidant", framework_code="pair")

    def make_rows(self, count):
        blocks = list(self.framework.blocks.all())
        for index in range(count):
            person = UserFactory(email=f"p{index}-{count}@example.org")
            LedgerEntry.objects.create(
                person=person,
                kind="block",
                block=blocks[0],
                source="coordinator_decision",
                recorded_by=self.coordinator,
            )
            LedgerEntry.objects.create(
                person=person,
                kind="hours",
                hours_kind="ethics",
                hours=6,
                source="coordinator_decision",
            )
            Certificate.objects.create(
                holder=person,
                certification=self.certification,
                code=f"C{count}-{index:04d}",
                register_number=count * 100 + index,
                name_as_printed=f"Personne {index}",
                framework=self.framework,
            )
            candidacy = Candidacy.objects.create(candidate=person, certification=self.certification)
            decision = JuryDecision.objects.create(
                candidacy=candidacy,
                overall="partial",
                decided_by=self.coordinator,
                recommendations="Secret",
            )
            BlockOutcome.objects.create(
                decision=decision, block=blocks[0], acquired=True, justification="Secret"
            )
            BlockOutcome.objects.create(
                decision=decision, block=blocks[1], acquired=False, justification="Secret"
            )

    def test_exports_hold_codes_emails_statuses_and_dates(self):
        self.make_rows(1)
        ledger = export("ledger").dict
        self.assertEqual(
            {(r["person_email"], r["kind"], r["target"], r["status"]) for r in ledger},
            {
                ("p0-1@example.org", "block", "B1", "current"),
                ("p0-1@example.org", "hours", "", "current"),
            },
        )
        [certificate] = export("certificates").dict
        self.assertEqual(certificate["holder_email"], "p0-1@example.org")
        self.assertEqual((certificate["status"], certificate["framework"]), ("valid", "pair v1"))
        self.assertRegex(certificate["issued_at"], r"^\d{4}-\d\d-\d\dT")

    def test_vae_outcomes_hold_decision_facts_only(self):
        self.make_rows(1)
        data = export("vae-outcomes")
        [row] = data.dict
        self.assertEqual(row["blocks_acquired"], "B1")
        self.assertEqual(row["blocks_not_acquired"], "B2")
        self.assertEqual(row["overall"], "partial")
        self.assertTrue(row["candidacy"].startswith("VAE-"))
        self.assertNotIn("Secret", str(data.dict))
        self.assertNotIn("p0-1@example.org", str(data.dict))

    def test_export_only_datasets_refuse_imports(self):
        self.make_rows(1)
        for name in ("ledger", "certificates", "vae-outcomes"):
            with self.subTest(name):
                result = run_import(name, export(name))
                self.assertTrue(result.has_errors())
        self.assertEqual(LedgerEntry.objects.count(), 2)

    def test_exports_run_a_fixed_number_of_queries(self):
        names = [
            "ledger",
            "certificates",
            "vae-outcomes",
            "frameworks",
            "courses",
            "modules",
            "sessions",
            "meetings",
            "enrolments",
            "attendance",
            "results",
        ]
        counts = {}
        for size in (2, 6):
            self.make_rows(size)
            for _ in range(size):
                module = ModuleFactory()
                session = SessionFactory(course=module.course, module=module)
                Enrolment.objects.create(
                    session=session, trainee=UserFactory(), status=Enrolment.Status.CONFIRMED
                )
            for name in names:
                with CaptureQueriesContext(connection) as queries:
                    data = export(name)
                self.assertTrue(
                    name in ("attendance", "results", "frameworks") or len(data) >= size, name
                )
                counts.setdefault(name, []).append(len(queries))
        for name, (small, large) in counts.items():
            self.assertEqual(small, large, f"{name}: {small} then {large} queries")


class RegistryTests(TestCase):
    def test_every_dataset_is_registered_with_a_permission_coordinators_hold(self):
        from lms.dataexchange import registry

        coordinator = UserFactory(email="coord2@example.org", role=Role.COORDINATOR)
        names = {e.name: e for e in registry.all_exchanges()}
        expected = {
            "courses",
            "modules",
            "sessions",
            "meetings",
            "enrolments",
            "attendance",
            "results",
            "frameworks",
            "ledger",
            "certificates",
            "vae-outcomes",
        }
        self.assertLessEqual(expected, set(names))
        for name in expected:
            with self.subTest(name):
                self.assertTrue(coordinator.has_perm(names[name].permission), name)
        for name in ("ledger", "certificates", "vae-outcomes"):
            self.assertFalse(names[name].can_import)
