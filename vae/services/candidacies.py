"""Candidacies: creation, status transitions with history, the candidate's file, admissibility,
counsellor, lapse after inactivity."""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certification.models import Certification, Competency, CompetencyBlock
from certification.selectors import active_framework
from courses.models import Course, Module
from lms.accounts.models import User
from lms.accounts.roles import Role
from lms.audit.services import record_event
from lms.notifications.models import Category
from lms.notifications.services import notify

from .. import transitions
from ..models import (
    AdmissibilityDecision,
    BlockNarrative,
    Candidacy,
    CandidacyStatusChange,
    Experience,
    LivedExperienceConsent,
    LivedExperienceNarrative,
    SelfAssessment,
)

Status = Candidacy.Status

LIVED_EXPERIENCE_CONSENT_VERSION = "2026-1"

# What the candidate reads after each transition (email and in-app notification).
STATUS_MESSAGES = {
    Status.SUBMITTED: gettext_lazy(
        "We received your candidacy. The training body will check that it is complete and tell "
        "you whether it is admissible."
    ),
    Status.RESUBMITTED: gettext_lazy(
        "We received your completed candidacy. The training body will look at it again."
    ),
    Status.INCOMPLETE: gettext_lazy(
        "Your candidacy needs a few more pieces before it can be examined. Open it to see the "
        "list, complete it and send it again."
    ),
    Status.ADMISSIBLE: gettext_lazy(
        "Good news: your candidacy is admissible. You can now build your portfolio."
    ),
    Status.NOT_ADMISSIBLE: gettext_lazy(
        "Your candidacy is not admissible. Open it to read the reasons; you may contact us to "
        "talk about other routes, such as training."
    ),
    Status.PORTFOLIO_SUBMITTED: gettext_lazy(
        "We received your portfolio. A jury will be scheduled; you will receive the date."
    ),
    Status.JURY_SCHEDULED: gettext_lazy("Your jury is scheduled. Open your candidacy for details."),
    Status.DECIDED: gettext_lazy(
        "The jury has decided. Open your candidacy to read the decision and its recommendations."
    ),
    Status.APPEALED: gettext_lazy("We received your appeal. A new jury decision will be taken."),
    Status.WITHDRAWN: gettext_lazy("Your candidacy is withdrawn. You can open a new one later."),
    Status.LAPSED: gettext_lazy(
        "Your candidacy has lapsed after a long time without activity. If this is a mistake, "
        "you can contest it from your candidacy page."
    ),
    Status.CLOSED: gettext_lazy("Your candidacy is closed. Thank you for your trust."),
}


class VaeError(ValidationError):
    """A refused VAE action; its message is meant for the person who asked."""


class TransitionNotAllowed(VaeError):
    """The candidacy's status cannot move to the one asked for."""


def candidacy_url(candidacy: Candidacy) -> str:
    return f"/vae/{candidacy.pk}/"


def _lock(candidacy: Candidacy) -> Candidacy:
    return Candidacy.objects.select_for_update().get(pk=candidacy.pk)


def transition(
    candidacy: Candidacy,
    to_status: str,
    *,
    by: User | None,
    reason: str | Promise = "",
    notify_candidate: bool = True,
) -> Candidacy:
    """Move a (locked) candidacy to ``to_status`` if the table allows it, with a history row.

    A system ``reason`` is a lazy message: the email renders it in the candidate's language.
    """
    from_status = candidacy.status
    if not transitions.can_move(from_status, to_status) or (
        from_status == Status.LAPSED and to_status != candidacy.previous_status
    ):
        raise TransitionNotAllowed(
            _("This candidacy is “%(current)s”: it cannot become “%(target)s”.")
            % {"current": Status(from_status).label, "target": Status(to_status).label},
            code="transition_not_allowed",
        )
    now = timezone.now()
    change = CandidacyStatusChange.objects.create(
        candidacy=candidacy,
        from_status=from_status,
        to_status=to_status,
        changed_by=by,
        changed_at=now,
        reason=str(reason),
    )
    candidacy.previous_status = from_status
    candidacy.status = to_status
    candidacy.last_activity_at = now
    candidacy.lapse_warned_at = None
    fields = ["status", "previous_status", "last_activity_at", "lapse_warned_at"]
    if to_status in (Status.SUBMITTED, Status.RESUBMITTED):
        candidacy.submitted_at = now
        fields.append("submitted_at")
    if to_status == Status.PORTFOLIO_SUBMITTED:
        candidacy.portfolio_submitted_at = now
        fields.append("portfolio_submitted_at")
    if to_status in transitions.TERMINAL or to_status == Status.LAPSED:
        candidacy.finished_at = now
        fields.append("finished_at")
    candidacy.save(update_fields=fields)
    record_event(
        actor=by,
        action="vae.status_changed",
        target=candidacy,
        summary=f"{from_status} → {to_status}",
        data={"from": from_status, "to": to_status},
    )
    message = STATUS_MESSAGES.get(Status(to_status))
    if notify_candidate and message is not None:
        notify(
            recipient=candidacy.candidate,
            event=f"vae.{to_status}",
            template="vae/emails/status_changed",
            # The lazy message is translated into the candidate's language when rendered.
            context={"candidacy": candidacy, "message": message, "reason": reason},
            dedupe_key=f"vae:status-change:{change.pk}",
            category=Category.ESSENTIAL,
            url=candidacy_url(candidacy),
        )
    return candidacy


