"""Factories and helpers for VAE tests: a certification on B1–B4, candidacies in any status."""

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from certification.models import CompetencyBlock
from lms.accounts.models import User
from tests.certification.helpers import make_certification
from tests.courses.factories import CourseFactory, ModuleFactory
from vae import services
from vae.models import Candidacy

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name="attestation.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_vae_certification():
    """A certification requiring blocks B1–B4 (auto-issue on), and a course with one module
    per block."""
    framework, certification = make_certification()
    course = CourseFactory()
    modules = {
        block.code: ModuleFactory(course=course, code=f"module-{block.code.lower()}-{block.pk}")
        for block in framework.blocks.all()
    }
    return framework, certification, modules


def fill_portfolio(candidacy: Candidacy, candidate: User) -> None:
    services.save_experience(
        candidacy=candidacy,
        by=candidate,
        kind="volunteering",
        organisation="Ligue d'entraide",
        role="Animatrice d'un groupe de parole",
        started_on=date(2018, 1, 1),
        ended_on=date(2023, 6, 30),
        hours=600,
    )
    for block in services.target_blocks(candidacy):
        services.save_self_assessment(
            candidacy=candidacy,
            by=candidate,
            block=block,
            levels={c.pk: "yes" for c in block.competencies.all()},
            narrative=f"Ce que j'ai vécu et appris pour {block.code}.",
        )
    services.sign_sworn_statement(candidacy=candidacy, by=candidate, sworn=True)


def make_candidacy(candidate, certification, *, status="draft", coordinator=None, jury=None):
    """A candidacy brought to ``status`` through the real services.

    ``jury`` is (chair, other_member) for statuses from jury_scheduled on.
    """
    candidacy = services.open_candidacy(candidate=candidate, certification=certification)
    if status == "draft":
        return candidacy
    fill_portfolio(candidacy, candidate)
    candidacy = services.submit_candidacy(candidacy=candidacy, by=candidate)
    if status == "submitted":
        return candidacy
    services.decide_admissibility(candidacy=candidacy, by=coordinator, outcome="admissible")
    candidacy.refresh_from_db()
    if status == "admissible":
        return candidacy
    services.sign_sworn_statement(candidacy=candidacy, by=candidate, sworn=True)
    candidacy.refresh_from_db()
    if status == "portfolio_in_progress":
        return candidacy
    candidacy = services.submit_portfolio(candidacy=candidacy, by=candidate)
    if status == "portfolio_submitted":
        return candidacy
    chair, member = jury
    session = services.create_jury_session(
        by=coordinator,
        starts_at=timezone.now() + timedelta(days=14),
        members=[chair, member],
        chair=chair,
        place="Namur, rue de Fer 10",
    )
    candidacy = services.schedule_jury(candidacy=candidacy, session=session, by=coordinator)
    for person in (chair, member):
        services.declare_conflict_of_interest(
            candidacy=candidacy, member=person, has_conflict=False
        )
    return candidacy


def verdicts(framework, acquired_codes):
    return [
        services.BlockVerdict(
            block=block,
            acquired=block.code in acquired_codes,
            justification=f"Justification pour {block.code}",
        )
        for block in CompetencyBlock.objects.filter(framework=framework).order_by("position")
    ]
