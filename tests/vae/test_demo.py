from certification import demo as certification_demo
from certification.models import LedgerEntry
from courses import demo as courses_demo
from lms.accounts import demo as accounts_demo
from lms.demo import DemoContext
from lms.notifications.services import quiet_emails
from tests.base import PersonasTestCase
from vae import demo
from vae.models import Candidacy, JuryDecision


class DemoSeedTests(PersonasTestCase):
    def seed(self):
        context = DemoContext()
        with quiet_emails():
            accounts_demo.seed(context)
            certification_demo.seed(context)
            courses_demo.seed(context)
            demo.seed(context)
        return context

    def test_it_makes_candidacies_at_four_stages_and_a_partial_award(self):
        context = self.seed()
        statuses = dict(Candidacy.objects.values_list("candidate__email", "status"))
        self.assertEqual(
            statuses,
            {
                "lea@parcours.example": "draft",
                "youssef@parcours.example": "submitted",
                "sarah@parcours.example": "jury_scheduled",
                "kevin@parcours.example": "decided",
            },
        )
        kevin = context.objects["people"]["kevin"]
        self.assertEqual(
            sorted(
                LedgerEntry.objects.filter(
                    person=kevin, source=LedgerEntry.Source.VAE_DECISION
                ).values_list("block__code", flat=True)
            ),
            ["B1", "B2", "B5"],
        )
        decision = JuryDecision.objects.get()
        self.assertEqual(decision.overall, "partial")
        self.assertTrue(decision.recommended_modules.exists())
        sarah = Candidacy.objects.get(candidate__email="sarah@parcours.example")
        self.assertEqual(
            {m.member.email for m in sarah.jury_session.memberships.all()},
            {"jury@parcours.example", "jury2@parcours.example"},
        )

    def test_running_it_twice_creates_nothing_new(self):
        self.seed()
        counts = (Candidacy.objects.count(), LedgerEntry.objects.count())
        self.seed()
        self.assertEqual((Candidacy.objects.count(), LedgerEntry.objects.count()), counts)