# --- Opening and the candidate's file ----------------------------------------------------------


@transaction.atomic
def open_candidacy(
    *,
    candidate: User,
    certification: Certification,
    request: str = Candidacy.Request.FULL,
    blocks: list[CompetencyBlock] | None = None,
    modules: list[Module] | None = None,
    admission_course: Course | None = None,
) -> Candidacy:
    """Open a draft candidacy for a target certification (one open candidacy per target)."""
    request = Candidacy.Request(request)
    open_one = (
        Candidacy.objects.filter(candidate=candidate, certification=certification)
        .exclude(status__in=transitions.FINISHED)
        .first()
    )
    if open_one is not None:
        return open_one
    if request == Candidacy.Request.BLOCKS and not blocks:
        raise VaeError(_("Choose at least one block you want recognised."))
    if request == Candidacy.Request.EXEMPTIONS and not modules:
        raise VaeError(_("Choose at least one module you want to be exempted from."))
    if request == Candidacy.Request.ADMISSION and admission_course is None:
        raise VaeError(_("Choose the course you want to be admitted to."))
    candidacy = Candidacy.objects.create(
        candidate=candidate,
        certification=certification,
        request=request,
        admission_course=admission_course,
    )
    if blocks:
        candidacy.requested_blocks.set(blocks)
    if modules:
        candidacy.requested_modules.set(modules)
    CandidacyStatusChange.objects.create(
        candidacy=candidacy, from_status="", to_status=Status.DRAFT, changed_by=candidate
    )
    return candidacy


def target_blocks(candidacy: Candidacy) -> list[CompetencyBlock]:
    """The blocks the candidacy is about: the requested ones, those the requested modules
    cover, or every block of the framework in force."""
    if candidacy.request == Candidacy.Request.BLOCKS:
        return list(candidacy.requested_blocks.order_by("position", "code"))
    if candidacy.request == Candidacy.Request.EXEMPTIONS:
        # Exemptions: the blocks whose competencies the requested modules cover.
        covered = list(
            CompetencyBlock.objects.filter(
                competencies__modules__in=candidacy.requested_modules.all()
            )
            .distinct()
            .order_by("position", "code")
        )
        if covered:
            return covered
    framework = active_framework(candidacy.certification.framework_code)
    if framework is None:
        return []
    return list(framework.blocks.order_by("position", "code"))


def _editable(candidacy: Candidacy, *, by: User) -> Candidacy:
    """Lock the candidacy for an edit by its candidate; start the portfolio if admissible."""
    candidacy = _lock(candidacy)
    if by.pk != candidacy.candidate_id:
        raise VaeError(_("Only the candidate can change this file."))
    if candidacy.status not in transitions.EDITABLE:
        raise VaeError(
            _("Your file can no longer be changed now (status: %(status)s).")
            % {"status": Status(candidacy.status).label}
        )
    if candidacy.status == Status.ADMISSIBLE:
        transition(
            candidacy,
            Status.PORTFOLIO_IN_PROGRESS,
            by=by,
            reason=gettext_lazy("Portfolio started"),
            notify_candidate=False,
        )
    else:
        candidacy.last_activity_at = timezone.now()
        candidacy.lapse_warned_at = None
        candidacy.save(update_fields=["last_activity_at", "lapse_warned_at"])
    return candidacy


