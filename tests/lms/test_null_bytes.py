"""An address with a NUL byte is a clear 400, never a database error (PostgreSQL refuses NUL)."""

from django.test import TestCase


class NullByteTests(TestCase):
    def test_a_nul_byte_in_the_path_or_the_query_is_a_400(self):
        for url in ("/formations/calendrier/%00.ics", "/v/AB%00CD", "/?q=%00"):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 400)

    def test_ordinary_addresses_still_answer(self):
        self.assertEqual(self.client.get("/v/").status_code, 200)
