from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from certification import selectors, services
from certification.models import LedgerEntry
from tests.base import PersonasTestCase
from tests.certification.factories import CertificationFactory, RulesFactory, make_framework
from tests.lms.factories import UserFactory

Source = LedgerEntry.Source
HoursKind = LedgerEntry.HoursKind


def give_blocks(person, framework, codes, source=Source.TRAINING_RESULT):
    for code in codes:
        services.record_acquisition(
            person=person, block=framework.blocks.get(code=code), source=source
        )


def give_hours(person, kind, hours, **kwargs):
    return services.record_hours(
        person=person, hours_kind=kind, hours=hours, source=Source.TRAINING_RESULT, **kwargs
    )


class EligibilityTestCase(PersonasTestCase):
    rules: dict = {}

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework = make_framework()
        cls.certification = CertificationFactory(framework_code=cls.framework.code)
        RulesFactory(certification=cls.certification, **cls.rules)

    def check(self, person=None):
        return selectors.check_eligibility(person or self.trainee, self.certification)

    def kinds(self, result):
        return [(item.kind, item.code, item.amount) for item in result.missing]


class BlockRuleTests(EligibilityTestCase):
    def test_with_nothing_recorded_every_block_is_missing(self):
        result = self.check()
        self.assertFalse(result.eligible)
        self.assertEqual([i.code for i in result.missing], ["B1", "B2", "B3", "B4"])

    def test_every_block_from_training_makes_a_person_eligible(self):
        give_blocks(self.trainee, self.framework, ["B1", "B2", "B3", "B4"])
        result = self.check()
        self.assertTrue(result.eligible, result.summary)
        self.assertEqual(result.missing, [])

    def test_blocks_acquired_through_vae_count_like_training(self):
        give_blocks(self.trainee, self.framework, ["B1", "B2"])
        give_blocks(self.trainee, self.framework, ["B3", "B4"], source=Source.VAE_DECISION)
        result = self.check()
        self.assertTrue(result.eligible)
        by_code = {b.code: b for b in result.blocks}
        self.assertTrue(by_code["B4"].through_vae)
        self.assertFalse(by_code["B1"].through_vae)

    def test_all_competencies_of_a_block_make_the_block(self):
        give_blocks(self.trainee, self.framework, ["B2", "B3", "B4"])
        b1 = self.framework.blocks.get(code="B1")
        services.record_acquisition(
            person=self.trainee,
            competency=b1.competencies.get(code="B1.1"),
            source=Source.VAE_DECISION,
        )
        self.assertEqual([i.code for i in self.check().missing], ["B1"])
        services.record_acquisition(
            person=self.trainee,
            competency=b1.competencies.get(code="B1.2"),
            source=Source.TRAINING_RESULT,
        )
        self.assertTrue(self.check().eligible)

    def test_a_withdrawn_or_expired_block_no_longer_counts(self):
        give_blocks(self.trainee, self.framework, ["B1", "B2", "B3"])
        entry = services.record_acquisition(
            person=self.trainee,
            block=self.framework.blocks.get(code="B4"),
            source=Source.VAE_DECISION,
            expires_on=timezone.localdate() - timedelta(days=1),
        )
        self.assertEqual([i.code for i in self.check().missing], ["B4"])
        fresh = services.supersede_entry(
            entry=entry,
            recorded_by=self.coordinator,
            justification="Prolongée",
            expires_on=timezone.localdate() + timedelta(days=300),
        )
        self.assertTrue(self.check().eligible)
        services.supersede_entry(
            entry=fresh, recorded_by=self.coordinator, justification="Erreur", withdraw=True
        )
        self.assertEqual([i.code for i in self.check().missing], ["B4"])

    def test_another_persons_blocks_do_not_count(self):
        give_blocks(self.other_trainee, self.framework, ["B1", "B2", "B3", "B4"])
        self.assertFalse(self.check().eligible)


