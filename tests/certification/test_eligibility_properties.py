"""Property: the set-wise evaluation agrees with the one-person answer and with the rules."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from certification import selectors, services
from certification.models import LedgerEntry
from lms.accounts.models import User
from tests.certification.factories import CertificationFactory, RulesFactory, make_framework

BLOCKS = ["B1", "B2", "B3", "B4"]
Source = LedgerEntry.Source

person_plans = st.fixed_dictionaries(
    {
        "blocks": st.dictionaries(
            st.sampled_from(BLOCKS), st.sampled_from([Source.TRAINING_RESULT, Source.VAE_DECISION])
        ),
        "training": st.integers(0, 90),
        "ethics": st.integers(0, 20),
        "attendance": st.none() | st.integers(0, 100),
    }
)


class EligibilityPropertyTests(TestCase):
    @settings(max_examples=30, deadline=None)
    @given(st.lists(person_plans, min_size=1, max_size=4))
    def test_set_wise_and_one_person_answers_agree_with_the_rules(self, plans):
        framework = make_framework(code="prop")
        certification = CertificationFactory(framework_code="prop")
        RulesFactory(
            certification=certification,
            total_training_hours=Decimal(84),
            ethics_hours=Decimal(16),
            min_attendance_rate=Decimal(80),
        )
        blocks = {b.code: b for b in framework.blocks.all()}
        people = []
        for index, plan in enumerate(plans):
            person = User.objects.create(email=f"p{index}@example.org")
            people.append(person)
            for code, source in plan["blocks"].items():
                services.record_acquisition(person=person, block=blocks[code], source=source)
            for kind in ("training", "ethics"):
                if plan[kind]:
                    services.record_hours(
                        person=person,
                        hours_kind=kind,
                        hours=plan[kind],
                        source=Source.TRAINING_RESULT,
                    )
            if plan["attendance"] is not None:
                services.record_attendance_rate(
                    person=person, certification=certification, rate=plan["attendance"]
                )

        together = selectors.eligibility_for_all(certification)
        for person, plan in zip(people, plans, strict=True):
            alone = selectors.check_eligibility(person, certification)
            expected = (
                set(plan["blocks"]) == set(BLOCKS)
                and plan["training"] + plan["ethics"] >= 84
                and plan["ethics"] >= 16
                and plan["attendance"] is not None
                and plan["attendance"] >= 80
            )
            self.assertEqual(alone.eligible, expected)
            self.assertEqual(alone.missing, together.get(person.pk, alone).missing)
            # Doing exactly what is missing would be enough: the amounts add up.
            hours_missing = sum(
                (m.amount for m in alone.missing if m.kind.endswith("_hours")), Decimal(0)
            )
            self.assertGreaterEqual(
                plan["training"] + plan["ethics"] + hours_missing, 84 if hours_missing else 0
            )
