"""Waiting-list pressure and VAE outcomes, on small known data."""

from datetime import date

from django.test import TestCase
from django.utils import translation

from courses import reports as course_reports
from courses import services as course_services
from courses.models import Enrolment, Region
from lms.accounts.roles import Role
from lms.reports import research
from lms.reports.registry import ReportFilters
from tests.certification.factories import CertificationFactory
from tests.certification.helpers import make_certification
from tests.courses.factories import CourseFactory, SessionFactory, VenueFactory
from tests.lms.factories import UserFactory
from tests.reports.data import at
from vae import reports as vae_reports
from vae.models import BlockOutcome, Candidacy, JuryDecision


class WaitingListPressureTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        trainees = [UserFactory(role=Role.TRAINEE) for _ in range(5)]
        course = CourseFactory()
        namur = VenueFactory(region=Region.NAMUR)
        full = SessionFactory(course=course, venue=namur, capacity=1)
        # Another upcoming session in Namur with free places, nobody waiting.
        SessionFactory(course=course, venue=VenueFactory(region=Region.NAMUR), capacity=8)
        online = SessionFactory(course=course, venue=None, format="online", capacity=1)
        for trainee in trainees[:4]:
            course_services.enrol_trainee(session=full, trainee=trainee)
        for trainee in trainees[3:]:
            course_services.enrol_trainee(session=online, trainee=trainee)
        # One person leaves the Namur waiting list: they joined it, but no longer wait.
        leaving = Enrolment.objects.get(session=full, trainee=trainees[3])
        course_services.cancel_enrolment(enrolment=leaving, by=trainees[3])
        cls.course = course

    def setUp(self):
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def test_it_counts_who_joined_who_still_waits_and_the_places_to_come(self):
        table = course_reports._waiting(ReportFilters())
        self.assertEqual(table.rows, [["Namur", 3, 2, 9], ["Online", 1, 1, 1]])

    def test_the_period_only_narrows_who_joined(self):
        table = course_reports._waiting(ReportFilters(end=date(2020, 1, 1)))
        self.assertEqual(table.rows, [["Namur", 0, 2, 9], ["Online", 0, 1, 1]])

    def test_the_region_filter_keeps_one_region(self):
        table = course_reports._waiting(ReportFilters(region="online"))
        self.assertEqual(table.rows, [["Online", 1, 1, 1]])


class VaeReportsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        chair = UserFactory(role=Role.ASSESSOR)
        framework, certification = make_certification()
        other_certification = CertificationFactory(framework_code="autre")
        cls.course = CourseFactory(certification=certification)
        blocks = list(framework.blocks.order_by("position"))

        def candidacy(status, created, target=certification):
            return Candidacy.objects.create(
                candidate=UserFactory(role=Role.TRAINEE),
                certification=target,
                status=status,
                created_at=created,
            )

        candidacy(Candidacy.Status.SUBMITTED, at(2025, 1, 10))
        candidacy(Candidacy.Status.SUBMITTED, at(2025, 2, 10))
        candidacy(Candidacy.Status.ADMISSIBLE, at(2025, 2, 11))
        full = candidacy(Candidacy.Status.DECIDED, at(2025, 1, 5))
        appealed = candidacy(Candidacy.Status.DECIDED, at(2025, 1, 6))
        candidacy(Candidacy.Status.WITHDRAWN, at(2024, 12, 1))
        candidacy(Candidacy.Status.SUBMITTED, at(2025, 1, 7), target=other_certification)

        def decide(file, overall, acquired, when, supersedes=None):
            decision = JuryDecision.objects.create(
                candidacy=file,
                overall=overall,
                decided_by=chair,
                decided_at=when,
                supersedes=supersedes,
            )
            for block in blocks:
                BlockOutcome.objects.create(
                    decision=decision,
                    block=block,
                    acquired=block.code in acquired,
                    justification="Observé",
                )
            return decision

        decide(full, JuryDecision.Overall.FULL, {"B1", "B2", "B3", "B4"}, at(2025, 4, 1))
        first = decide(appealed, JuryDecision.Overall.NONE, set(), at(2025, 4, 1))
        # The appeal replaces the first decision: only the final one counts.
        decide(appealed, JuryDecision.Overall.PARTIAL, {"B1", "B2"}, at(2025, 6, 1), first)
        cls.blocks = blocks

    def setUp(self):
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def tables(self, **filters):
        return {t.key: t for t in vae_reports.SECTION.build(ReportFilters(**filters))}

    def test_it_counts_candidacies_per_status(self):
        table = self.tables()["vae_status"]
        self.assertEqual(
            table.rows, [["Submitted", 3], ["Admissible", 1], ["Decided", 2], ["Withdrawn", 1]]
        )
        self.assertEqual(table.total[1], 7)

    def test_the_period_and_course_filters_narrow_candidacies(self):
        table = self.tables(start=date(2025, 1, 1), course=self.course.pk)["vae_status"]
        self.assertEqual(table.rows, [["Submitted", 2], ["Admissible", 1], ["Decided", 2]])

    def test_it_counts_final_decisions_only(self):
        self.assertEqual(
            self.tables()["vae_decisions"].rows, [["Full award", 1], ["Partial award", 1]]
        )
        self.assertEqual(
            self.tables(end=date(2025, 4, 30))["vae_decisions"].rows, [["Full award", 1]]
        )

    def test_it_counts_blocks_acquired_and_not_in_final_decisions(self):
        rows = self.tables()["vae_blocks"].rows
        self.assertEqual([row[1:] for row in rows], [[2, 0], [2, 0], [1, 1], [1, 1]])
        self.assertEqual([row[0].split()[0] for row in rows], [b.code for b in self.blocks])

    def test_the_region_filter_does_not_apply_and_says_so(self):
        table = self.tables(region="namur")["vae_status"]
        self.assertEqual(table.total[1], 7)
        self.assertIn("region", str(table.note))

    def test_the_research_file_has_one_row_per_candidacy_without_region_or_course(self):
        rows = [r for r in research.build_dataset(k=1).rows if r["route"] == "vae"]
        self.assertEqual(len(rows), 7)
        self.assertEqual(
            {(r["region"], r["course"], r["attended_hours"]) for r in rows}, {("", "", "")}
        )
        self.assertEqual(sorted(r["assessed"] for r in rows), ["no"] * 5 + ["yes"] * 2)
        self.assertEqual(sorted(r["month"] for r in rows)[0], "2024-12")
