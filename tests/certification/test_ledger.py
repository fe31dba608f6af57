from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError

from certification import services
from certification.models import LedgerEntry, LedgerIsAppendOnly
from tests.base import PersonasTestCase
from tests.certification.factories import make_framework

Source = LedgerEntry.Source
HoursKind = LedgerEntry.HoursKind


class LedgerTestCase(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework = make_framework()
        cls.b1 = cls.framework.blocks.get(code="B1")


class RecordAcquisitionTests(LedgerTestCase):
    def test_it_records_a_block_with_who_when_and_why(self):
        entry = services.record_acquisition(
            person=self.trainee,
            block=self.b1,
            source=Source.TRAINING_RESULT,
            source_reference="courses.Result:42",
            recorded_by=self.trainer,
            justification="Évaluation réussie",
        )
        entry.refresh_from_db()
        self.assertEqual(entry.kind, LedgerEntry.Kind.BLOCK)
        self.assertEqual(entry.recorded_by, self.trainer)
        self.assertEqual(entry.source_reference, "courses.Result:42")
        self.assertIsNotNone(entry.recorded_at)

    def test_releasing_twice_with_the_same_key_writes_one_entry(self):
        for _ in range(2):
            services.record_acquisition(
                person=self.trainee,
                block=self.b1,
                source=Source.TRAINING_RESULT,
                dedupe_key="courses.Result:42:B1",
            )
        self.assertEqual(LedgerEntry.objects.filter(person=self.trainee).count(), 1)

    def test_the_unique_key_holds_even_if_a_writer_skips_the_lookup(self):
        services.record_acquisition(
            person=self.trainee, block=self.b1, source=Source.TRAINING_RESULT, dedupe_key="k"
        )
        with self.assertRaises(IntegrityError):
            LedgerEntry.objects.create(
                person=self.trainee,
                kind=LedgerEntry.Kind.BLOCK,
                block=self.b1,
                source=Source.TRAINING_RESULT,
                dedupe_key="k",
            )

    def test_it_refuses_both_a_block_and_a_competency(self):
        competency = self.b1.competencies.first()
        with self.assertRaises(ValidationError):
            services.record_acquisition(
                person=self.trainee,
                block=self.b1,
                competency=competency,
                source=Source.VAE_DECISION,
            )


class RecordHoursTests(LedgerTestCase):
    def test_internship_hours_need_a_supervisor_sign_off(self):
        with self.assertRaises(ValidationError):
            services.record_hours(
                person=self.trainee,
                hours_kind=HoursKind.INTERNSHIP,
                hours=35,
                source=Source.TRAINING_RESULT,
            )
        entry = services.record_hours(
            person=self.trainee,
            hours_kind=HoursKind.INTERNSHIP,
            hours=35,
            source=Source.TRAINING_RESULT,
            signed_off_by=self.trainer,
        )
        self.assertEqual(entry.signed_off_by, self.trainer)
        self.assertEqual(entry.hours, Decimal("35"))

    def test_the_database_refuses_internship_hours_without_sign_off(self):
        with self.assertRaises(IntegrityError):
            LedgerEntry.objects.create(
                person=self.trainee,
                kind=LedgerEntry.Kind.HOURS,
                hours_kind=HoursKind.INTERNSHIP,
                hours=Decimal(10),
                source=Source.TRAINING_RESULT,
            )

    def test_it_refuses_zero_hours(self):
        with self.assertRaises(ValidationError):
            services.record_hours(
                person=self.trainee,
                hours_kind=HoursKind.ETHICS,
                hours=0,
                source=Source.TRAINING_RESULT,
            )


class AppendOnlyTests(LedgerTestCase):
    def setUp(self):
        self.entry = services.record_hours(
            person=self.trainee, hours_kind=HoursKind.ETHICS, hours=6, source=Source.TRAINING_RESULT
        )

    def test_an_entry_cannot_be_saved_again(self):
        self.entry.hours = Decimal(60)
        with self.assertRaises(LedgerIsAppendOnly):
            self.entry.save()
        self.entry.refresh_from_db()
        self.assertEqual(self.entry.hours, Decimal(6))

    def test_an_entry_cannot_be_deleted_or_bulk_updated(self):
        with self.assertRaises(LedgerIsAppendOnly):
            self.entry.delete()
        with self.assertRaises(LedgerIsAppendOnly):
            LedgerEntry.objects.filter(pk=self.entry.pk).update(hours=Decimal(60))
        with self.assertRaises(LedgerIsAppendOnly):
            LedgerEntry.objects.filter(pk=self.entry.pk).delete()
        self.assertTrue(LedgerEntry.objects.filter(pk=self.entry.pk, hours=6).exists())


class SupersedeTests(LedgerTestCase):
    def setUp(self):
        self.entry = services.record_hours(
            person=self.trainee, hours_kind=HoursKind.ETHICS, hours=6, source=Source.TRAINING_RESULT
        )

    def test_a_correction_is_a_new_entry_and_the_old_one_stays(self):
        correction = services.supersede_entry(
            entry=self.entry,
            recorded_by=self.coordinator,
            justification="Erreur de saisie",
            hours=8,
        )
        self.assertNotEqual(correction.pk, self.entry.pk)
        self.assertEqual(correction.supersedes, self.entry)
        current = LedgerEntry.objects.current().filter(person=self.trainee)
        self.assertEqual(list(current), [correction])
        self.assertEqual(LedgerEntry.objects.filter(person=self.trainee).count(), 2)
        self.entry.refresh_from_db()
        self.assertEqual(self.entry.hours, Decimal(6))

    def test_a_withdrawal_counts_for_nothing(self):
        services.supersede_entry(
            entry=self.entry, recorded_by=self.coordinator, justification="Doublon", withdraw=True
        )
        self.assertFalse(LedgerEntry.objects.current().filter(person=self.trainee).exists())

    def test_an_entry_is_superseded_only_once(self):
        services.supersede_entry(entry=self.entry, recorded_by=self.coordinator, justification="a")
        with self.assertRaises(ValidationError):
            services.supersede_entry(
                entry=self.entry, recorded_by=self.coordinator, justification="b"
            )

    def test_a_correction_needs_a_justification(self):
        with self.assertRaises(ValidationError):
            services.supersede_entry(
                entry=self.entry, recorded_by=self.coordinator, justification=" "
            )


class AttendanceTests(LedgerTestCase):
    def test_the_newest_rate_replaces_the_previous_one(self):
        from tests.certification.factories import CertificationFactory

        certification = CertificationFactory()
        services.record_attendance_rate(person=self.trainee, certification=certification, rate=70)
        record = services.record_attendance_rate(
            person=self.trainee, certification=certification, rate="85.5"
        )
        self.assertEqual(record.rate, Decimal("85.5"))
        self.assertEqual(certification.attendance_records.count(), 1)

    def test_a_rate_above_100_is_refused(self):
        from tests.certification.factories import CertificationFactory

        with self.assertRaises(ValidationError):
            services.record_attendance_rate(
                person=self.trainee, certification=CertificationFactory(), rate=101
            )
