"""One small world where every URL argument points at a real object, built once per class.

Each protected object has an owner among the personas (the trainee, the trainer, the assessor);
the matching "other" persona (other_trainee, other_trainer, other_assessor) plays the person who
must not reach it.
"""

import shutil
import tempfile
from datetime import timedelta
from types import SimpleNamespace

from cryptography.fernet import Fernet
from django.db import models
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Site

from certification.models import CompetencyFramework, LedgerEntry
from certification.verification import services as verification_services
from cms_pages.models import (
    CourseIndexPage,
    CoursePage,
    SessionFinderPage,
    SiteIdentity,
    StandardPage,
)
from courses import services as course_services
from courses.grading import services as grading_services
from courses.grading.models import Result
from courses.models import Exemption
from lms.accounts.roles import Role
from lms.notifications.models import Notification, OutboxEmail
from tests.certification.factories import CertificationFactory, RulesFactory, make_framework
from tests.courses.factories import SessionFactory
from tests.grading.factories import grade_all, make_assessment, make_session
from tests.lms.factories import UserFactory
from tests.security.urlwalk import PROJECT_PACKAGES
from tests.vae.factories import make_candidacy, make_vae_certification, pdf_upload
from tests.verification.helpers import TEST_PRIVATE_KEY_PEM, issue
from vae import services as vae_services


class IsolatedFilesMixin:
    """Files written while building the world (certificate PDFs, evidence) go to a temporary
    folder for the whole class; VAE texts are encrypted with a throw-away key."""

    @classmethod
    def setUpClass(cls):
        cls._files_dir = tempfile.mkdtemp(prefix="parcours-security-")
        cls._files_kwargs = {
            "MEDIA_ROOT": f"{cls._files_dir}/media",
            "PRIVATE_MEDIA_ROOT": f"{cls._files_dir}/private",
            "STORAGES": {
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "private": {
                    "BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": f"{cls._files_dir}/private", "base_url": None},
                },
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            },
            "VAE_ENCRYPTION_KEYS": [Fernet.generate_key().decode("ascii")],
            "CREDENTIAL_SIGNING_KEY": TEST_PRIVATE_KEY_PEM,
            "CREDENTIAL_SIGNING_KEY_FILE": "",
        }
        cls._files_settings = override_settings(**cls._files_kwargs)
        cls._files_settings.enable()
        try:
            super().setUpClass()
        except Exception:
            cls._files_settings.disable()
            shutil.rmtree(cls._files_dir, ignore_errors=True)
            raise

    def setUp(self):
        # tests/conftest.py points storage at a per-test folder; the class's files live here.
        super().setUp()
        per_test = override_settings(**self._files_kwargs)
        per_test.enable()
        self.addCleanup(per_test.disable)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls._files_settings.disable()
        shutil.rmtree(cls._files_dir, ignore_errors=True)


