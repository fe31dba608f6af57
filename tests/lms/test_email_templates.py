"""Every email template renders in French, Dutch and English, with no untranslated string.

Each template (found on disk by its ``*_subject.txt`` part) must have its cases below: a new
template without one fails the test. While rendering in French or Dutch, every message the
template asks gettext for is checked against the active catalogue, so a sentence left in English
fails the test even if its text happens to look fine.
"""

import re
from datetime import date, timedelta
from html import escape
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

from django.conf import settings
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy, trans_real

from certification.models import Certificate
from courses.models import Enrolment
from lms.notifications.services import _render, notify
from tests.base import PersonasTestCase
from tests.courses.factories import CertificationFactory, SessionFactory
from tests.lms.factories import UserFactory

LANGUAGES = ("fr", "nl", "en")
PROJECT_DIRS = ("templates", "lms", "courses", "certification", "vae", "cms_pages")

ENROLMENT_EVENTS = (
    "confirmed",
    "requested",
    "waiting_list",
    "offered",
    "offer_expired",
    "cancelled",
    "refused",
    "reminder",
    "changed",
)
# Names and titles with the characters HTML escapes: they must come out verbatim in subjects,
# text parts and in-app titles, and escaped exactly once in HTML parts and pages.
TRICKY_NAME = "Anaïs D'Hondt & <Co>"
TRICKY_TITLE = "L'écoute active & <relais>"
# What an escaped plain text would show: &amp; &#x27; &lt; …
HTML_ENTITY = re.compile(r"&(#x?[0-9a-fA-F]+|[a-zA-Z]+);")

CERTIFICATE_EVENTS = (
    "issued",
    "renewed",
    "expiring",
    "expired",
    "suspended",
    "reinstated",
    "revoked",
)


def email_templates() -> set[str]:
    """Names of the email templates on disk (``dir/name`` without the ``_subject.txt`` end)."""
    base = Path(settings.BASE_DIR)
    names = set()
    for top in PROJECT_DIRS:
        for subject in (base / top).rglob("*_subject.txt"):
            parts = subject.relative_to(base).parts
            root = parts.index("templates")
            names.add("/".join(parts[root + 1 :]).removesuffix("_subject.txt"))
    return names


class UntranslatedMessages:
    """Patch gettext while active: collect every msgid missing from the active catalogue."""

    def __init__(self):
        self.missing: set[str] = set()

    def _check(self, key, msgid: str) -> None:
        language = translation.get_language()
        if language == "en" or not msgid.strip():
            return
        catalog = trans_real.translation(language)._catalog
        if key not in catalog:
            self.missing.add(msgid)

    def __enter__(self):
        real = trans_real

        def gettext(message):
            self._check(message, message)
            return real.gettext(message)

        def pgettext(context, message):
            self._check(f"{context}\x04{message}", message)
            return real.pgettext(context, message)

        def ngettext(singular, plural, number):
            self._check((singular, 0), singular)
            return real.ngettext(singular, plural, number)

        self._patches = [
            mock.patch.object(translation._trans, "gettext", gettext, create=True),
            mock.patch.object(translation._trans, "pgettext", pgettext, create=True),
            mock.patch.object(translation._trans, "ngettext", ngettext, create=True),
        ]
        for patch in self._patches:
            patch.start()
        return self

    def __exit__(self, *exc):
        for patch in reversed(self._patches):
            patch.stop()


class EmailTemplatesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.trainee = UserFactory(first_name="Anaïs", last_name="D'Hondt & <Co>")
        cls.session = SessionFactory(course__title=TRICKY_TITLE)
        cls.enrolment = Enrolment.objects.create(
            session=cls.session, trainee=cls.trainee, status=Enrolment.Status.CONFIRMED
        )
        cls.certification = CertificationFactory(title=TRICKY_TITLE)

    def certificate(self) -> Certificate:
        return Certificate(
            holder=self.trainee,
            certification=self.certification,
            code="PA7K-3M9Q-XW2D-8RTF",
            register_number=12,
            name_as_printed="Anaïs Lefèvre",
            valid_until=timezone.localdate() + timedelta(days=40),
        )

    def cases(self) -> dict[str, list[dict]]:
        meetings = list(self.session.meetings.order_by("starts_at"))
        candidacy = SimpleNamespace(reference="VAE-2026-0042", get_status_display="Recevable")
        enrolment_context = {
            "enrolment": self.enrolment,
            "session": self.session,
            "trainee": self.trainee,
            "reason": "Le formateur est malade.",
            "meetings": meetings,
            "session_url": "https://parcours.example/s/1",
            "space_url": "https://parcours.example/espace/",
        }
        return {
            "emails/account_welcome": [{}],
            "emails/two_factor_reset": [{}],
            "courses/emails/enrolment": [
                {**enrolment_context, "event": event} for event in ENROLMENT_EVENTS
            ],
            "grading/emails/results_released": [
                {"assessment_title": TRICKY_TITLE, "module": "Module 1"}
            ],
            "grading/emails/asked_to_repeat": [
                {"assessment_title": TRICKY_TITLE, "deadline": date(2027, 3, 1)}
            ],
            "vae/emails/status_changed": [
                {
                    "candidacy": candidacy,
                    "message": gettext_lazy("The jury that will examine your appeal is scheduled."),
                    "reason": "",
                }
            ],
            "vae/emails/lapse_warning": [{"candidacy": candidacy, "lapse_on": date(2027, 3, 1)}],
            "emails/import_finished": [
                {
                    "job": SimpleNamespace(
                        status=status,
                        original_name="stagiaires-namur.csv",
                        new_count=12,
                        updated_count=3,
                        unchanged_count=40,
                    ),
                    "dataset_label": "Personnes",
                    "event": status,
                }
                for status in ("done", "failed")
            ],
            "privacy/emails/export_ready": [{"expires_at": timezone.now()}],
            "privacy/emails/erasure_requested": [{"erasure": SimpleNamespace(reason="")}],
            "privacy/emails/erasure_declined": [
                {"erasure": SimpleNamespace(reason="Une procédure de recours est en cours.")}
            ],
            "certification/emails/certificate": [
                {
                    "event": event,
                    "certificate": self.certificate(),
                    "title": self.certification.title,
                    "reason": "Une question est examinée." if event == "suspended" else "",
                    "verification_url": "https://parcours.example/v/PA7K-3M9Q-XW2D-8RTF",
                }
                for event in CERTIFICATE_EVENTS
            ],
        }

    def test_every_email_template_on_disk_has_its_cases_here(self):
        self.assertEqual(email_templates(), set(self.cases()))

    def test_every_email_renders_in_every_language_with_no_untranslated_string(self):
        seen: dict[str, set[str]] = {}
        for template, contexts in self.cases().items():
            for context in contexts:
                for language in LANGUAGES:
                    label = f"{template} {context.get('event', '')} [{language}]"
                    with self.subTest(label), translation.override(language):
                        full = {
                            "recipient": self.trainee,
                            "site_url": "https://parcours.example",
                            "url": "https://parcours.example/espace/",
                            **context,
                        }
                        with UntranslatedMessages() as checker:
                            subject, text, html = _render(template, full)
                        self.assertEqual(checker.missing, set(), label)
                        self.assertTrue(subject.strip(), label)
                        self.assertIn(f'lang="{language}"', html, label)
                        # Plain text is never HTML-escaped, be it a name or a translation.
                        self.assertIsNone(HTML_ENTITY.search(subject), (label, subject))
                        self.assertIsNone(HTML_ENTITY.search(text), (label, text))
                        self.assertIn(TRICKY_NAME, text, label)
                        # HTML escapes it once: no "&amp;#x27;".
                        self.assertIn(escape(TRICKY_NAME), html, label)
                        self.assertNotIn("&amp;#", html, label)
                        self.assertNotIn("&amp;amp;", html, label)
                        has_title = "title" in context or "assessment_title" in context
                        if has_title or template == "courses/emails/enrolment":
                            self.assertIn(TRICKY_TITLE, subject + text, label)
                        seen.setdefault(f"{template} {context.get('event', '')}", set()).add(
                            subject
                        )
        # The three languages give three different subjects: the catalogues really apply.
        for label, subjects in seen.items():
            with self.subTest(label):
                self.assertEqual(len(subjects), 3, subjects)

    def test_the_checker_catches_a_string_missing_from_the_catalogue(self):
        with translation.override("nl"), UntranslatedMessages() as checker:
            translation.gettext("A sentence nobody translated")
            translation.gettext("Your space:")
        self.assertEqual(checker.missing, {"A sentence nobody translated"})


class InAppTitleTests(PersonasTestCase):
    def test_a_tricky_title_is_verbatim_in_the_notification_and_escaped_once_on_screen(self):
        self.trainee.preferred_language = "fr"
        self.trainee.save(update_fields=["preferred_language"])
        notification = notify(
            recipient=self.trainee,
            event="results.released",
            template="grading/emails/results_released",
            context={"assessment_title": TRICKY_TITLE, "module": "Module 1"},
            dedupe_key="results.released:tricky",
        )
        self.assertTrue(notification.title.endswith(TRICKY_TITLE), notification.title)

        self.login(self.trainee)
        page = self.client.get(reverse("notifications:list")).content.decode()

        self.assertIn(escape(TRICKY_TITLE), page)
        self.assertNotIn("&amp;#x27;", page)
        self.assertNotIn("&amp;amp;", page)
