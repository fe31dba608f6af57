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


class ProductionHeadersTests(TestCase):
    """The security settings computed under production variables (a fresh process), applied to
    a real request: every page carries CSP, HSTS, nosniff, a referrer policy and anti-framing."""

    NAMES = [
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "SECURE_REFERRER_POLICY",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY",
        "X_FRAME_OPTIONS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "CONTENT_SECURITY_POLICY",
    ]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        import json

        from tests.lms.test_settings import PRODUCTION, run

        code = (
            "import json, django; django.setup(); from django.conf import settings as s; "
            f"print(json.dumps({{n: getattr(s, n) for n in {cls.NAMES!r}}}))"
        )
        result = run(code, **PRODUCTION)
        assert result.returncode == 0, result.stderr
        cls.production = json.loads(result.stdout.strip().splitlines()[-1])

    def test_production_turns_on_hsts_and_secure_cookies(self):
        self.assertGreaterEqual(self.production["SECURE_HSTS_SECONDS"], 31536000)
        self.assertTrue(self.production["SESSION_COOKIE_SECURE"])
        self.assertTrue(self.production["CSRF_COOKIE_SECURE"])

    def test_pages_carry_every_security_header_under_production_settings(self):
        from django.test import override_settings

        with override_settings(**self.production, SECURE_SSL_REDIRECT=False):
            for url in ("/", "/accounts/login/", "/accounts/2fa/authenticate/"):
                with self.subTest(url=url):
                    response = self.client.get(url, secure=True)
                    self.assertIn("max-age=31536000", response["Strict-Transport-Security"])
                    self.assertIn("includeSubDomains", response["Strict-Transport-Security"])
                    policy = response["Content-Security-Policy"]
                    self.assertIn("script-src 'self'", policy)
                    self.assertNotIn("unsafe-inline", policy)
                    self.assertIn("frame-ancestors 'none'", policy)
                    self.assertEqual(response["X-Frame-Options"], "DENY")
                    self.assertEqual(response["X-Content-Type-Options"], "nosniff")
                    self.assertEqual(response["Referrer-Policy"], "same-origin")


class DocumentUploadTests(TestCase):
    """Editors' documents (Wagtail) are office files only, always served as attachments."""

    def test_an_html_page_cannot_be_uploaded_as_a_document(self):
        from django.core.exceptions import ValidationError
        from django.core.files.base import ContentFile
        from wagtail.documents.models import Document

        document = Document(title="Piège", file=ContentFile(b"<script>x</script>", "page.html"))

        with self.assertRaises(ValidationError):
            document.full_clean()

    def test_a_pdf_document_is_downloaded_as_an_attachment_with_nosniff(self):
        from django.core.files.base import ContentFile
        from wagtail.documents.models import Document

        document = Document.objects.create(
            title="Programme", file=ContentFile(b"%PDF-1.4\n%%EOF\n", "programme.pdf")
        )

        response = self.client.get(document.url)

        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Disposition"].startswith("attachment"))
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