def build_world(p) -> SimpleNamespace:  # type: ignore[no-untyped-def]
    """``p`` holds the personas (a PersonasTestCase class). Returns the objects by name."""
    w = SimpleNamespace()
    third_assessor = UserFactory(email="jury3@example.org", role=Role.ASSESSOR)

    # VAE: the trainee's draft candidacy, counselled by the assessor (with an experience and
    # a piece of evidence), and a candidacy before a jury that the assessor chairs.
    _framework, vae_certification, _modules = make_vae_certification()
    w.candidacy = make_candidacy(p.trainee, vae_certification)
    vae_services.assign_counsellor(candidacy=w.candidacy, by=p.coordinator, counsellor=p.assessor)
    w.experience = vae_services.save_experience(
        candidacy=w.candidacy,
        by=p.trainee,
        kind="volunteering",
        role="Animatrice",
        started_on=timezone.localdate() - timedelta(days=900),
        hours=200,
    )
    w.evidence = vae_services.upload_evidence(
        candidacy=w.candidacy, by=p.trainee, upload=pdf_upload()
    )
    w.block = vae_services.target_blocks(w.candidacy)[0]
    jury_certification = CertificationFactory(
        framework_code=make_framework(code="matrix-jury").code
    )
    RulesFactory(certification=jury_certification)
    w.jury_candidacy = make_candidacy(
        p.trainee,
        jury_certification,
        status="jury_scheduled",
        coordinator=p.coordinator,
        jury=(p.assessor, third_assessor),
    )
    # A second jury the assessor sits on, scheduled but not yet declared on: the only kind of
    # candidacy the conflict-of-interest declaration opens for (the one above is declared).
    declaration_certification = CertificationFactory(
        framework_code=make_framework(code="matrix-declaration").code
    )
    RulesFactory(certification=declaration_certification)
    w.undeclared_jury_candidacy = make_candidacy(
        p.trainee,
        declaration_certification,
        status="portfolio_submitted",
        coordinator=p.coordinator,
    )
    vae_services.schedule_jury(
        candidacy=w.undeclared_jury_candidacy,
        session=vae_services.create_jury_session(
            by=p.coordinator,
            starts_at=timezone.now() + timedelta(days=21),
            members=[p.assessor, third_assessor],
            chair=p.assessor,
            place="Liège, rue Saint-Gilles 1",
        ),
        by=p.coordinator,
    )

    # Certification: the trainee's certificate, its ledger entries, a partner's API key.
    w.certificate = issue(p.trainee)
    w.certification = w.certificate.certification
    w.framework = CompetencyFramework.objects.get(code=w.certification.framework_code)
    w.ledger_entry = LedgerEntry.objects.filter(person=p.trainee).first()
    w.api_key, w.raw_api_key = verification_services.create_api_key(
        partner_name="Mutualité partenaire", created_by=p.coordinator, owner=p.partner
    )

    # Training: a past session taught by the trainer (results released), one taught by the
    # other trainer, and an upcoming session where the trainee is enrolled.
    w.session = make_session(trainer=p.trainer, trainees=[p.trainee, p.other_trainee])
    w.meeting = w.session.meetings.first()
    w.assessment = make_assessment(w.session, p.trainer)
    grade_all(w.assessment, p.trainer, [p.trainee, p.other_trainee])
    grading_services.mark_ready_for_review(assessment=w.assessment, by=p.trainer)
    grading_services.release_results(assessment=w.assessment, by=p.trainer)
    w.result = Result.objects.get(assessment=w.assessment, trainee=p.trainee)
    w.draft_assessment = make_assessment(w.session, p.trainer)
    # Ready for review, not released: releasing it writes, so a refused release that wrote
    # anything would show (releasing the released one above changes nothing either way).
    w.ready_assessment = make_assessment(w.session, p.trainer)
    grade_all(w.ready_assessment, p.trainer, [p.trainee, p.other_trainee])
    grading_services.mark_ready_for_review(assessment=w.ready_assessment, by=p.trainer)
    w.upcoming = SessionFactory(course=w.session.course)
    w.upcoming.trainers.add(p.trainer)
    w.enrolment = course_services.enrol_trainee(session=w.upcoming, trainee=p.trainee)
    w.course = w.session.course
    w.module = w.session.module
    w.venue = w.session.venue
    w.exemption = Exemption.objects.create(
        person=p.trainee, module=w.module, source="vae", granted_by=p.coordinator
    )
    w.feed_token = course_services.get_or_create_feed_token(user=p.trainee).token

    # Notifications: the trainee's own, and an email in the outbox.
    w.notification = Notification.objects.create(
        recipient=p.trainee, event="matrix", title="Bonjour", dedupe_key="matrix-1"
    )
    w.outbox = OutboxEmail.objects.create(
        dedupe_key="matrix-1",
        event="matrix",
        recipient=p.trainee,
        to_address=p.trainee.email,
        language="fr",
        subject="Bonjour",
        text_body="Bonjour",
        status=OutboxEmail.Status.FAILED,
    )

    # Operations, imports and privacy: a failed task, the coordinator's import job, the
    # trainee's consent, archive and erasure request.
    from lms.core.models import FailedTask
    from lms.dataexchange import services as exchange_services
    from lms.privacy import services as privacy_services

    w.failed_task = FailedTask.objects.create(
        task_name="courses.tasks.expire_offers_task",
        task_id="matrix-task",
        exception_type="OSError",
    )
    w.import_job = exchange_services.create_import_job(
        name="users",
        filename="personnes.csv",
        content=b"email,firstname,lastname\nnew.person@example.org,Nina,Petit\n",
        actor=p.coordinator,
    )
    w.consent = privacy_services.record_consent(user=p.trainee, purpose="privacy_notice")
    w.data_export = privacy_services.request_data_export(user=p.trainee)
    w.export_token = privacy_services.export_link_token(w.data_export)
    w.erasure_request = privacy_services.request_erasure(user=p.trainee)

    # Pages: one of each project page type under the home page.
    site = Site.objects.get(is_default_site=True)
    SiteIdentity.for_site(site)  # made on first page view otherwise (not a write of the view)
    w.home = site.root_page.specific
    w.standard_page = w.home.add_child(instance=StandardPage(title="À propos", slug="a-propos"))
    w.course_index = w.home.add_child(
        instance=CourseIndexPage(title="Formations", slug="catalogue")
    )
    w.course_page = w.course_index.add_child(
        instance=CoursePage(title="Formation de base", slug="base", course=w.course)
    )
    w.finder = w.home.add_child(instance=SessionFinderPage(title="Sessions", slug="sessions"))
    return w


def project_models() -> list[type[models.Model]]:
    from django.apps import apps

    return [
        m
        for m in apps.get_models()
        if m.__module__.split(".")[0] in PROJECT_PACKAGES
        and not m._meta.proxy
        and m._meta.managed  # a model without a table only carries permissions
    ]


def snapshot() -> dict[str, int]:
    """A fingerprint of every row of every project model: equal before and after means the
    request wrote nothing."""
    return {
        m._meta.label: hash(repr(list(m._default_manager.order_by("pk").values_list())))
        for m in project_models()
    }
