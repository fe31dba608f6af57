"""An address with a NUL byte is a clear 400, never a database error (PostgreSQL refuses NUL)."""

from django.test import TestCase


class NullByteTests(TestCase):
    def test_a_nul_byte_in_the_path_or_the_query_is_a_400(self):
        for url in ("/formations/calendrier/%00.ics", "/v/AB%00CD", "/?q=%00"):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 400)

    def test_ordinary_addresses_still_answer(self):
        self.assertEqual(self.client.get("/v/").status_code, 200)

    def test_a_nul_byte_in_a_posted_field_is_a_400_and_writes_nothing(self):
        from courses import services
        from courses.models import Enrolment
        from tests.courses.factories import SessionFactory
        from tests.lms.factories import UserFactory

        trainee = UserFactory(role="trainee")
        enrolment = services.enrol_trainee(session=SessionFactory(), trainee=trainee)
        self.client.force_login(trainee, backend="django.contrib.auth.backends.ModelBackend")
        url = f"/formations/inscriptions/{enrolment.pk}/annuler/"
        response = self.client.post(url, {"reason": "malade\x00"})
        self.assertEqual(response.status_code, 400)
        before = enrolment.status
        enrolment.refresh_from_db()
        self.assertEqual(enrolment.status, before)
        # The same form without the NUL byte cancels.
        self.client.post(url, {"reason": "malade"})
        enrolment.refresh_from_db()
        self.assertEqual(enrolment.status, Enrolment.Status.CANCELLED_BY_TRAINEE)

    def test_an_uploaded_file_may_hold_nul_bytes(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        response = self.client.post(
            "/v/", {"file": SimpleUploadedFile("a.bin", b"\x00\x01"), "code": "x"}
        )
        self.assertNotEqual(response.status_code, 400)
