"""The anonymised research dataset: columns, suppression, no linkage, no personal data."""

import csv
import io
from pathlib import Path

from django.core.management import call_command
from django.test import TestCase
from openpyxl import load_workbook

from lms.audit.models import AuditEvent
from lms.reports import research
from tests.reports import data


def rows_of(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


class SuppressionRuleTests(TestCase):
    """The rule itself, on hand-made rows."""

    def row(self, person, month="2025-03", region="namur", course="accompagner"):
        return {
            "person": person,
            "route": "training",
            "region": region,
            "course": course,
            "certification": "",
            "month": month,
        }

    def vae_row(self, person, certification, month="2025-03"):
        return {
            "person": person,
            "route": "vae",
            "region": "",
            "course": "",
            "certification": certification,
            "month": month,
        }

    def test_it_keeps_groups_of_k_people_and_more_as_they_are(self):
        rows = [self.row(p) for p in range(5)]
        kept, generalised, dropped = research.suppress_small_groups(rows, 5)
        self.assertEqual((len(kept), generalised, dropped), (5, 0, 0))
        self.assertEqual({r["month"] for r in kept}, {"2025-03"})

    def test_it_counts_people_not_rows(self):
        # Five rows but only two people: too small.
        rows = [self.row(p % 2) for p in range(5)]
        kept, generalised, dropped = research.suppress_small_groups(rows, 5)
        self.assertEqual((kept, dropped), ([], 5))

    def test_it_coarsens_the_month_to_the_year_then_the_region(self):
        rows = [self.row(p, month=f"2025-0{p + 1}") for p in range(5)]  # five months, 1 each
        rows += [self.row(10 + p, region=region) for p, region in enumerate(["liege"] * 2)]
        rows += [self.row(20 + p, region="hainaut", month="2024-01") for p in range(3)]
        kept, generalised, dropped = research.suppress_small_groups(rows, 5)
        by_person = {r["person"]: r for r in kept}
        # Namur: five people over five months → one year group of five.
        self.assertEqual({by_person[p]["month"] for p in range(5)}, {"2025"})
        self.assertEqual({by_person[p]["region"] for p in range(5)}, {"namur"})
        # Liège 2025 (2) and Hainaut 2024 (3) stay too small by region and year: with any
        # region they are "*"/2025 with 2 people and "*"/2024 with 3: still too small.
        self.assertEqual(dropped, 5)
        self.assertEqual(generalised, 5)

    def test_small_groups_merge_across_regions_when_that_reaches_k(self):
        rows = [self.row(p, region="liege") for p in range(2)]
        rows += [self.row(10 + p, region="hainaut") for p in range(3)]
        kept, generalised, dropped = research.suppress_small_groups(rows, 5)
        self.assertEqual((len(kept), generalised, dropped), (5, 5, 0))
        self.assertEqual({(r["region"], r["month"]) for r in kept}, {("*", "2025")})

    def test_a_rare_certification_does_not_hide_among_other_vae_candidates(self):
        # Five candidates in one month, one of them for a certification nobody else asked for:
        # VAE rows have no course, so without the certification among the quasi-identifiers
        # the five would be published and the rare one would be singled out.
        rows = [self.vae_row(p, "pair-aidant") for p in range(4)]
        rows.append(self.vae_row(4, "mediateur"))
        kept, generalised, dropped = research.suppress_small_groups(rows, 5)
        self.assertEqual((kept, dropped), ([], 5))
        rows.append(self.vae_row(5, "pair-aidant"))
        kept, generalised, dropped = research.suppress_small_groups(rows, 5)
        self.assertEqual({r["certification"] for r in kept}, {"pair-aidant"})
        self.assertEqual(dropped, 1)

    def test_hours_buckets(self):
        self.assertEqual(
            [research.hours_bucket(h) for h in (0, 0.5, 1, 11.99, 12, 47, 48, 84, 200)],
            ["0", "0", "1-11", "1-11", "12-23", "24-47", "48-83", "84+", "84+"],
        )


class ResearchDatasetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.data = data.build()

    def test_small_groups_are_generalised_or_left_out(self):
        # The known dataset has 4 people in Namur/Accompagner/2025-02 and 2 in Liège/Bases:
        # with k=5 nothing can be published; with k=2 everything can, as it is.
        self.assertEqual(research.build_dataset(k=5).rows, [])
        dataset = research.build_dataset(k=2)
        self.assertEqual((dataset.generalised, dataset.dropped), (0, 0))
        self.assertEqual(len(dataset.rows), 6)

    def test_each_enrolment_is_one_row_with_coarse_facts(self):
        dataset = research.build_dataset(k=1)
        rows = sorted(
            (
                r["course"],
                r["region"],
                r["month"],
                r["status"],
                r["attended_hours"],
                r["assessed"],
                r["certified"],
            )
            for r in dataset.rows
        )
        self.assertEqual(
            rows,
            [
                ("accompagner", "namur", "2025-02", "completed", "1-11", "no", "no"),
                ("accompagner", "namur", "2025-02", "completed", "1-11", "yes", "no"),
                ("accompagner", "namur", "2025-02", "completed", "12-23", "yes", "yes"),
                ("accompagner", "namur", "2025-02", "no_show", "0", "no", "no"),
                ("bases", "liege", "2025-03", "completed", "1-11", "no", "no"),
                ("bases", "liege", "2025-03", "completed", "1-11", "no", "no"),
            ],
        )
        self.assertEqual({r["route"] for r in dataset.rows}, {"training"})
        self.assertEqual({r["certification"] for r in dataset.rows}, {"pair-aidant", ""})

    def test_no_column_links_two_rows_to_the_same_person(self):
        # A pseudonym would let someone in two groups of k people be picked out by the pair.
        self.assertNotIn("person", research.COLUMNS)
        dataset = research.build_dataset(k=1)
        self.assertEqual(len(dataset.rows), 6)
        for row in dataset.rows:
            self.assertEqual(list(row), research.COLUMNS)
        # Amélie (the certified trainee) has two enrolments: nothing in the file ties her
        # certified row to her other one.
        certified = [r for r in dataset.rows if r["certified"] == "yes"]
        self.assertEqual(len(certified), 1)
        content, _dataset = research.export_research_dataset(by=None, fmt="csv", channel="test")
        self.assertEqual(content.decode("utf-8-sig").splitlines()[0], ",".join(research.COLUMNS))

    def test_the_file_holds_no_name_email_free_text_or_exact_date(self):
        content, _dataset = research.export_research_dataset(by=None, fmt="csv", channel="test")
        text = content.decode("utf-8-sig")
        # k=5 publishes nothing here: force the rows out to scan them too.
        with self.settings(REPORTS_RESEARCH_K=1):
            content, _dataset = research.export_research_dataset(by=None, fmt="csv", channel="test")
        text += content.decode("utf-8-sig")
        for person in self.data.people.values():
            for secret in (
                person.first_name,
                person.last_name,
                person.email,
                person.email.split("@")[0],
            ):
                self.assertNotIn(secret.lower(), text.lower())
        for free_text in ("Très bien", "Un retour", "Lefèvre"):
            self.assertNotIn(free_text, text)
        self.assertNotRegex(text, r"\d{4}-\d{2}-\d{2}")
        self.assertEqual(rows_of(content)[0].keys(), set(research.COLUMNS))

    def test_every_export_is_audited_without_personal_data(self):
        with self.settings(REPORTS_RESEARCH_K=1):
            research.export_research_dataset(by=None, fmt="xlsx", channel="test")
        event = AuditEvent.objects.get(action="reports.research_exported")
        self.assertEqual(event.data["rows"], 6)
        self.assertEqual(event.data["format"], "xlsx")

    def test_the_command_writes_csv_and_xlsx(self):
        folder = Path(self.enterContext(__import__("tempfile").TemporaryDirectory()))
        with self.settings(REPORTS_RESEARCH_K=1):
            call_command("export_research", str(folder / "out.csv"), stdout=io.StringIO())
            call_command("export_research", str(folder / "out.xlsx"), stdout=io.StringIO())
        self.assertEqual(len(rows_of((folder / "out.csv").read_bytes())), 6)
        sheet = load_workbook(folder / "out.xlsx").active
        self.assertEqual([c.value for c in sheet[1]], research.COLUMNS)
        self.assertEqual(sheet.max_row, 7)
        self.assertEqual(AuditEvent.objects.filter(action="reports.research_exported").count(), 2)

    def test_a_file_that_cannot_be_written_leaves_no_audit_event(self):
        from django.core.management.base import CommandError

        folder = Path(self.enterContext(__import__("tempfile").TemporaryDirectory()))
        (folder / "out.csv").mkdir()  # a folder where the file should go
        with self.assertRaises(CommandError):
            call_command("export_research", str(folder / "out.csv"), stdout=io.StringIO())
        self.assertFalse(AuditEvent.objects.filter(action="reports.research_exported").exists())

    def test_the_command_refuses_an_unknown_format(self):
        from django.core.management.base import CommandError

        with self.assertRaises(CommandError):
            call_command("export_research", "out.pdf")
        self.assertFalse(AuditEvent.objects.filter(action="reports.research_exported").exists())
