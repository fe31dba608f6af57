"""The trainee's space ("Mon espace") costs a fixed number of queries, whatever they hold."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certification import services as certification_services
from certification.models import LedgerEntry
from courses.grading import services as grading_services
from courses.grading.models import AttendanceRecord
from courses.models import Enrolment
from lms.notifications.models import Notification
from tests.base import PersonasTestCase
from tests.certification.helpers import make_certification, make_eligible
from tests.grading.factories import (
    attend,
    certification_with_rules,
    grade_all,
    make_assessment,
    make_session,
)
from tests.vae.factories import make_candidacy
from vae.models import Candidacy

MAX_QUERIES = 20


class DashboardQueryCountTests(PersonasTestCase):
    """Julie (``trainee``) holds a little; Kevin (``other_trainee``) holds much more."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        little, much = cls.trainee, cls.other_trainee
        cls.certifications = [
            certification_with_rules(f"dash-fw-{i}", required_block_codes=["B1"]) for i in range(2)
        ]
        # Two sessions over, two to come, in courses leading to two certifications.
        cls.sessions = [
            make_session(
                trainer=cls.trainer,
                trainees=[much],
                certification=cls.certifications[i % 2],
                framework_code=f"dash-fw-{i % 2}" if i < 2 else None,
                days=days,
            )
            for i, days in enumerate([-40, -14, 20, 45])
        ]
        Enrolment.objects.create(
            session=cls.sessions[2], trainee=little, status=Enrolment.Status.CONFIRMED
        )
        # Released results in both sessions over, with attendance (one absence).
        for session in cls.sessions[:2]:
            assessment = make_assessment(session, cls.trainer)
            grade_all(assessment, cls.trainer, [much])
            grading_services.mark_ready_for_review(assessment=assessment, by=cls.trainer)
            grading_services.release_results(assessment=assessment, by=cls.trainer)
            meetings = list(session.meetings.order_by("starts_at"))
            attend(meetings[0], much)
            attend(meetings[1], much, status=AttendanceRecord.Status.ABSENT)
        # A certificate.
        framework, cls.held = make_certification()
        make_eligible(much, framework, source=LedgerEntry.Source.VAE_DECISION)
        with cls.captureOnCommitCallbacks(execute=True):
            cls.certificate = certification_services.issue_certificate(
                person=much, certification=cls.held, issued_by=cls.coordinator
            )
        # VAE candidacies towards the two other certifications.
        for certification in cls.certifications:
            make_candidacy(much, certification)
        # Notifications, read and unread.
        for i in range(12):
            Notification.objects.create(
                recipient=much,
                event="test",
                title=f"Message {i}",
                url="/",
                dedupe_key=f"dash-{i}",
                read_at=timezone.now() if i % 3 == 0 else None,
            )
        Notification.objects.create(
            recipient=little, event="test", title="Bienvenue", dedupe_key="dash-little"
        )

    def queries_for(self, person) -> list[str]:
        self.login(person)
        url = reverse("accounts:dashboard")
        self.assertEqual(self.client.get(url).status_code, 200)  # warm the session
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return [query["sql"] for query in captured.captured_queries]

    def test_the_data_is_on_the_page(self):
        self.login(self.other_trainee)
        response = self.client.get(reverse("accounts:dashboard"))
        for session in self.sessions:
            self.assertContains(response, session.title)
        for candidacy in Candidacy.objects.filter(candidate=self.other_trainee):
            self.assertContains(response, candidacy.reference)
        self.assertContains(response, self.certificate.certification.title)
        for certification in self.certifications:
            self.assertContains(response, f'id="progress-{certification.pk}-B1"')
        self.assertContains(response, "50 %")  # attendance below the minimum
        unread = Notification.objects.filter(recipient=self.other_trainee, read_at=None).count()
        self.assertContains(response, f'<span class="badge">{unread}<')

    def test_the_panels_say_what_the_detailed_selectors_say(self):
        """The dashboard reads everything once; the pages behind it read it their own way."""
        from certification import eligibility
        from certification.models import Certification
        from certification.selectors import holdings_for_person, person_standing
        from courses.grading import selectors

        person = self.other_trainee
        standing = person_standing(person)
        panel = selectors.trainee_panel_overview(person, standing)
        overview = selectors.trainee_overview(person)

        self.assertEqual(panel["results_count"], len(overview["results"]))
        self.assertEqual(panel["results_count"], 2)
        self.assertEqual(
            [(r.session, r.summary) for r in panel["attendance_rows"]],
            [(r.session, r.summary) for r in overview["attendance_rows"]],
        )
        self.assertEqual(len(panel["attendance_rows"]), 2)
        self.assertEqual(
            [(c, [vars(h) for h in holdings]) for c, holdings in panel["progress"]],
            [(c, [vars(h) for h in holdings]) for c, holdings in overview["progress"]],
        )
        self.assertEqual(len(panel["progress"]), 2)
        for certification in Certification.objects.all():
            self.assertEqual(
                [vars(h) for h in standing.holdings(certification.framework_code)],
                [vars(h) for h in holdings_for_person(person, certification.framework_code)],
            )
        expected = [
            eligibility._evaluate(certification, [person.pk])[person.pk]
            for certification in Certification.objects.select_related("rules")
        ]
        checklists = standing.checklists()
        self.assertEqual(len(checklists), 3)
        self.assertEqual(
            [
                (e.certification, e.blocks, e.hours, e.attendance_rate, e.summary)
                for e in checklists
            ],
            [
                (e.certification, e.blocks, e.hours, e.attendance_rate, e.summary)
                for e in expected
                if e.framework is not None
            ],
        )

    def test_the_query_count_is_small_and_does_not_grow_with_the_trainees_data(self):
        little = self.queries_for(self.trainee)
        much = self.queries_for(self.other_trainee)

        self.assertEqual(len(little), len(much), "\n".join(much))
        self.assertLessEqual(len(much), MAX_QUERIES, "\n".join(much))
