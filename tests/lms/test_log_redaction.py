"""Secrets in URL paths (feed tokens, signed links, codes) never reach the request logs."""

import logging
import secrets

from django.core import signing
from django.urls import reverse

from lms.core.log_filters import REDACTED, redact
from lms.privacy.services import EXPORT_LINK_SALT
from tests.base import PersonasTestCase


class RequestLogRedactionTests(PersonasTestCase):
    def test_an_unknown_calendar_feed_token_is_logged_redacted(self):
        token = secrets.token_urlsafe(32)
        with self.assertLogs("django.request", logging.WARNING) as logs:
            response = self.client.get(reverse("courses:calendar-feed", args=[token]))
        self.assertEqual(response.status_code, 404)
        output = "\n".join(logs.output)
        self.assertNotIn(token, output)
        self.assertIn(f"/formations/calendrier/{REDACTED}.ics", output)

    def test_a_signed_export_link_is_logged_redacted(self):
        # Someone else's (or a deleted) archive: a valid signature, but 404 for this person.
        token = signing.dumps(987654, salt=EXPORT_LINK_SALT)
        self.login(self.trainee)
        with self.assertLogs("django.request", logging.WARNING) as logs:
            response = self.client.get(reverse("privacy:export-download", args=[token]))
        self.assertEqual(response.status_code, 404)
        output = "\n".join(logs.output)
        self.assertNotIn(token, output)
        self.assertNotIn(token.split(":")[-1], output)
        self.assertIn(REDACTED, output)

    def test_the_development_server_request_line_is_redacted(self):
        token = secrets.token_urlsafe(32)
        with self.assertLogs("django.server", logging.INFO) as logs:
            logging.getLogger("django.server").info(
                '"%s" %s %s', f"GET /en/formations/calendrier/{token}.ics HTTP/1.1", "404", "179"
            )
        self.assertNotIn(token, logs.output[0])
        self.assertIn(f"/en/formations/calendrier/{REDACTED}.ics", logs.output[0])


class RedactTests(PersonasTestCase):
    def test_verification_codes_and_reset_keys_are_redacted_by_url_name(self):
        self.assertEqual(redact("Not Found: /v/ABCD-EFGH-JKLM-NPQR"), f"Not Found: /v/{REDACTED}")
        self.assertEqual(
            redact("/en/certification/certificats/ABCD-EFGH-JKLM-NPQR/pdf/"),
            f"/en/certification/certificats/{REDACTED}/pdf/",
        )
        self.assertNotIn("3f9k2m", redact("/accounts/password/reset/key/1a-3f9k2m/"))

    def test_token_like_segments_of_unknown_paths_are_redacted(self):
        hex_token = secrets.token_hex(20)
        self.assertEqual(redact(f"/nowhere/{hex_token}/"), f"/nowhere/{REDACTED}/")
        signed = signing.dumps(1, salt="x")
        self.assertEqual(redact(f"/nowhere/{signed}"), f"/nowhere/{REDACTED}")

    def test_ordinary_paths_stay_readable(self):
        for path in (
            "/formations/sessions/12/",
            "/catalogue/formation-de-base-en-pair-aidance-2025/",
            "/formateur/evaluations/42/publier/",
            "/static/grading/grid.js",
        ):
            self.assertEqual(redact(f"Not Found: {path}"), f"Not Found: {path}")
