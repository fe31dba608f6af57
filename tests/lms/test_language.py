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


class AdminLanguageTests(PersonasTestCase):
    """The Wagtail admin has no language prefix: it speaks the signed-in person's preferred
    language (lms.accounts.middleware.AdminInPreferredLanguageMiddleware)."""

    def get_as_coordinator(self, *, preferred_language: str, admin_language: str = ""):
        from wagtail.users.models import UserProfile

        User.objects.filter(pk=self.coordinator.pk).update(preferred_language=preferred_language)
        if admin_language:
            profile = UserProfile.get_for_user(self.coordinator)
            profile.preferred_language = admin_language
            profile.save()
        self.client.force_login(
            self.coordinator, backend="django.contrib.auth.backends.ModelBackend"
        )
        return self.client.get(
            reverse("certification_admin:certificate-list"), headers={"accept-language": "fr"}
        )

    def test_the_admin_speaks_the_preferred_language_of_the_person(self):
        response = self.get_as_coordinator(preferred_language="nl")

        self.assertContains(response, "Gedrukte naam")
        self.assertNotContains(response, "Nom imprimé")

    def test_a_language_chosen_in_the_admin_account_settings_comes_first(self):
        response = self.get_as_coordinator(preferred_language="nl", admin_language="fr")

        self.assertContains(response, "Nom imprimé")
        self.assertNotContains(response, "Gedrukte naam")

    def test_french_stays_the_default(self):
        response = self.get_as_coordinator(preferred_language="fr")

        self.assertContains(response, "Nom imprimé")
