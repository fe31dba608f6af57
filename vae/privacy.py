"""Personal data of VAE: the candidacy file, evidence, lived experience, admissibility, jury.

Erasure deletes what the candidate wrote and uploaded (experiences, self-assessment,
narratives, lived experience, evidence files) and every note written about them (admissibility
reasons, conflict-of-interest notes, status reasons). Drafts are deleted entirely. Decisions
stay as facts: the outcome of each admissibility decision, and the signed jury decisions, which
are never changed (an appeal may still refer to them) and from which the ledger awards blocks.
"""

from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.accounts.models import User
from lms.privacy.registry import Attachment, Export, PersonalData, Provider

from . import transitions
from .models import (
    AdmissibilityDecision,
    BlockNarrative,
    Candidacy,
    CandidacyStatusChange,
    ConflictDeclaration,
    Evidence,
    Experience,
    LivedExperienceConsent,
    LivedExperienceNarrative,
    SelfAssessment,
)
from .services.evidence import _delete_files, storage


def _reader(name: str):  # type: ignore[no-untyped-def]
    def read() -> bytes:
        with storage().open(name, "rb") as handle:
            return handle.read()

    return read


def export(user: User) -> Export:
    candidacies = (
        Candidacy.objects.filter(candidate=user)
        .select_related("certification")
        .prefetch_related(
            "experiences",
            "self_assessments__competency",
            "block_narratives__block",
            "evidence",
            "lived_experience_consents",
            "admissibility_decisions",
            "status_changes",
            "jury_decisions__outcomes__block",
        )
        .order_by("pk")
    )
    data = []
    attachments = []
    for c in candidacies:
        narrative = LivedExperienceNarrative.objects.filter(candidacy=c).first()
        for e in c.evidence.all():
            if storage().exists(e.stored_name):
                attachments.append(
                    Attachment(
                        name=f"{c.reference}/{e.pk}-{e.original_name}", read=_reader(e.stored_name)
                    )
                )
        data.append(
            {
                "reference": c.reference,
                "certification": c.certification.title,
                "request": c.request,
                "status": c.status,
                "created_at": c.created_at,
                "submitted_at": c.submitted_at,
                "finished_at": c.finished_at,
                "sworn_statement": c.sworn_statement,
                "experiences": [
                    {
                        "kind": x.kind,
                        "organisation": x.organisation,
                        "role": x.role,
                        "from": x.started_on,
                        "to": x.ended_on,
                        "hours": x.hours,
                        "description": x.description,
                    }
                    for x in c.experiences.all()
                ],
                "self_assessment": {s.competency.code: s.level for s in c.self_assessments.all()},
                "block_narratives": {n.block.code: n.text for n in c.block_narratives.all()},
                "evidence": [
                    {
                        "file": e.original_name,
                        "description": e.description,
                        "uploaded_at": e.uploaded_at,
                        "size": e.size,
                    }
                    for e in c.evidence.all()
                ],
                "lived_experience_consents": [
                    {
                        "purpose": k.purpose,
                        "text_version": k.text_version,
                        "given_at": k.given_at,
                        "withdrawn_at": k.withdrawn_at,
                    }
                    for k in c.lived_experience_consents.all()
                ],
                "lived_experience": narrative.text if narrative else None,
                "admissibility": [
                    {
                        "outcome": d.outcome,
                        "reasons": d.reasons,
                        "missing_pieces": d.missing_pieces,
                        "decided_at": d.decided_at,
                    }
                    for d in c.admissibility_decisions.all()
                ],
                "history": [
                    {
                        "from": h.from_status,
                        "to": h.to_status,
                        "at": h.changed_at,
                        "reason": h.reason,
                    }
                    for h in c.status_changes.all()
                ],
                "jury_decisions": [
                    {
                        "overall": j.overall,
                        "decided_at": j.decided_at,
                        "recommendations": j.recommendations,
                        "blocks": [
                            {
                                "block": o.block.code,
                                "acquired": o.acquired,
                                "justification": o.justification,
                            }
                            for o in j.outcomes.all()
                        ],
                    }
                    for j in c.jury_decisions.all()
                ],
            }
        )
    return Export(data={"candidacies": data}, attachments=attachments)


