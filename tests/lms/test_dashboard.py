from django.urls import reverse

from lms.accounts.models import User
from tests.base import PersonasTestCase


class DashboardTests(PersonasTestCase):
    def test_it_asks_anonymous_visitors_to_sign_in(self):
        response = self.client.get(reverse("accounts:dashboard"))

        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("account_login"), response["Location"])

    def test_it_greets_the_person_and_lists_their_roles(self):
        self.login(self.trainer)

        response = self.client.get(reverse("accounts:dashboard"))

        self.assertContains(response, "Marc")
        self.assertContains(response, "Formateur")
        self.assertNotContains(response, "/admin/")

    def test_it_offers_the_management_space_to_coordinators(self):
        self.login(self.coordinator)

        response = self.client.get(reverse("accounts:dashboard"))

        self.assertContains(response, 'href="/admin/"')

    def test_a_person_without_a_role_is_told_what_to_do(self):
        self.login(self.outsider)

        response = self.client.get(reverse("accounts:dashboard"))

        self.assertContains(response, "coordinat")


class ProfileTests(PersonasTestCase):
    def test_it_saves_the_display_name_and_language(self):
        self.login(self.trainee)

        response = self.client.post(
            reverse("accounts:profile"), {"display_name": "Juju", "preferred_language": "en"}
        )

        self.assertRedirects(response, reverse("accounts:profile"))
        user = User.objects.get(pk=self.trainee.pk)
        self.assertEqual((user.display_name, user.preferred_language), ("Juju", "en"))

    def test_an_unknown_language_is_refused_and_nothing_changes(self):
        self.login(self.trainee)

        response = self.client.post(
            reverse("accounts:profile"), {"display_name": "Juju", "preferred_language": "xx"}
        )

        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors)
        self.assertEqual(User.objects.get(pk=self.trainee.pk).display_name, "")


class TrainerLinkTests(PersonasTestCase):
    def test_trainers_see_a_link_to_their_space_and_trainees_do_not(self):
        self.login(self.trainer)
        self.assertContains(self.client.get(reverse("accounts:dashboard")), 'href="/formateur/"')

        self.login(self.trainee)
        self.assertNotContains(self.client.get(reverse("accounts:dashboard")), 'href="/formateur/"')
