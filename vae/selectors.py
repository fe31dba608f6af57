"""Reads of the VAE app, including who may see which candidacy (and only while assigned)."""

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from lms.accounts.models import User
from lms.accounts.roles import Role

from . import transitions
from .models import (
    Candidacy,
    ConflictDeclaration,
    Evidence,
    JuryMember,
    LivedExperienceNarrative,
)

# A jury member sees the file only while the jury is pending (scheduled or on appeal).
JURY_STATUSES = (Candidacy.Status.JURY_SCHEDULED, Candidacy.Status.APPEALED)


def is_coordinator(user: User) -> bool:
    return bool(user.is_authenticated and user.has_role(Role.COORDINATOR))


def is_vae_staff(user: User) -> bool:
    return bool(
        user.is_authenticated and (user.has_role(Role.COORDINATOR) or user.has_role(Role.ASSESSOR))
    )


def _latest_conflict(user: User) -> Subquery:
    """The member's latest declaration about a candidacy: True (conflict), False, or None."""
    return Subquery(
        ConflictDeclaration.objects.filter(candidacy=OuterRef("pk"), member=user)
        .order_by("-declared_at", "-pk")
        .values("has_conflict")[:1]
    )


def candidacies_for_staff(user: User) -> QuerySet[Candidacy]:
    """Candidacies a staff member may open: all for coordinators; for an assessor, those they
    counsel (until the candidacy is finished) or judge (while the jury is pending)."""
    base = Candidacy.objects.select_related("candidate", "certification", "counsellor")
    if not user.is_authenticated:
        return base.none()
    if user.has_role(Role.COORDINATOR):
        return base.all()
    if not user.has_role(Role.ASSESSOR):
        return base.none()
    counselling = Q(counsellor=user) & ~Q(status__in=transitions.FINISHED)
    sits = JuryMember.objects.filter(session=OuterRef("jury_session"), member=user)
    judging = Q(Exists(sits), status__in=JURY_STATUSES, latest_conflict=False)
    return base.annotate(latest_conflict=_latest_conflict(user)).filter(counselling | judging)


def candidacies_awaiting_declaration(user: User) -> QuerySet[Candidacy]:
    """Candidacies on a jury ``user`` sits on, for which they have not yet declared."""
    if not user.is_authenticated or not user.has_role(Role.ASSESSOR):
        return Candidacy.objects.none()
    return (
        Candidacy.objects.filter(status__in=JURY_STATUSES, jury_session__memberships__member=user)
        .exclude(conflict_declarations__member=user)
        .select_related("candidate", "counsellor", "certification", "jury_session")
    )


def get_candidacy_for_staff(user: User, pk: int) -> Candidacy:
    """One candidacy for a staff screen, or 404 (never say whether it exists)."""
    candidacy = candidacies_for_staff(user).filter(pk=pk).first()
    if candidacy is None:
        raise Http404
    return candidacy


def candidacies_for_candidate(user: User) -> QuerySet[Candidacy]:
    if not user.is_authenticated:
        return Candidacy.objects.none()
    return Candidacy.objects.filter(candidate=user).select_related("certification")


def get_candidacy_for_candidate(user: User, pk: int) -> Candidacy:
    """The signed-in person's own candidacy, or 404."""
    candidacy = candidacies_for_candidate(user).filter(pk=pk).first()
    if candidacy is None:
        raise Http404
    return candidacy


def get_evidence_for_download(user: User, pk: int) -> Evidence:
    """An evidence file the user may download: the candidate's own, or one of a candidacy
    the user may open as staff. Anything else is a 404."""
    evidence = Evidence.objects.select_related("candidacy").filter(pk=pk).first()
    if evidence is None or not user.is_authenticated:
        raise Http404
    if evidence.candidacy.candidate_id == user.pk:
        return evidence
    if candidacies_for_staff(user).filter(pk=evidence.candidacy_id).exists():
        return evidence
    raise Http404


def lived_experience_for(candidacy: Candidacy) -> str:
    """The lived-experience narrative, only while the candidate's consent is in force."""
    if not candidacy.lived_experience_consents.filter(withdrawn_at__isnull=True).exists():
        return ""
    narrative = LivedExperienceNarrative.objects.filter(candidacy=candidacy).first()
    return narrative.text if narrative else ""


def history_for(candidacy: Candidacy):  # type: ignore[no-untyped-def]
    return candidacy.status_changes.select_related("changed_by").order_by("changed_at", "pk")