@transaction.atomic
def save_experience(
    *,
    candidacy: Candidacy,
    by: User,
    kind: str,
    role: str,
    started_on: date,
    ended_on: date | None = None,
    organisation: str = "",
    hours: int = 0,
    description: str = "",
    experience: Experience | None = None,
) -> Experience:
    """Add an experience to the file, or change one (``experience``)."""
    candidacy = _editable(candidacy, by=by)
    if experience is None:
        experience = Experience(candidacy=candidacy)
    elif experience.candidacy_id != candidacy.pk:
        raise VaeError(_("This experience belongs to another file."))
    experience.kind = Experience.Kind(kind)
    experience.role = role
    experience.organisation = organisation
    experience.started_on = started_on
    experience.ended_on = ended_on
    experience.hours = hours
    experience.description = description
    experience.full_clean()
    experience.save()
    return experience


@transaction.atomic
def remove_experience(*, experience: Experience, by: User) -> None:
    """Remove an experience from the file."""
    _editable(experience.candidacy, by=by)
    experience.delete()


@transaction.atomic
def save_self_assessment(
    *,
    candidacy: Candidacy,
    by: User,
    block: CompetencyBlock,
    levels: dict[int, str],
    narrative: str,
) -> None:
    """Save the candidate's yes / partly / no per competency of one block, and its narrative."""
    candidacy = _editable(candidacy, by=by)
    competencies = {c.pk: c for c in Competency.objects.filter(block=block)}
    for competency_id, level in levels.items():
        if competency_id not in competencies or not level:
            continue
        SelfAssessment.objects.update_or_create(
            candidacy=candidacy,
            competency=competencies[competency_id],
            defaults={"level": SelfAssessment.Level(level)},
        )
    BlockNarrative.objects.update_or_create(
        candidacy=candidacy, block=block, defaults={"text": narrative.strip()}
    )


@transaction.atomic
def sign_sworn_statement(*, candidacy: Candidacy, by: User, sworn: bool) -> Candidacy:
    """Record (or take back) the candidate's statement that the file is true."""
    candidacy = _editable(candidacy, by=by)
    candidacy.sworn_statement = sworn
    candidacy.sworn_on = timezone.localdate() if sworn else None
    candidacy.save(update_fields=["sworn_statement", "sworn_on"])
    return candidacy


@transaction.atomic
def give_lived_experience_consent(*, candidacy: Candidacy, by: User) -> LivedExperienceConsent:
    """Record the candidate's explicit consent to keep a lived-experience narrative."""
    candidacy = _editable(candidacy, by=by)
    consent = candidacy.lived_experience_consents.filter(withdrawn_at__isnull=True).first()
    if consent is None:
        consent = LivedExperienceConsent.objects.create(
            candidacy=candidacy, text_version=LIVED_EXPERIENCE_CONSENT_VERSION
        )
        record_event(actor=by, action="vae.consent_given", target=candidacy)
    return consent


@transaction.atomic
def save_lived_experience(*, candidacy: Candidacy, by: User, text: str) -> LivedExperienceNarrative:
    """Save the lived-experience narrative; only with a consent in force."""
    candidacy = _editable(candidacy, by=by)
    consent = candidacy.lived_experience_consents.filter(withdrawn_at__isnull=True).first()
    if consent is None:
        raise VaeError(_("Please give your consent first; this part is optional."))
    narrative, _created = LivedExperienceNarrative.objects.update_or_create(
        candidacy=candidacy, defaults={"consent": consent, "text": text.strip()}
    )
    return narrative


