"""Jury sessions, conflict-of-interest declarations, jury decisions and appeals."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certification import services as certification_services
from certification.models import CompetencyBlock, LedgerEntry
from courses import services as courses_services
from courses.models import Module
from lms.accounts.models import User
from lms.accounts.roles import Role
from lms.audit.services import record_event
from lms.notifications.models import Category
from lms.notifications.services import notify

from .. import transitions
from ..models import (
    BlockOutcome,
    Candidacy,
    ConflictDeclaration,
    JuryDecision,
    JuryMember,
    JurySession,
)
from .candidacies import (
    TransitionNotAllowed,
    VaeError,
    _lock,
    _require_coordinator,
    candidacy_url,
    transition,
)

Status = Candidacy.Status


@dataclass(frozen=True)
class BlockVerdict:
    block: CompetencyBlock
    acquired: bool
    justification: str


@transaction.atomic
def create_jury_session(
    *,
    by: User,
    starts_at: datetime,
    members: list[User],
    chair: User,
    place: str = "",
    online: bool = False,
    online_link: str = "",
) -> JurySession:
    """Create a jury session with at least two members (assessors), one of them the chair."""
    _require_coordinator(by)
    unique = list({m.pk: m for m in members}.values())
    if len(unique) < 2:
        raise VaeError(_("A jury needs at least two members."))
    if chair.pk not in {m.pk for m in unique}:
        raise VaeError(_("The chair must be one of the jury members."))
    if any(not m.has_role(Role.ASSESSOR) for m in unique):
        raise VaeError(_("Every jury member must have the assessor role."))
    if not online and not place.strip():
        raise VaeError(_("Give a place, or say that the jury meets online."))
    session = JurySession.objects.create(
        starts_at=starts_at, place=place.strip(), online=online, online_link=online_link
    )
    for member in unique:
        JuryMember.objects.create(session=session, member=member, is_chair=member.pk == chair.pk)
    record_event(actor=by, action="vae.jury_session_created", target=session)
    return session


def latest_declaration(candidacy: Candidacy, member: User) -> ConflictDeclaration | None:
    return (
        ConflictDeclaration.objects.filter(candidacy=candidacy, member=member)
        .order_by("-declared_at", "-pk")
        .first()
    )


@transaction.atomic
def declare_conflict_of_interest(
    *, candidacy: Candidacy, member: User, has_conflict: bool, note: str = ""
) -> ConflictDeclaration:
    """A jury member declares, before seeing the file, whether they have a link with the
    candidate or the counsellor. A member with a conflict must be replaced."""
    is_member = JuryMember.objects.filter(session__candidacies=candidacy, member=member).exists()
    if not is_member:
        raise VaeError(_("Only a member of this jury can make this declaration."))
    declaration = ConflictDeclaration.objects.create(
        candidacy=candidacy, member=member, has_conflict=has_conflict, note=note
    )
    record_event(
        actor=member,
        action="vae.conflict_declared",
        target=candidacy,
        summary="conflict" if has_conflict else "no conflict",
    )
    return declaration


@transaction.atomic
def schedule_jury(*, candidacy: Candidacy, session: JurySession, by: User) -> Candidacy:
    """Put a submitted portfolio (or an appeal) before a jury session. A member who declared a
    conflict with this candidacy, the candidate or their counsellor cannot sit on it."""
    _require_coordinator(by)
    candidacy = _lock(candidacy)
    members = list(session.memberships.select_related("member"))
    if len(members) < 2 or sum(m.is_chair for m in members) != 1:
        raise VaeError(_("This jury needs at least two members and a chair."))
    for membership in members:
        member = membership.member
        if member.pk in (candidacy.candidate_id, candidacy.counsellor_id):
            raise VaeError(
                _("%(name)s is the candidate or their counsellor and cannot sit on this jury.")
                % {"name": member.public_name}
            )
        declaration = latest_declaration(candidacy, member)
        if declaration is not None and declaration.has_conflict:
            raise VaeError(
                _("%(name)s declared a conflict of interest and cannot sit on this jury.")
                % {"name": member.public_name}
            )
    if candidacy.status == Status.APPEALED:
        # On appeal a new jury sits; the status stays "appealed" until its decision.
        candidacy.jury_session = session
        candidacy.save(update_fields=["jury_session"])
        record_event(
            actor=by,
            action="vae.appeal_jury_scheduled",
            target=candidacy,
            data={"session": session.pk},
        )
        notify(
            recipient=candidacy.candidate,
            event="vae.appeal_jury_scheduled",
            template="vae/emails/status_changed",
            context={
                "candidacy": candidacy,
                "message": gettext_lazy("The jury that will examine your appeal is scheduled."),
                "reason": str(session),
            },
            dedupe_key=f"vae:appeal-jury:{candidacy.pk}:{session.pk}",
            category=Category.ESSENTIAL,
            url=candidacy_url(candidacy),
        )
        return candidacy
    if not transitions.can_move(candidacy.status, Status.JURY_SCHEDULED):
        raise TransitionNotAllowed(
            _("This candidacy is “%(current)s”: no jury can be scheduled now.")
            % {"current": Status(candidacy.status).label}
        )
    candidacy.jury_session = session
    candidacy.save(update_fields=["jury_session"])
    return transition(candidacy, Status.JURY_SCHEDULED, by=by, reason=str(session))


def current_decision(candidacy: Candidacy) -> JuryDecision | None:
    return (
        candidacy.jury_decisions.filter(superseded_by__isnull=True)
        .order_by("-decided_at", "-pk")
        .first()
    )


def _ledger_key(candidacy: Candidacy, block: CompetencyBlock) -> str:
    return f"vae:candidacy:{candidacy.pk}:block:{block.pk}"


@transaction.atomic
def record_jury_decision(
    *,
    candidacy: Candidacy,
    chair: User,
    overall: str,
    verdicts: list[BlockVerdict],
    recommendations: str = "",
    recommended_modules: list[Module] | None = None,
    exempted_modules: list[Module] | None = None,
) -> JuryDecision:
    """Record the jury's signed decision, write acquired blocks to the competency ledger
    (source VAE, once), grant module exemptions, and let certification issue the certificate
    when its rules are met. After an appeal, the new decision supersedes the previous one."""
    candidacy = _lock(candidacy)
    if candidacy.status not in (Status.JURY_SCHEDULED, Status.APPEALED):
        raise TransitionNotAllowed(
            _("This candidacy is “%(current)s”: no jury decision can be recorded now.")
            % {"current": Status(candidacy.status).label}
        )
    session = candidacy.jury_session
    if session is None:
        raise VaeError(_("Schedule a jury before recording its decision."))
    memberships = list(session.memberships.select_related("member"))
    if not any(m.is_chair and m.member_id == chair.pk for m in memberships):
        raise VaeError(_("Only the chair of the jury signs its decision."))
    for membership in memberships:
        declaration = latest_declaration(candidacy, membership.member)
        if declaration is None or declaration.has_conflict:
            raise VaeError(
                _("%(name)s has not declared the absence of a conflict of interest.")
                % {"name": membership.member.public_name}
            )
    overall = JuryDecision.Overall(overall)
    acquired = [v for v in verdicts if v.acquired]
    if overall != JuryDecision.Overall.ABSENT and not verdicts:
        raise VaeError(_("Give the outcome of each block examined."))
    if any(not v.justification.strip() for v in verdicts):
        raise VaeError(_("Justify the outcome of each block."))
    expected = {
        JuryDecision.Overall.FULL: bool(acquired) and len(acquired) == len(verdicts),
        JuryDecision.Overall.PARTIAL: bool(acquired) and len(acquired) < len(verdicts),
        JuryDecision.Overall.NONE: not acquired,
        JuryDecision.Overall.ABSENT: not acquired,
    }
    if not expected[overall]:
        raise VaeError(_("The overall result does not match the outcomes of the blocks."))

    previous = current_decision(candidacy)
    decision = JuryDecision.objects.create(
        candidacy=candidacy,
        jury_session=session,
        overall=overall,
        recommendations=recommendations.strip(),
        decided_by=chair,
        supersedes=previous if candidacy.status == Status.APPEALED else None,
    )
    decision.recommended_modules.set(recommended_modules or [])
    decision.exempted_modules.set(exempted_modules or [])
    for verdict in verdicts:
        BlockOutcome.objects.create(
            decision=decision,
            block=verdict.block,
            acquired=verdict.acquired,
            justification=verdict.justification.strip(),
        )

    person = candidacy.candidate
    reference = f"vae.JuryDecision:{decision.pk}"
    acquired_keys = set()
    for verdict in acquired:
        key = _ledger_key(candidacy, verdict.block)
        acquired_keys.add(key)
        certification_services.record_acquisition(
            person=person,
            source=LedgerEntry.Source.VAE_DECISION,
            block=verdict.block,
            recorded_by=chair,
            source_reference=reference,
            effective_on=decision.decided_at.date(),
            justification=_("VAE jury decision of %(date)s")
            % {"date": decision.decided_at.strftime("%d/%m/%Y")},
            dedupe_key=key,
        )
    if decision.supersedes is not None:
        # A block the appeal no longer grants is withdrawn from the ledger, with the reason.
        for outcome in decision.supersedes.outcomes.filter(acquired=True):
            key = _ledger_key(candidacy, outcome.block)
            entry = LedgerEntry.objects.filter(dedupe_key=key).current().first()
            if key not in acquired_keys and entry is not None:
                certification_services.supersede_entry(
                    entry=entry,
                    recorded_by=chair,
                    justification=_("Superseded by the jury decision on appeal."),
                    withdraw=True,
                )
    for module in exempted_modules or []:
        courses_services.grant_exemption(
            person=person,
            module=module,
            source="vae",
            granted_by=chair,
            reference=f"VAE-{candidacy.pk:05d}",
        )
    transition(candidacy, Status.DECIDED, by=chair, reason=str(JuryDecision.Overall(overall).label))
    record_event(
        actor=chair,
        action="vae.jury_decision_recorded",
        target=decision,
        summary=overall.value,
        data={
            "candidacy": candidacy.pk,
            "acquired": [v.block.code for v in acquired],
            "supersedes": decision.supersedes_id,
        },
    )
    if acquired:
        certification_services.issue_if_eligible(
            person=person, certification=candidacy.certification
        )
    return decision


@transaction.atomic
def appeal_decision(*, candidacy: Candidacy, by: User, reason: str) -> Candidacy:
    """The candidate appeals the jury decision: a new decision will supersede it."""
    candidacy = _lock(candidacy)
    if by.pk != candidacy.candidate_id:
        raise VaeError(_("Only the candidate can appeal this decision."))
    if not reason.strip():
        raise VaeError(_("Please explain in a few words why you appeal."))
    return transition(candidacy, Status.APPEALED, by=by, reason=reason)