class SomeBlocksRuleTests(EligibilityTestCase):
    rules = {"required_block_codes": ["B1", "B4"]}

    def test_only_the_listed_blocks_are_required(self):
        give_blocks(self.trainee, self.framework, ["B1"])
        self.assertEqual([i.code for i in self.check().missing], ["B4"])
        give_blocks(self.trainee, self.framework, ["B4"])
        self.assertTrue(self.check().eligible)


class HoursRuleTests(EligibilityTestCase):
    rules = {
        "required_block_codes": ["B1"],
        "total_training_hours": Decimal(84),
        "ethics_hours": Decimal(16),
    }

    def setUp(self):
        give_blocks(self.trainee, self.framework, ["B1"])

    def test_missing_ethics_hours_are_counted_within_the_total(self):
        give_hours(self.trainee, HoursKind.TRAINING, 78)
        give_hours(self.trainee, HoursKind.ETHICS, 10)
        result = self.check()
        self.assertEqual(self.kinds(result), [("ethics_hours", "", Decimal(6))])
        self.assertEqual(result.summary, "You still need 6 h of ethics.")

    def test_missing_training_and_ethics_are_both_told(self):
        give_hours(self.trainee, HoursKind.TRAINING, 60)
        give_hours(self.trainee, HoursKind.ETHICS, Decimal("9.5"))
        self.assertEqual(
            self.kinds(self.check()),
            [("training_hours", "", Decimal(8)), ("ethics_hours", "", Decimal("6.5"))],
        )

    def test_enough_hours_make_the_person_eligible(self):
        give_hours(self.trainee, HoursKind.TRAINING, 68)
        give_hours(self.trainee, HoursKind.ETHICS, 16)
        self.assertTrue(self.check().eligible)

    def test_continuing_education_hours_are_not_initial_training(self):
        give_hours(self.trainee, HoursKind.ETHICS, 16)
        give_hours(self.trainee, HoursKind.CONTINUING_EDUCATION, 100)
        self.assertEqual(self.kinds(self.check()), [("training_hours", "", Decimal(68))])


class InternshipAndSupervisionRuleTests(EligibilityTestCase):
    rules = {
        "required_block_codes": ["B1"],
        "internship_hours": Decimal(35),
        "supervision_hours": Decimal(4),
    }

    def test_internship_and_supervision_hours_are_checked(self):
        give_blocks(self.trainee, self.framework, ["B1"])
        give_hours(self.trainee, HoursKind.INTERNSHIP, 20, signed_off_by=self.trainer)
        self.assertEqual(
            self.kinds(self.check()),
            [("internship_hours", "", Decimal(15)), ("supervision_hours", "", Decimal(4))],
        )
        give_hours(self.trainee, HoursKind.INTERNSHIP, 15, signed_off_by=self.trainer)
        give_hours(self.trainee, HoursKind.SUPERVISION, 4)
        self.assertTrue(self.check().eligible)


class AttendanceRuleTests(EligibilityTestCase):
    rules = {"required_block_codes": ["B1"], "min_attendance_rate": Decimal(80)}

    def setUp(self):
        give_blocks(self.trainee, self.framework, ["B1"])

    def test_an_unrecorded_attendance_is_missing(self):
        self.assertEqual(self.kinds(self.check()), [("attendance", "", Decimal(80))])

    def test_a_low_attendance_is_missing_and_enough_is_eligible(self):
        services.record_attendance_rate(
            person=self.trainee, certification=self.certification, rate=72
        )
        self.assertEqual(self.kinds(self.check()), [("attendance", "", Decimal(8))])
        self.assertIn("72", self.check().summary)
        services.record_attendance_rate(
            person=self.trainee, certification=self.certification, rate=80
        )
        self.assertTrue(self.check().eligible)