@transaction.atomic
def withdraw_lived_experience_consent(*, candidacy: Candidacy, by: User) -> None:
    """Withdraw consent: the narrative is erased at once (at any status)."""
    if by.pk != candidacy.candidate_id:
        raise VaeError(_("Only the candidate can withdraw this consent."))
    LivedExperienceNarrative.objects.filter(candidacy=candidacy).delete()
    changed = candidacy.lived_experience_consents.filter(withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    if changed:
        record_event(actor=by, action="vae.consent_withdrawn", target=candidacy)


# --- Candidate's status actions ----------------------------------------------------------------


def missing_for_submission(candidacy: Candidacy) -> list[str]:
    """What the candidate must still do before sending the candidacy."""
    missing = []
    if not candidacy.experiences.exists():
        missing.append(_("Describe at least one experience."))
    if not candidacy.sworn_statement:
        missing.append(_("Tick the sworn statement."))
    return missing


def missing_for_portfolio(candidacy: Candidacy) -> list[str]:
    """What the candidate must still do before sending the portfolio to the jury."""
    missing = missing_for_submission(candidacy)
    assessed = set(candidacy.self_assessments.values_list("competency_id", flat=True))
    narrated = set(candidacy.block_narratives.exclude(text="").values_list("block_id", flat=True))
    for block in target_blocks(candidacy):
        if set(block.competencies.values_list("pk", flat=True)) - assessed:
            missing.append(
                _("Assess yourself on every competency of %(block)s.") % {"block": block.code}
            )
        if block.pk not in narrated:
            missing.append(_("Write the narrative of %(block)s.") % {"block": block.code})
    return missing


@transaction.atomic
def submit_candidacy(*, candidacy: Candidacy, by: User) -> Candidacy:
    """Send the candidacy for admissibility (again, after an incomplete decision)."""
    candidacy = _lock(candidacy)
    if by.pk != candidacy.candidate_id:
        raise VaeError(_("Only the candidate can send this candidacy."))
    target = Status.RESUBMITTED if candidacy.status == Status.INCOMPLETE else Status.SUBMITTED
    missing = missing_for_submission(candidacy)
    if missing and transitions.can_move(candidacy.status, target):
        raise VaeError(missing)
    return transition(candidacy, target, by=by)


@transaction.atomic
def submit_portfolio(*, candidacy: Candidacy, by: User) -> Candidacy:
    """Send the complete portfolio: the jury is due within VAE_JURY_WITHIN_WEEKS weeks."""
    candidacy = _lock(candidacy)
    if by.pk != candidacy.candidate_id:
        raise VaeError(_("Only the candidate can send this portfolio."))
    missing = missing_for_portfolio(candidacy)
    if missing and transitions.can_move(candidacy.status, Status.PORTFOLIO_SUBMITTED):
        raise VaeError(missing)
    return transition(candidacy, Status.PORTFOLIO_SUBMITTED, by=by)


@transaction.atomic
def withdraw_candidacy(*, candidacy: Candidacy, by: User, reason: str = "") -> Candidacy:
    """The candidate (or a coordinator) withdraws the candidacy."""
    candidacy = _lock(candidacy)
    if by.pk != candidacy.candidate_id and not by.has_role(Role.COORDINATOR):
        raise VaeError(_("Only the candidate or a coordinator can withdraw this candidacy."))
    return transition(candidacy, Status.WITHDRAWN, by=by, reason=reason)


@transaction.atomic
def contest_lapse(*, candidacy: Candidacy, by: User, reason: str) -> Candidacy:
    """The candidate contests a lapse: the candidacy returns to the status it lapsed from."""
    candidacy = _lock(candidacy)
    if by.pk != candidacy.candidate_id:
        raise VaeError(_("Only the candidate can contest this lapse."))
    if candidacy.status != Status.LAPSED:
        raise TransitionNotAllowed(_("Only a lapsed candidacy can be contested."))
    if not reason.strip():
        raise VaeError(_("Please tell us in a few words why you want to continue."))
    return transition(candidacy, candidacy.previous_status, by=by, reason=reason)


@transaction.atomic
def close_candidacy(*, candidacy: Candidacy, by: User, reason: str = "") -> Candidacy:
    """Close a decided (or not admissible) candidacy."""
    return transition(_lock(candidacy), Status.CLOSED, by=by, reason=reason)


# --- Staff: admissibility, counsellor ----------------------------------------------------------


def _require_coordinator(by: User) -> None:
    if not by.has_role(Role.COORDINATOR):
        raise VaeError(_("Only a coordinator can do this."))


@transaction.atomic
def decide_admissibility(
    *,
    candidacy: Candidacy,
    by: User,
    outcome: str,
    reasons: str = "",
    missing_pieces: list[str] | None = None,
) -> AdmissibilityDecision:
    """Rule on admissibility: admissible, incomplete (with the missing pieces) or not
    admissible (with reasons). Each ruling is a separate record."""
    _require_coordinator(by)
    candidacy = _lock(candidacy)
    outcome = AdmissibilityDecision.Outcome(outcome)
    pieces = [p.strip() for p in (missing_pieces or []) if p.strip()]
    if outcome == AdmissibilityDecision.Outcome.INCOMPLETE and not pieces:
        raise VaeError(_("List the missing pieces, so the candidate knows what to add."))
    if outcome == AdmissibilityDecision.Outcome.NOT_ADMISSIBLE and not reasons.strip():
        raise VaeError(_("Give the reasons: the candidate will read them."))
    reason = reasons
    if pieces:
        reason = "\n".join([reasons, *[f"– {p}" for p in pieces]]).strip()
    transition(candidacy, outcome.value, by=by, reason=reason)
    decision = AdmissibilityDecision.objects.create(
        candidacy=candidacy,
        outcome=outcome,
        reasons=reasons,
        missing_pieces=pieces,
        decided_by=by,
    )
    record_event(
        actor=by,
        action="vae.admissibility_decided",
        target=candidacy,
        summary=outcome.value,
        data={"decision": decision.pk},
    )
    return decision


@transaction.atomic
def assign_counsellor(*, candidacy: Candidacy, by: User, counsellor: User | None) -> Candidacy:
    """Assign (or remove, with None) the counsellor who accompanies the candidate."""
    _require_coordinator(by)
    candidacy = _lock(candidacy)
    if counsellor is not None:
        if not counsellor.has_role(Role.ASSESSOR):
            raise VaeError(_("A counsellor must have the assessor role."))
        if counsellor.pk == candidacy.candidate_id:
            raise VaeError(_("A candidate cannot be their own counsellor."))
    if candidacy.status in transitions.FINISHED:
        raise VaeError(_("This candidacy is finished: no counsellor can be assigned."))
    candidacy.counsellor = counsellor
    candidacy.save(update_fields=["counsellor"])
    record_event(
        actor=by,
        action="vae.counsellor_assigned",
        target=candidacy,
        data={"counsellor": counsellor.pk if counsellor else None},
    )
    return candidacy


@transaction.atomic
def record_file_view(*, candidacy: Candidacy, by: User) -> None:
    """Write to the audit trail that a staff member opened a candidate's file (health data)."""
    record_event(actor=by, action="vae.file_viewed", target=candidacy)


# --- Inactivity ---------------------------------------------------------------------------------


def _lapse_settings() -> tuple[timedelta, timedelta]:
    warn = int(getattr(settings, "VAE_LAPSE_WARNING_DAYS", 150))
    lapse_after_warning = int(getattr(settings, "VAE_LAPSE_AFTER_WARNING_DAYS", 30))
    return timedelta(days=warn), timedelta(days=lapse_after_warning)


@transaction.atomic
def warn_and_lapse_inactive_candidacies(*, now=None) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Warn candidates inactive for VAE_LAPSE_WARNING_DAYS, then lapse those still inactive
    VAE_LAPSE_AFTER_WARNING_DAYS after the warning. Returns (warned, lapsed); idempotent."""
    now = now or timezone.now()
    warn_after, lapse_after = _lapse_settings()
    waiting = Candidacy.objects.filter(status__in=transitions.WAITING_FOR_CANDIDATE)
    warned = lapsed = 0
    to_warn = waiting.filter(last_activity_at__lte=now - warn_after, lapse_warned_at__isnull=True)
    for candidacy in to_warn.select_for_update():
        candidacy.lapse_warned_at = now
        candidacy.save(update_fields=["lapse_warned_at"])
        notify(
            recipient=candidacy.candidate,
            event="vae.lapse_warning",
            template="vae/emails/lapse_warning",
            context={"candidacy": candidacy, "lapse_on": timezone.localdate(now + lapse_after)},
            dedupe_key=f"vae:lapse-warning:{candidacy.pk}:{candidacy.last_activity_at:%Y%m%d%H%M%S}",
            category=Category.ESSENTIAL,
            url=candidacy_url(candidacy),
        )
        warned += 1
    to_lapse = waiting.filter(lapse_warned_at__lte=now - lapse_after)
    for candidacy in to_lapse.select_for_update():
        transition(
            candidacy, Status.LAPSED, by=None, reason=gettext_lazy("No activity since the warning.")
        )
        lapsed += 1
    return warned, lapsed
