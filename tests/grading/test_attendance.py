import io
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from certification.models import AttendanceRecord as CertificationAttendance
from courses.grading import selectors, services
from courses.grading.models import AttendanceRecord, MakeUp
from courses.models import Meeting
from tests.base import PersonasTestCase

from .factories import attend, certification_with_rules, make_session

Status = AttendanceRecord.Status


class RecordAttendanceTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Two past meetings of 6 hours each.
        cls.session = make_session(trainer=cls.trainer, trainees=[cls.trainee, cls.other_trainee])
        cls.first, cls.second = cls.session.meetings.order_by("starts_at")

    def test_it_records_the_whole_group_at_once(self):
        services.record_attendance(
            meeting=self.first,
            marks={
                self.trainee.pk: (Status.LATE, 30, "Train en retard"),
                self.other_trainee.pk: (Status.ABSENT, 0, ""),
            },
            by=self.trainer,
        )
        late = AttendanceRecord.objects.get(trainee=self.trainee)
        self.assertEqual(
            (late.status, late.minutes_late, late.recorded_by), ("late", 30, self.trainer)
        )
        self.assertEqual(late.attended_hours, Decimal("5.50"))
        self.assertEqual(AttendanceRecord.objects.count(), 2)

    def test_recording_again_corrects_the_marks_without_duplicates(self):
        for status in (Status.ABSENT, Status.PRESENT):
            services.record_attendance(
                meeting=self.first, marks={self.trainee.pk: (status, 0, "")}, by=self.trainer
            )
        self.assertEqual(AttendanceRecord.objects.get().status, Status.PRESENT)

    def test_one_wrong_line_writes_nothing(self):
        with self.assertRaises(ValidationError) as caught:
            services.record_attendance(
                meeting=self.first,
                marks={
                    self.trainee.pk: (Status.PRESENT, 0, ""),
                    self.other_trainee.pk: (Status.LEFT_EARLY, 600, ""),
                },
                by=self.trainer,
            )
        self.assertIn(self.other_trainee.get_full_name(), caught.exception.messages[0])
        self.assertFalse(AttendanceRecord.objects.exists())

    def test_someone_outside_the_session_cannot_be_marked(self):
        with self.assertRaises(ValidationError):
            services.record_attendance(
                meeting=self.first,
                marks={self.outsider.pk: (Status.PRESENT, 0, "")},
                by=self.trainer,
            )

    def test_attended_hours_and_rate_are_computed_per_trainee_with_a_warning_below_80(self):
        attend(self.first, self.trainee, Status.LEFT_EARLY, minutes_left_early=60)
        attend(self.second, self.trainee, Status.PRESENT)
        attend(self.first, self.other_trainee, Status.PRESENT)
        attend(self.second, self.other_trainee, Status.ABSENT)
        summaries = selectors.session_attendance(self.session, [self.trainee, self.other_trainee])
        mine, theirs = summaries[self.trainee.pk], summaries[self.other_trainee.pk]
        self.assertEqual(
            (mine.attended_hours, mine.planned_hours), (Decimal("11.00"), Decimal("12.00"))
        )
        self.assertEqual(mine.rate, Decimal("91.67"))
        self.assertFalse(mine.below_threshold)
        self.assertEqual(theirs.rate, Decimal("50.00"))
        self.assertTrue(theirs.below_threshold)

    def test_the_certification_minimum_replaces_80_percent(self):
        certification = certification_with_rules(
            "grading-att-fw", min_attendance_rate=Decimal("95")
        )
        session = make_session(
            trainer=self.trainer,
            trainees=[self.trainee],
            certification=certification,
            framework_code="grading-att-fw",
        )
        first, second = session.meetings.all()
        attend(first, self.trainee, Status.PRESENT)
        attend(second, self.trainee, Status.LATE, minutes_late=60)
        summary = selectors.session_attendance(session, [self.trainee])[self.trainee.pk]
        self.assertEqual(selectors.threshold_for(session), Decimal("95"))
        self.assertTrue(summary.below_threshold)
        self.assertEqual(services.push_attendance_rates(session=session), 1)
        self.assertEqual(
            CertificationAttendance.objects.get(person=self.trainee).rate, Decimal("91.67")
        )

    def test_summaries_take_a_fixed_number_of_queries(self):
        attend(self.first, self.trainee)
        with self.assertNumQueries(3):
            selectors.attendance_summaries(
                meetings=Meeting.objects.filter(session=self.session),
                trainee_ids=[self.trainee.pk, self.other_trainee.pk],
            )

    def test_an_excused_absence_made_up_in_another_town_counts_as_attended(self):
        attend(self.first, self.trainee, Status.EXCUSED)
        attend(self.second, self.trainee, Status.PRESENT)
        other = make_session(trainer=self.other_trainer, trainees=[])
        other.module = self.session.module
        other.course = self.session.course
        other.save()
        services.record_make_up(
            trainee=self.trainee,
            missed_meeting=self.first,
            make_up_meeting=other.meetings.first(),
            by=self.trainer,
        )
        summary = selectors.session_attendance(self.session, [self.trainee])[self.trainee.pk]
        self.assertEqual(summary.rate, Decimal("100.00"))

    def test_only_an_excused_absence_can_be_made_up_in_the_same_module(self):
        attend(self.first, self.trainee, Status.ABSENT)
        other = make_session(trainer=self.other_trainer)
        with self.assertRaises(ValidationError):
            services.record_make_up(
                trainee=self.trainee,
                missed_meeting=self.first,
                make_up_meeting=other.meetings.first(),
                by=self.trainer,
            )


class AttendanceScreenTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.session = make_session(trainer=cls.trainer, trainees=[cls.trainee, cls.other_trainee])
        cls.meeting = cls.session.meetings.first()

    def test_one_form_saves_the_whole_group(self):
        self.login(self.trainer)
        url = reverse("grading:attendance", args=[self.meeting.pk])
        page = self.client.get(url)
        self.assertContains(page, f'name="t{self.trainee.pk}-status"', count=5)
        response = self.client.post(
            url,
            {
                f"t{self.trainee.pk}-status": "present",
                f"t{self.other_trainee.pk}-status": "late",
                f"t{self.other_trainee.pk}-minutes": "15",
            },
        )
        self.assertRedirects(response, reverse("grading:session", args=[self.session.pk]))
        self.assertEqual(AttendanceRecord.objects.get(trainee=self.other_trainee).minutes_late, 15)

    def test_an_error_keeps_what_was_typed_and_saves_nothing(self):
        self.login(self.trainer)
        response = self.client.post(
            reverse("grading:attendance", args=[self.meeting.pk]),
            {
                f"t{self.trainee.pk}-status": "present",
                f"t{self.trainee.pk}-note": "Arrivée à l'heure",
                f"t{self.other_trainee.pk}-status": "late",
                f"t{self.other_trainee.pk}-minutes": "9999",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Arrivée à l&#x27;heure", status_code=400)
        self.assertFalse(AttendanceRecord.objects.exists())

    def test_the_session_page_warns_about_attendance_below_the_minimum(self):
        attend(self.meeting, self.trainee, Status.ABSENT)
        attend(self.meeting, self.other_trainee, Status.PRESENT)
        self.login(self.trainer)
        response = self.client.get(reverse("grading:session", args=[self.session.pk]))
        rows = dict(response.context["attendance_rows"])
        self.assertTrue(rows[self.trainee].below_threshold)
        self.assertFalse(rows[self.other_trainee].below_threshold)
        self.login(self.coordinator)
        response = self.client.get(reverse("grading:coordination"))
        self.assertEqual([w.trainee for w in response.context["warnings"]], [self.trainee])


class AttendanceSheetTests(PersonasTestCase):
    def test_the_pdf_renders_with_the_names_and_signature_boxes(self):
        session = make_session(
            trainer=self.trainer, trainees=[self.trainee, self.other_trainee], meetings=3
        )
        attend(session.meetings.first(), self.trainee)
        self.login(self.trainer)
        response = self.client.get(reverse("grading:attendance-sheet", args=[session.pk]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        text = " ".join(
            page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
        )
        self.assertIn(self.trainee.get_full_name(), text)
        self.assertIn(self.other_trainee.get_full_name(), text)
        self.assertIn(session.code, text)
        self.assertIn(self.trainer.get_full_name(), text)


class MakeUpScreenTests(PersonasTestCase):
    def test_the_trainer_records_a_make_up_in_another_town(self):
        session = make_session(trainer=self.trainer, trainees=[self.trainee])
        missed = session.meetings.first()
        attend(missed, self.trainee, Status.EXCUSED)
        other = make_session(trainer=self.other_trainer, meetings=1, days=-3)
        other.module, other.course = session.module, session.course
        other.save()
        record = AttendanceRecord.objects.get(trainee=self.trainee)
        self.login(self.trainer)
        url = reverse("grading:make-up", args=[session.pk])
        self.assertContains(self.client.get(url), other.code)
        response = self.client.post(
            url, {"absence": record.pk, "make_up_meeting": other.meetings.get().pk}
        )
        self.assertRedirects(response, reverse("grading:session", args=[session.pk]))
        self.assertTrue(MakeUp.objects.filter(trainee=self.trainee, missed_meeting=missed).exists())


class CoordinatorWarningsQueriesTests(PersonasTestCase):
    def test_the_warnings_list_takes_the_same_number_of_queries_for_one_or_three_sessions(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def one_session():
            session = make_session(trainer=self.trainer, trainees=[self.trainee])
            attend(session.meetings.first(), self.trainee, Status.ABSENT)

        one_session()
        self.login(self.coordinator)
        url = reverse("grading:coordination")
        self.client.get(url)
        with CaptureQueriesContext(connection) as small:
            self.client.get(url)
        one_session()
        one_session()
        with CaptureQueriesContext(connection) as large:
            response = self.client.get(url)
        self.assertEqual(len(response.context["warnings"]), 3)
        self.assertEqual(len(small), len(large))