class CombinedRulesTests(EligibilityTestCase):
    rules = {
        "total_training_hours": Decimal(84),
        "ethics_hours": Decimal(16),
        "internship_hours": Decimal(35),
        "supervision_hours": Decimal(4),
        "min_attendance_rate": Decimal(80),
    }

    def test_the_summary_names_exactly_what_is_missing(self):
        give_blocks(self.trainee, self.framework, ["B1", "B2"])
        give_blocks(self.trainee, self.framework, ["B3"], source=Source.VAE_DECISION)
        give_hours(self.trainee, HoursKind.TRAINING, 68)
        give_hours(self.trainee, HoursKind.ETHICS, 10)
        give_hours(self.trainee, HoursKind.INTERNSHIP, 35, signed_off_by=self.trainer)
        give_hours(self.trainee, HoursKind.SUPERVISION, 4)
        services.record_attendance_rate(
            person=self.trainee, certification=self.certification, rate=90
        )
        result = self.check()
        self.assertEqual(
            self.kinds(result), [("block", "B4", None), ("ethics_hours", "", Decimal(6))]
        )
        self.assertEqual(result.summary, "You still need block B4 and 6 h of ethics.")

    def test_with_everything_a_vae_candidate_is_eligible(self):
        give_blocks(
            self.trainee, self.framework, ["B1", "B2", "B3", "B4"], source=Source.VAE_DECISION
        )
        give_hours(self.trainee, HoursKind.TRAINING, 68)
        give_hours(self.trainee, HoursKind.ETHICS, 16)
        give_hours(self.trainee, HoursKind.INTERNSHIP, 35, signed_off_by=self.trainer)
        give_hours(self.trainee, HoursKind.SUPERVISION, 4)
        services.record_attendance_rate(
            person=self.trainee, certification=self.certification, rate=80
        )
        self.assertTrue(self.check().eligible)


class VersionedFrameworkEligibilityTests(EligibilityTestCase):
    def test_blocks_acquired_under_an_older_version_count_for_the_same_code(self):
        give_blocks(self.trainee, self.framework, ["B1", "B2", "B3", "B4"])
        v2 = services.create_framework_version(framework=self.framework)
        services.activate_framework(framework=v2)
        self.assertTrue(self.check().eligible)

    def test_a_block_added_by_a_new_version_is_required(self):
        give_blocks(self.trainee, self.framework, ["B1", "B2", "B3", "B4"])
        v2 = services.create_framework_version(framework=self.framework)
        v2.blocks.create(code="B5", title="Éthique", position=5)
        services.activate_framework(framework=v2)
        self.assertEqual([i.code for i in self.check().missing], ["B5"])


class EligibilityForAllTests(EligibilityTestCase):
    rules = {"ethics_hours": Decimal(16), "min_attendance_rate": Decimal(80)}

    def make_people(self, count):
        people = UserFactory.create_batch(count)
        for person in people:
            give_blocks(person, self.framework, ["B1", "B2", "B3", "B4"])
            give_hours(person, HoursKind.ETHICS, 16)
            services.record_attendance_rate(
                person=person, certification=self.certification, rate=90
            )
        return people

    def test_it_matches_the_one_person_answer(self):
        people = self.make_people(2)
        give_blocks(self.trainee, self.framework, ["B1"])
        results = selectors.eligibility_for_all(self.certification)
        self.assertEqual(set(results), {p.pk for p in people} | {self.trainee.pk})
        for person_id, result in results.items():
            alone = selectors.check_eligibility(
                next(p for p in [*people, self.trainee] if p.pk == person_id), self.certification
            )
            self.assertEqual(result.missing, alone.missing)
        self.assertFalse(results[self.trainee.pk].eligible)
        self.assertTrue(all(results[p.pk].eligible for p in people))

    def test_the_number_of_queries_does_not_grow_with_the_number_of_people(self):
        self.make_people(2)
        self.certification.refresh_from_db()
        certification = (
            type(self.certification).objects.select_related("rules").get(pk=self.certification.pk)
        )
        with self.assertNumQueries(7):
            small = selectors.eligibility_for_all(certification)
        self.make_people(8)
        with self.assertNumQueries(7):
            large = selectors.eligibility_for_all(certification)
        self.assertEqual((len(small), len(large)), (2, 10))