def erase(user: User, *, actor: User) -> dict[str, int]:
    candidacies = Candidacy.objects.filter(candidate=user)
    names = list(
        Evidence.objects.filter(candidacy__candidate=user).values_list("stored_name", flat=True)
    )
    evidence, _d = Evidence.objects.filter(candidacy__candidate=user).delete()
    LivedExperienceNarrative.objects.filter(candidacy__candidate=user).delete()
    LivedExperienceConsent.objects.filter(
        candidacy__candidate=user, withdrawn_at__isnull=True
    ).update(withdrawn_at=timezone.now())
    Experience.objects.filter(candidacy__candidate=user).delete()
    SelfAssessment.objects.filter(candidacy__candidate=user).delete()
    BlockNarrative.objects.filter(candidacy__candidate=user).delete()
    AdmissibilityDecision.objects.filter(candidacy__candidate=user).update(
        reasons="", missing_pieces=[]
    )
    ConflictDeclaration.objects.filter(candidacy__candidate=user).update(note="")
    CandidacyStatusChange.objects.filter(candidacy__candidate=user).update(reason="")
    # Never sent: nothing was decided, so nothing needs keeping.
    drafts, _d = candidacies.filter(submitted_at__isnull=True, jury_decisions__isnull=True).delete()
    now = timezone.now()
    open_ones = candidacies.exclude(status__in=transitions.FINISHED)
    closed = 0
    for candidacy in open_ones:
        CandidacyStatusChange.objects.create(
            candidacy=candidacy,
            from_status=candidacy.status,
            to_status=Candidacy.Status.WITHDRAWN,
            changed_by=actor,
            changed_at=now,
        )
        closed += 1
    open_ones.update(status=Candidacy.Status.WITHDRAWN, finished_at=now, counsellor=None)
    transaction.on_commit(partial(_delete_files, names))
    return {"evidence_files": evidence, "drafts": drafts, "candidacies_closed": closed}


PROVIDER = Provider(
    name="vae",
    label=_("Validation of prior experience (VAE)"),
    order=20,
    declares=(
        PersonalData(
            models=(
                "vae.Candidacy",
                "vae.CandidacyStatusChange",
                "vae.Experience",
                "vae.SelfAssessment",
                "vae.BlockNarrative",
                "vae.Evidence",
            ),
            what=_("Your VAE file: your experiences, your self-assessment, your texts and files."),
            why=_("So that a jury can recognise the competencies you gained through experience."),
            kept=_(
                "Until two years after the end of your candidacy; a draft you never sent, one "
                "year after your last change; an identity document, until the admissibility of "
                "your file is decided."
            ),
            on_erasure=_("Deleted, files included. A candidacy still open is closed."),
        ),
        PersonalData(
            models=("vae.LivedExperienceConsent", "vae.LivedExperienceNarrative"),
            what=_("Your lived-experience story, only if you chose to write it, and your consent."),
            why=_("It is health data: we keep it only with your explicit consent, encrypted."),
            kept=_("Until you withdraw your consent, or two years after the end of the candidacy."),
            on_erasure=_("The story is deleted; the record of your consent is marked withdrawn."),
        ),
        PersonalData(
            models=(
                "vae.AdmissibilityDecision",
                "vae.ConflictDeclaration",
                "vae.JuryDecision",
                "vae.BlockOutcome",
            ),
            what=_("The decisions taken on your file and the jury's reasons."),
            why=_("They are the legal basis of what you were awarded, and of an appeal."),
            kept=_("For good."),
            on_erasure=_(
                "Outcomes and signed jury decisions stay, linked to an anonymous account; notes "
                "and reasons written about you elsewhere are deleted."
            ),
        ),
    ),
    export=export,
    erase=erase,
    staff_links=("vae.JurySession", "vae.JuryMember"),
)
