import re
from pathlib import Path

from django.test import RequestFactory, TestCase
from django.urls import reverse
from wagtail.models import Site

from tests.base import PersonasTestCase

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


class AdminContentSecurityPolicyTests(PersonasTestCase):
    """The Wagtail admin has its own policy: inline code allowed (Wagtail needs it), the rest
    as strict as the site's."""

    def directives(self, response):
        policy = response["Content-Security-Policy"]
        return {
            name: values.split()
            for name, _sep, values in (d.strip().partition(" ") for d in policy.split(";"))
        }

    def test_admin_pages_carry_the_admin_policy(self):
        self.login(self.coordinator)
        for url in ("/admin/", reverse("audit_index"), "/admin/pages/"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                directives = self.directives(response)
                self.assertEqual(directives["object-src"], ["'none'"])
                self.assertEqual(directives["base-uri"], ["'self'"])
                self.assertEqual(directives["frame-ancestors"], ["'none'"])
                self.assertEqual(directives["form-action"], ["'self'"])
                self.assertEqual(directives["script-src"], ["'self'", "'unsafe-inline'"])
                self.assertNotIn("'unsafe-eval'", response["Content-Security-Policy"])

    def test_the_admin_login_page_is_covered_too(self):
        response = self.client.get("/admin/login/")
        self.assertIn("frame-ancestors 'none'", response["Content-Security-Policy"])

    def test_admin_views_marked_sameorigin_may_be_framed_by_the_admin_only(self):
        # Wagtail marks its preview views SAMEORIGIN; without form data it answers its own
        # "preview error" page, rendered by the admin view itself.
        self.login(self.coordinator)
        home = Site.objects.get(is_default_site=True).root_page
        response = self.client.get(f"/admin/pages/{home.pk}/edit/preview/")
        self.assertEqual(response["X-Frame-Options"], "SAMEORIGIN")
        self.assertEqual(self.directives(response)["frame-ancestors"], ["'self'"])

    def test_a_page_preview_keeps_the_site_policy_but_may_be_framed_by_the_editor(self):
        # The preview itself is rendered through the middleware with a dummy request for the
        # page's public address (what the editor's iframe shows).
        home = Site.objects.get(is_default_site=True).root_page.specific
        original = RequestFactory().get("/admin/")
        original.user = self.coordinator
        response = home.make_preview_request(original, home.default_preview_mode)
        directives = self.directives(response)
        self.assertEqual(directives["frame-ancestors"], ["'self'"])
        self.assertEqual(directives["script-src"], ["'self'"])
        self.assertEqual(directives["object-src"], ["'none'"])

    def test_the_public_site_keeps_its_strict_policy(self):
        policy = self.client.get("/")["Content-Security-Policy"]
        self.assertNotIn("unsafe-inline", policy)

    def test_the_admin_asks_no_third_party_for_avatars(self):
        self.login(self.coordinator)
        self.assertNotContains(self.client.get("/admin/"), "gravatar.com")


class NoInlineCodeTests(TestCase):
    """The policy forbids inline scripts and styles, so site templates must not contain any."""

    def site_templates(self):
        for root in [TEMPLATES, *APP_TEMPLATES]:
            for path in root.rglob("*.html"):
                relative = path.relative_to(root).as_posix()
                # Emails and PDF sources are not web pages; the Wagtail admin has its own policy.
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
