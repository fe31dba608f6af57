from django.urls import reverse

from lms.privacy import services
from lms.privacy.models import ConsentRecord, ErasureRequest
from tests.base import EnglishPersonasTestCase


class PrivacyPageTests(EnglishPersonasTestCase):
    def test_the_privacy_page_says_what_is_kept_and_the_certificate_choice(self):
        response = self.client.get(reverse("privacy:notice"))
        self.assertContains(response, "Your certificate after an erasure")
        self.assertContains(response, "Validation of prior experience (VAE)")
        self.assertContains(response, "Data Protection Authority")

    def test_the_footer_links_to_it(self):
        self.login(self.trainee)
        response = self.client.get(reverse("accounts:dashboard"))
        self.assertContains(response, reverse("privacy:notice"))
        self.assertContains(response, reverse("privacy:my-data"))


class MyDataTests(EnglishPersonasTestCase):
    def test_asking_for_erasure_needs_a_confirmation(self):
        self.login(self.trainee)
        url = reverse("privacy:erasure-request")
        response = self.client.post(url, {})
        self.assertContains(response, "Please tick the box")
        self.assertFalse(ErasureRequest.objects.exists())
        response = self.client.post(url, {"confirm": "on"})
        self.assertRedirects(response, reverse("privacy:my-data"))
        request = ErasureRequest.objects.get(user=self.trainee)
        self.assertEqual(request.status, ErasureRequest.Status.PENDING)
        # Asking twice keeps one request; the person may cancel it.
        self.client.post(url, {"confirm": "on"})
        self.assertEqual(ErasureRequest.objects.count(), 1)
        self.client.post(reverse("privacy:erasure-cancel"))
        request.refresh_from_db()
        self.assertEqual(request.status, ErasureRequest.Status.CANCELLED)

    def test_a_person_withdraws_their_own_consent_only(self):
        mine = services.record_consent(user=self.trainee, purpose="privacy_notice")
        theirs = services.record_consent(user=self.other_trainee, purpose="privacy_notice")
        self.login(self.trainee)
        page = self.client.get(reverse("privacy:my-data"))
        self.assertContains(page, "I have read the privacy notice")
        response = self.client.post(reverse("privacy:consent-withdraw", args=[theirs.pk]))
        self.assertEqual(response.status_code, 404)
        self.client.post(reverse("privacy:consent-withdraw", args=[mine.pk]))
        mine.refresh_from_db()
        theirs.refresh_from_db()
        self.assertFalse(mine.active)
        self.assertTrue(theirs.active)

    def test_sign_up_records_the_notice_version(self):
        self.client.post(
            reverse("account_signup"),
            {
                "email": "nouvelle@example.org",
                "password1": "un-mot-de-passe-solide-42",
                "password2": "un-mot-de-passe-solide-42",
                "display_name": "",
                "preferred_language": "fr",
            },
        )
        consent = ConsentRecord.objects.get(user__email="nouvelle@example.org")
        self.assertEqual(consent.purpose, ConsentRecord.Purpose.PRIVACY_NOTICE)


class ErasureAdminTests(EnglishPersonasTestCase):
    def test_only_coordinators_see_the_requests(self):
        services.request_erasure(user=self.trainee)
        url = reverse("privacy_erasure_index")
        for person in (self.trainer, self.assessor, self.partner):
            self.login(person)
            self.assertIn(self.client.get(url).status_code, (302, 403))
        self.login(self.coordinator)
        self.assertContains(self.client.get(url), self.trainee.email)

    def test_erasing_needs_a_reason_and_an_explicit_confirmation(self):
        request = services.request_erasure(user=self.trainee)
        self.login(self.coordinator)
        url = reverse("privacy_erasure_review", args=[request.pk])
        response = self.client.post(url, {"decision": "erase", "reason": "Demande"})
        self.assertContains(response, "cannot be undone")
        self.trainee.refresh_from_db()
        self.assertTrue(self.trainee.is_active)
        response = self.client.post(
            url, {"decision": "erase", "reason": "Demande", "confirm": "on"}
        )
        self.assertRedirects(response, reverse("privacy_erasure_index"))
        self.trainee.refresh_from_db()
        self.assertFalse(self.trainee.is_active)

    def test_declining_tells_the_person_why(self):
        request = services.request_erasure(user=self.trainee)
        self.login(self.coordinator)
        self.client.post(
            reverse("privacy_erasure_review", args=[request.pk]),
            {"decision": "decline", "reason": "Un recours est en cours."},
        )
        request.refresh_from_db()
        self.assertEqual(request.status, ErasureRequest.Status.DECLINED)
        self.assertTrue(
            self.trainee.notifications.filter(event="privacy.erasure_declined").exists()
        )
