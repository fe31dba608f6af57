from django.urls import reverse

from lms.accounts.models import User
from tests.base import PersonasTestCase


class RememberedLanguageTests(PersonasTestCase):
    def test_the_switcher_remembers_the_choice_of_a_signed_in_person(self):
        self.login(self.trainee)

        response = self.client.post("/i18n/setlang/", {"language": "nl", "next": "/espace/"})

        self.assertRedirects(response, "/nl/espace/", fetch_redirect_response=False)
        self.assertEqual(User.objects.get(pk=self.trainee.pk).preferred_language, "nl")

    def test_signing_in_opens_the_site_in_the_preferred_language(self):
        User.objects.filter(pk=self.trainee.pk).update(preferred_language="nl")

        response = self.client.post(
            reverse("account_login"), {"login": self.trainee.email, "password": self.password}
        )

        self.assertRedirects(response, "/nl/espace/", fetch_redirect_response=False)

    def test_an_anonymous_visitor_switches_without_any_account_change(self):
        response = self.client.post("/i18n/setlang/", {"language": "en", "next": "/"})

        self.assertRedirects(response, "/en/", fetch_redirect_response=False)
