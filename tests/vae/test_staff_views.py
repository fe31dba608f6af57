"""Staff side: the filtered list, admissibility, counsellor, jury sessions."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.base import PersonasTestCase
from tests.lms.factories import UserFactory
from tests.vae.factories import make_candidacy, make_vae_certification
from vae.models import Candidacy, JurySession


class StaffListTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework, cls.certification, cls.modules = make_vae_certification()
        cls.submitted = make_candidacy(
            cls.trainee, cls.certification, status="submitted", coordinator=cls.coordinator
        )
        cls.draft = make_candidacy(cls.other_trainee, cls.certification)

    def test_a_coordinator_filters_candidacies_by_status(self):
        self.login(self.coordinator)
        response = self.client.get(reverse("vae:staff-list"), {"status": "submitted"})
        self.assertEqual(list(response.context["page"].object_list), [self.submitted])

    def test_the_list_costs_the_same_number_of_queries_with_more_candidacies(self):
        self.login(self.coordinator)
        self.client.get(reverse("vae:staff-list"))
        with self.assertNumQueries(11) as first:
            self.client.get(reverse("vae:staff-list"))
        for _index in range(5):
            make_candidacy(UserFactory(), self.certification)
        with self.assertNumQueries(len(first.captured_queries)):
            self.client.get(reverse("vae:staff-list"))

    def test_trainers_partners_and_trainees_are_refused(self):
        for person in (self.trainer, self.partner, self.trainee):
            self.login(person)
            with self.subTest(person=person.email):
                self.assertEqual(self.client.get(reverse("vae:staff-list")).status_code, 403)

    def test_an_assessor_sees_only_the_candidacies_they_counsel(self):
        self.login(self.assessor)
        response = self.client.get(reverse("vae:staff-list"))
        self.assertEqual(list(response.context["page"].object_list), [])

    def test_a_coordinator_rules_a_candidacy_incomplete_with_the_missing_pieces(self):
        self.login(self.coordinator)
        response = self.client.post(
            reverse("vae:staff-admissibility", args=[self.submitted.pk]),
            {"outcome": "incomplete", "missing_pieces": "Attestation de l'asbl\nCV"},
        )
        self.assertRedirects(response, reverse("vae:staff-detail", args=[self.submitted.pk]))
        self.submitted.refresh_from_db()
        self.assertEqual(self.submitted.status, Candidacy.Status.INCOMPLETE)
        decision = self.submitted.admissibility_decisions.get()
        self.assertEqual(decision.missing_pieces, ["Attestation de l'asbl", "CV"])

    def test_an_assessor_cannot_rule_on_admissibility(self):
        self.login(self.assessor)
        response = self.client.post(
            reverse("vae:staff-admissibility", args=[self.submitted.pk]), {"outcome": "admissible"}
        )
        self.assertEqual(response.status_code, 403)

    def test_a_coordinator_creates_a_jury_session_with_two_members_and_a_chair(self):
        self.login(self.coordinator)
        when = (timezone.localtime() + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
        response = self.client.post(
            reverse("vae:jury-sessions"),
            {
                "starts_at": when,
                "place": "Namur",
                "members": [self.assessor.pk, self.other_assessor.pk],
                "chair": self.assessor.pk,
            },
        )
        self.assertRedirects(response, reverse("vae:jury-sessions"))
        session = JurySession.objects.get()
        self.assertEqual(session.chair, self.assessor)
        response = self.client.get(reverse("vae:jury-sessions"))
        self.assertContains(response, self.assessor.display_name)
        self.login(self.assessor)
        self.assertEqual(self.client.get(reverse("vae:jury-sessions")).status_code, 403)

    def test_a_jury_of_one_is_refused(self):
        self.login(self.coordinator)
        when = (timezone.localtime() + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
        response = self.client.post(
            reverse("vae:jury-sessions"),
            {
                "starts_at": when,
                "online": "on",
                "members": [self.assessor.pk],
                "chair": self.assessor.pk,
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(JurySession.objects.exists())

    def test_a_coordinator_assigns_a_counsellor_who_then_sees_the_file(self):
        self.login(self.coordinator)
        self.client.post(
            reverse("vae:staff-counsellor", args=[self.submitted.pk]),
            {"counsellor": self.assessor.pk},
        )
        self.login(self.assessor)
        response = self.client.get(reverse("vae:staff-detail", args=[self.submitted.pk]))
        self.assertEqual(response.status_code, 200)


class StaffFileTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework, cls.certification, cls.modules = make_vae_certification()

    def test_the_lived_experience_is_shown_to_staff_only_while_consent_is_in_force(self):
        from vae import services

        candidacy = make_candidacy(self.trainee, self.certification)
        services.give_lived_experience_consent(candidacy=candidacy, by=self.trainee)
        services.save_lived_experience(
            candidacy=candidacy, by=self.trainee, text="Sorti de la rue en 2015"
        )
        self.login(self.coordinator)
        url = reverse("vae:staff-detail", args=[candidacy.pk])
        self.assertContains(self.client.get(url), "Sorti de la rue en 2015")
        services.withdraw_lived_experience_consent(candidacy=candidacy, by=self.trainee)
        self.assertNotContains(self.client.get(url), "Sorti de la rue en 2015")

    def test_a_coordinator_closes_a_decided_candidacy_but_not_a_draft(self):
        from tests.vae.factories import verdicts
        from vae import services

        draft = make_candidacy(self.other_trainee, self.certification)
        candidacy = make_candidacy(
            self.trainee,
            self.certification,
            status="jury_scheduled",
            coordinator=self.coordinator,
            jury=(self.assessor, self.other_assessor),
        )
        services.record_jury_decision(
            candidacy=candidacy,
            chair=self.assessor,
            overall="none",
            verdicts=verdicts(self.framework, set()),
        )
        self.login(self.coordinator)
        self.client.post(reverse("vae:staff-close", args=[candidacy.pk]))
        candidacy.refresh_from_db()
        self.assertEqual(candidacy.status, Candidacy.Status.CLOSED)
        response = self.client.post(reverse("vae:staff-close", args=[draft.pk]), follow=True)
        self.assertEqual(response.status_code, 200)
        draft.refresh_from_db()
        self.assertEqual(draft.status, Candidacy.Status.DRAFT)

    def test_a_member_who_declared_a_conflict_cannot_be_put_on_the_jury(self):
        from vae import services
        from vae.models import ConflictDeclaration

        candidacy = make_candidacy(
            self.trainee,
            self.certification,
            status="portfolio_submitted",
            coordinator=self.coordinator,
        )
        session = services.create_jury_session(
            by=self.coordinator,
            starts_at=timezone.now() + timedelta(days=3),
            members=[self.assessor, self.other_assessor],
            chair=self.assessor,
            online=True,
        )
        ConflictDeclaration.objects.create(
            candidacy=candidacy, member=self.other_assessor, has_conflict=True
        )
        with self.assertRaises(services.VaeError):
            services.schedule_jury(candidacy=candidacy, session=session, by=self.coordinator)
        candidacy.refresh_from_db()
        self.assertEqual(candidacy.status, Candidacy.Status.PORTFOLIO_SUBMITTED)

    def test_the_counsellor_cannot_sit_on_the_jury(self):
        from vae import services

        candidacy = make_candidacy(
            self.trainee,
            self.certification,
            status="portfolio_submitted",
            coordinator=self.coordinator,
        )
        services.assign_counsellor(
            candidacy=candidacy, by=self.coordinator, counsellor=self.other_assessor
        )
        session = services.create_jury_session(
            by=self.coordinator,
            starts_at=timezone.now() + timedelta(days=3),
            members=[self.assessor, self.other_assessor],
            chair=self.assessor,
            online=True,
        )
        with self.assertRaises(services.VaeError):
            services.schedule_jury(candidacy=candidacy, session=session, by=self.coordinator)
