from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.log_actions import log

from certification.models import Certificate, LedgerEntry
from certification.verification.models import VerificationSettings
from courses.models import CalendarFeedToken, Enrolment
from lms.audit.models import AuditEvent
from lms.privacy import services
from lms.privacy.models import ErasureRequest
from tests.base import PersonasTestCase
from vae.models import Evidence, LivedExperienceNarrative

from .builders import make_person
from .scan import scan

# The one documented exception: the certificate keeps the name as printed on it (legal record;
# its PDF and signed credential carry the same name). See README "Privacy (GDPR)".
ALLOWED = {
    ("certification.Certificate", "name_as_printed", "first name"),
    ("certification.Certificate", "name_as_printed", "last name"),
}


class EraseTraineeTests(PersonasTestCase):
    def build(self):
        with self.captureOnCommitCallbacks(execute=True):
            person = make_person(trainer=self.trainer, coordinator=self.coordinator)
        # The admin's own log labels a user with their name; a session; a verification.
        log(instance=person.user, action="wagtail.edit", user=self.coordinator)
        self.login(person.user)
        self.client.get(reverse("accounts:dashboard"))
        self.client.logout()
        self.client.get(f"/v/{person.certificate.code}")
        return person

    def erase(self, person):
        request = services.request_erasure(user=person.user)
        with self.captureOnCommitCallbacks(execute=True):
            services.erase_person(request=request, by=self.coordinator, reason="Demande reçue")
        person.user.refresh_from_db()
        return request

    def test_no_personal_value_survives_anywhere_but_the_name_printed_on_the_certificate(self):
        person = self.build()
        before = scan(person.needles)
        # The scan sees the data before erasure (so it would see a leak after).
        self.assertTrue({"email", "first name", "phone", "narrative"} <= {n for *_x, n in before})
        self.erase(person)
        self.assertEqual(scan(person.needles), ALLOWED)

    def test_the_certificate_still_verifies_without_showing_the_name(self):
        person = self.build()
        self.erase(person)
        page = self.client.get(f"/v/{person.certificate.code}")
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, person.needles["last name"])
        api = self.client.get(f"/api/v1/certificates/{person.certificate.code}").json()
        self.assertEqual(api["status"], Certificate.Status.VALID)
        self.assertIsNone(api["name_as_printed"])
        self.assertTrue(api["name_confirmation_required"])
        self.assertEqual(
            VerificationSettings.objects.get(certificate=person.certificate).name_mode,
            VerificationSettings.NameMode.CONFIRM,
        )
        # Someone who already knows the name can still confirm it.
        typed = f"{person.needles['first name']} {person.needles['last name']}"
        confirm = self.client.post(f"/v/{person.certificate.code}", {"name": typed})
        self.assertEqual(confirm.status_code, 200)
        self.assertTrue(confirm.context["name_result"])

    def test_the_ledger_and_the_certificate_are_untouched(self):
        person = self.build()
        entries = list(
            LedgerEntry.objects.filter(person=person.user).values_list("pk", "justification")
        )
        total = LedgerEntry.objects.count()
        certificate = Certificate.objects.values().get(pk=person.certificate.pk)
        self.erase(person)
        self.assertEqual(LedgerEntry.objects.count(), total)
        self.assertEqual(
            list(LedgerEntry.objects.filter(person=person.user).values_list("pk", "justification")),
            entries,
        )
        self.assertEqual(Certificate.objects.values().get(pk=person.certificate.pk), certificate)

    def test_the_account_is_closed_and_its_traces_removed(self):
        person = self.build()
        request = self.erase(person)
        user = person.user
        self.assertFalse(user.is_active)
        self.assertFalse(user.has_usable_password())
        self.assertTrue(user.email.endswith("@erased.invalid"))
        self.assertEqual(user.role_codes, set())
        self.assertFalse(
            any(
                str(s.get_decoded().get("_auth_user_id")) == str(user.pk)
                for s in Session.objects.all()
            )
        )
        self.assertFalse(CalendarFeedToken.objects.filter(user=user).exists())
        self.assertFalse(Evidence.objects.filter(candidacy__candidate=user).exists())
        self.assertFalse(
            LivedExperienceNarrative.objects.filter(candidacy__candidate=user).exists()
        )
        # The waiting-list place is given back; the completed training stays as a fact.
        self.assertFalse(
            Enrolment.objects.filter(trainee=user, status=Enrolment.Status.WAITING_LIST).exists()
        )
        self.assertTrue(Enrolment.objects.filter(trainee=user, status="confirmed").exists())
        request.refresh_from_db()
        self.assertEqual(request.status, ErasureRequest.Status.COMPLETED)
        self.assertEqual(request.counts["vae.evidence_files"], 1)
        event = AuditEvent.objects.get(action="privacy.erasure_completed")
        self.assertEqual(event.actor, self.coordinator)
        self.assertEqual(event.data["person"], user.pk)

    def test_the_evidence_file_is_deleted_from_private_storage(self):
        person = self.build()
        name = Evidence.objects.get(candidacy=person.candidacy).stored_name
        self.assertTrue(services.storage().exists(name))
        self.erase(person)
        self.assertFalse(services.storage().exists(name))


class ErasurePermissionTests(PersonasTestCase):
    def test_only_a_coordinator_may_erase(self):
        request = services.request_erasure(user=self.trainee)
        for person in (self.trainer, self.other_trainee, self.assessor, self.partner):
            with self.assertRaises(PermissionDenied):
                services.erase_person(request=request, by=person, reason="Non")
        self.trainee.refresh_from_db()
        self.assertTrue(self.trainee.is_active)

    def test_a_coordinator_cannot_handle_their_own_request(self):
        request = services.request_erasure(user=self.coordinator)
        with self.assertRaises(services.ErasureError):
            services.erase_person(request=request, by=self.coordinator, reason="Moi")

    def test_a_reason_is_required_and_a_request_is_handled_once(self):
        request = services.request_erasure(user=self.trainee)
        with self.assertRaises(services.ErasureError):
            services.erase_person(request=request, by=self.coordinator, reason="  ")
        services.decline_erasure(request=request, by=self.coordinator, reason="Litige en cours")
        with self.assertRaises(services.ErasureError):
            services.erase_person(request=request, by=self.coordinator, reason="Encore")
        self.trainee.refresh_from_db()
        self.assertTrue(self.trainee.is_active)
