import re
from pathlib import Path

from django.test import TestCase

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
APP_TEMPLATES = [p for p in Path(__file__).resolve().parents[2].glob("*/templates") if p.is_dir()]


class SecurityHeadersTests(TestCase):
    def test_public_pages_carry_a_content_security_policy_without_inline_scripts(self):
        response = self.client.get("/")

        policy = response["Content-Security-Policy"]
        self.assertIn("script-src 'self'", policy)
        self.assertNotIn("unsafe-inline", policy)
        self.assertIn("frame-ancestors 'none'", policy)

    def test_public_pages_forbid_framing_sniffing_and_leaking_the_referrer(self):
        response = self.client.get("/")

        self.assertEqual(response["X-Frame-Options"], "DENY")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Referrer-Policy"], "same-origin")


class NoInlineCodeTests(TestCase):
    """The policy forbids inline scripts and styles, so site templates must not contain any."""

    def site_templates(self):
        for root in [TEMPLATES, *APP_TEMPLATES]:
            for path in root.rglob("*.html"):
                relative = path.relative_to(root).as_posix()
                # Emails and PDF sources are not web pages; the Wagtail admin is outside the policy.
                parts = set(relative.split("/")[:-1])
                if parts & {"emails", "pdf", "admin", "wagtailadmin"}:
                    continue
                yield path

    def test_no_site_template_has_an_inline_script_or_style(self):
        offenders = []
        for path in self.site_templates():
            html = path.read_text(encoding="utf-8")
            if re.search(
                r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(ld\+)?json\")[^>]*>", html
            ):
                offenders.append(f"{path}: inline <script>")
            if re.search(r"\sstyle=\"", html) or "<style" in html:
                offenders.append(f"{path}: inline style")
            if re.search(r"\son[a-z]+=\"", html):
                offenders.append(f"{path}: inline event handler")
        self.assertEqual(offenders, [])
