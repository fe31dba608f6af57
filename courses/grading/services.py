"""The only write paths of the trainer space: attendance, assessments, grading and release.

Release is where courses meets certification: each acquired competency and the module's hours
are written to the competency ledger with an idempotency key, so releasing twice (or a retried
task) writes each entry once.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from certification import services as certification_services
from certification.models import Competency, LedgerEntry
from courses.models import Enrolment, Meeting, Module, Session
from lms.accounts.models import User
from lms.audit.services import record_event
from lms.notifications.models import Category
from lms.notifications.services import notify

from . import selectors
from .models import (
    ACQUIRED_LEVELS,
    Assessment,
    AssessmentStatusChange,
    AttendanceRecord,
    Judgement,
    Level,
    MakeUp,
    Result,
    ResultChange,
    RubricCriterion,
)

Status = AttendanceRecord.Status


# --- Attendance --------------------------------------------------------------------------------


def _participant_enrolments(session: Session) -> dict[int, Enrolment]:
    return {
        e.trainee_id: e
        for e in Enrolment.objects.filter(
            session=session, status__in=selectors.PARTICIPANT_STATUSES
        ).select_related("trainee")
    }


def _name(user: User) -> str:
    return user.get_full_name() or user.public_name


@transaction.atomic
def record_attendance(
    *,
    meeting: Meeting,
    marks: Mapping[int, tuple[str, int, str]],
    by: User,
) -> list[AttendanceRecord]:
    """Record the whole group's attendance at ``meeting`` at once.

    ``marks`` maps a trainee id to (status, minutes, note): minutes late for "late", minutes
    left early for "left_early", ignored otherwise. Every mark is checked before anything is
    written, so a mistake on one line loses nothing and writes nothing.
    """
    enrolments = _participant_enrolments(meeting.session)
    errors = []
    cleaned = []
    for trainee_id, (status, minutes, note) in marks.items():
        enrolment = enrolments.get(int(trainee_id))
        if enrolment is None:
            errors.append(_("This person does not take part in the session."))
            continue
        name = _name(enrolment.trainee)
        if status not in Status.values:
            errors.append(
                _("%(name)s: choose present, late, left early, absent or excused.") % {"name": name}
            )
            continue
        minutes = int(minutes or 0)
        if minutes < 0:
            errors.append(_("%(name)s: minutes cannot be negative.") % {"name": name})
            continue
        if (
            status in (Status.LATE, Status.LEFT_EARLY)
            and minutes * 60 >= (meeting.ends_at - meeting.starts_at).total_seconds()
        ):
            errors.append(
                _("%(name)s: the minutes are longer than the meeting; mark them absent instead.")
                % {"name": name}
            )
            continue
        cleaned.append((enrolment, status, minutes, (note or "").strip()[:300]))
    if errors:
        raise ValidationError(errors)
    existing = selectors.attendance_for_meeting(meeting)
    now = timezone.now()
    records = []
    for enrolment, status, minutes, note in cleaned:
        record = existing.get(enrolment.trainee_id) or AttendanceRecord(
            meeting=meeting, trainee_id=enrolment.trainee_id
        )
        record.enrolment = enrolment
        record.status = status
        record.minutes_late = minutes if status == Status.LATE else 0
        record.minutes_left_early = minutes if status == Status.LEFT_EARLY else 0
        record.note = note
        record.recorded_by = by
        record.recorded_at = now
        record.save()
        records.append(record)
    record_event(
        actor=by,
        action="attendance.recorded",
        target=meeting,
        summary=f"{len(records)} marks",
        data={"session": meeting.session.code},
    )
    return records


@transaction.atomic
def record_make_up(
    *, trainee: User, missed_meeting: Meeting, make_up_meeting: Meeting, by: User, note: str = ""
) -> MakeUp:
    """Record that an excused absence was made up in another session of the same module."""
    missed_session, other = missed_meeting.session, make_up_meeting.session
    if missed_session.pk == other.pk:
        raise ValidationError(_("A make-up takes place in another session."))
    same_module = (
        missed_session.module_id == other.module_id
        if missed_session.module_id
        else (other.module_id is None and missed_session.course_id == other.course_id)
    )
    if not same_module:
        raise ValidationError(_("The make-up must be a session of the same module."))
    record = AttendanceRecord.objects.filter(meeting=missed_meeting, trainee=trainee).first()
    if record is None or record.status != Status.EXCUSED:
        raise ValidationError(_("Only an excused absence can be made up."))
    make_up, _created = MakeUp.objects.update_or_create(
        trainee=trainee,
        missed_meeting=missed_meeting,
        defaults={"make_up_meeting": make_up_meeting, "recorded_by": by, "note": note},
    )
    record_event(actor=by, action="attendance.made_up", target=make_up)
    return make_up


@transaction.atomic
def push_attendance_rates(*, session: Session) -> int:
    """Send each participant's attendance rate to certification (when the course leads to one);
    returns how many rates were written. Idempotent: the newest figure replaces the last."""
    certification = session.course.certification
    if certification is None:
        return 0
    written = 0
    for trainee in selectors.participants(session):
        rate = selectors.certification_attendance_rate(
            person=trainee, certification_id=certification.pk
        )
        if rate is None:
            continue
        certification_services.record_attendance_rate(
            person=trainee,
            certification=certification,
            rate=rate,
            source_reference=f"courses.Session:{session.pk}",
        )
        written += 1
    return written


# --- Assessments -------------------------------------------------------------------------------


def _set_assessment_status(
    assessment: Assessment, status: str, *, by: User | None, reason: str = ""
) -> None:
    previous = assessment.status
    if previous == status:
        return
    assessment.status = status
    fields = ["status"]
    if status == Assessment.Status.RELEASED:
        assessment.released_at = timezone.now()
        fields.append("released_at")
    assessment.save(update_fields=fields)
    AssessmentStatusChange.objects.create(
        assessment=assessment, from_status=previous, to_status=status, changed_by=by, reason=reason
    )


@transaction.atomic
def create_assessment(
    *,
    session: Session,
    title: str,
    by: User,
    module: Module | None = None,
    method: str = Assessment.Method.OTHER,
    instructions: str = "",
    max_score: Decimal | None = None,
    pass_mark: Decimal | None = None,
    second_marker: User | None = None,
    competencies: Iterable[Competency] | None = None,
) -> Assessment:
    """Create an assessment with one rubric criterion per competency the module covers."""
    module = module or session.module
    if module is None:
        raise ValidationError(_("Choose the module this assessment is for."))
    if module.course_id != session.course_id:
        raise ValidationError(_("This module belongs to another course."))
    assessment = Assessment(
        session=session,
        module=module,
        title=title,
        method=method,
        instructions=instructions,
        max_score=max_score,
        pass_mark=pass_mark,
        second_marker=second_marker,
        created_by=by,
    )
    assessment.full_clean()
    assessment.save()
    AssessmentStatusChange.objects.create(
        assessment=assessment, to_status=Assessment.Status.DRAFT, changed_by=by
    )
    chosen = list(competencies if competencies is not None else module.competencies.all())
    chosen.sort(key=lambda c: (c.block.position, c.position, c.code))
    RubricCriterion.objects.bulk_create(
        RubricCriterion(assessment=assessment, competency=c, position=index)
        for index, c in enumerate(chosen)
    )
    record_event(actor=by, action="assessment.created", target=assessment)
    return assessment


@transaction.atomic
def set_descriptors(*, criterion: RubricCriterion, descriptors: Mapping[str, str]) -> None:
    """Describe what each level looks like for one criterion."""
    criterion.descriptors = {level: str(descriptors.get(level, "")) for level in Level.values}
    criterion.save(update_fields=["descriptors"])


# --- Grading -----------------------------------------------------------------------------------


@dataclass
class Grade:
    """What a trainer enters for one trainee: judgements by criterion id, feedback, score."""

    judgements: dict[int, tuple[str, str]]  # criterion id → (level or "", justification)
    feedback: str = ""
    score: str | Decimal | None = None


def _snapshot(result: Result) -> dict[str, Any]:
    return {
        "status": result.status,
        "feedback": result.feedback,
        "score": str(result.score) if result.score is not None else None,
        "passed": result.passed,
        "repeat_deadline": result.repeat_deadline.isoformat() if result.repeat_deadline else None,
        "judgements": {
            j.criterion.competency.code: {"level": j.level, "justification": j.justification}
            for j in result.judgements.select_related("criterion__competency")
        },
    }


def _parse_score(raw: str | Decimal | None, assessment: Assessment) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        score = Decimal(str(raw).replace(",", ".").strip())
    except InvalidOperation:
        raise ValidationError(_("the score is not a number")) from None
    if score < 0 or (assessment.max_score is not None and score > assessment.max_score):
        raise ValidationError(
            _("the score must be between 0 and %(max)s") % {"max": assessment.max_score}
        )
    return score


def compute_passed(
    *, assessment: Assessment, score: Decimal | None, levels: list[str], criteria_count: int
) -> bool | None:
    """Pass on score when a pass mark is set; else when every criterion is acquired or better;
    None while incomplete."""
    if assessment.pass_mark is not None and score is not None:
        return score >= assessment.pass_mark
    if criteria_count and len(levels) == criteria_count:
        return all(level in ACQUIRED_LEVELS for level in levels)
    return None


def _clean_grades(
    assessment: Assessment, grades: Mapping[int, Grade], *, allow_released: bool = False
) -> tuple[list, dict[int, Result]]:
    """Check every line first; errors name the trainee and the criterion in plain words."""
    criteria = {c.pk: c for c in assessment.criteria.select_related("competency")}
    enrolments = _participant_enrolments(assessment.session)
    results = {r.trainee_id: r for r in Result.objects.filter(assessment=assessment)}
    errors: list[str] = []
    cleaned = []
    for trainee_id, grade in grades.items():
        enrolment = enrolments.get(int(trainee_id))
        if enrolment is None:
            errors.append(_("This person does not take part in the session."))
            continue
        name = _name(enrolment.trainee)
        result = results.get(enrolment.trainee_id)
        if result is not None and result.status == Result.Status.RELEASED and not allow_released:
            errors.append(
                _("%(name)s: this result is released; change it with a reason instead.")
                % {"name": name}
            )
            continue
        judgements = {}
        for criterion_id, (level, justification) in grade.judgements.items():
            criterion = criteria.get(int(criterion_id))
            if criterion is None:
                errors.append(_("%(name)s: unknown criterion.") % {"name": name})
                continue
            level, justification = (level or "").strip(), (justification or "").strip()
            if not level and not justification:
                continue
            if level not in Level.values:
                errors.append(
                    _("%(name)s, %(criterion)s: choose a level (not yet, acquired or mastered).")
                    % {"name": name, "criterion": criterion.code}
                )
                continue
            if not justification:
                errors.append(
                    _("%(name)s, %(criterion)s: explain this level in a few words.")
                    % {"name": name, "criterion": criterion.code}
                )
                continue
            judgements[criterion.pk] = (level, justification)
        try:
            score = _parse_score(grade.score, assessment)
        except ValidationError as error:
            errors.append(f"{name}: {' '.join(error.messages)}.")
            continue
        cleaned.append((enrolment.trainee, judgements, (grade.feedback or "").strip(), score))
    if errors:
        raise ValidationError(errors)
    return cleaned, results


def _apply_grade(
    *,
    assessment: Assessment,
    result: Result | None,
    trainee: User,
    judgements: dict[int, tuple[str, str]],
    feedback: str,
    score: Decimal | None,
    by: User | None,
    criteria_count: int,
) -> tuple[Result, bool]:
    """Write one trainee's grade; returns (result, changed)."""
    now = timezone.now()
    if result is None:
        result = Result.objects.create(assessment=assessment, trainee=trainee, graded_by=by)
    existing = {j.criterion_id: j for j in result.judgements.all()}
    changed = result.feedback != feedback or result.score != score
    for criterion_id, (level, justification) in judgements.items():
        judgement = existing.get(criterion_id)
        if judgement is None:
            Judgement.objects.create(
                result=result,
                criterion_id=criterion_id,
                level=level,
                justification=justification,
                author=by,
            )
            changed = True
        elif judgement.level != level or judgement.justification != justification:
            judgement.level, judgement.justification = level, justification
            judgement.author, judgement.updated_at = by, now
            judgement.save(update_fields=["level", "justification", "author", "updated_at"])
            changed = True
    levels = [
        level
        for cid, level in {
            **{cid: j.level for cid, j in existing.items()},
            **{cid: lv for cid, (lv, _j) in judgements.items()},
        }.items()
    ]
    result.feedback, result.score = feedback, score
    result.passed = compute_passed(
        assessment=assessment, score=score, levels=levels, criteria_count=criteria_count
    )
    result.graded_by, result.updated_at = by, now
    if result.status == Result.Status.ASKED_TO_REPEAT:
        # A new attempt is graded: the result goes back to the trainer's draft.
        result.status, result.repeat_deadline = Result.Status.DRAFT, None
    result.save()
    return result, changed


@transaction.atomic
def grade(
    *,
    assessment: Assessment,
    grades: Mapping[int, Grade],
    by: User | None,
    imported: bool = False,
) -> list[Result]:
    """Save judgements, feedback and scores for many trainees at once: all or nothing.

    Raises ValidationError listing every problem (trainee and criterion named) and writes
    nothing in that case, so a trainer never loses a half-saved grid.
    """
    cleaned, results = _clean_grades(assessment, grades)
    criteria_count = assessment.criteria.count()
    saved = []
    for trainee, judgements, feedback, score in cleaned:
        result = results.get(trainee.pk)
        before = _snapshot(result) if result is not None else {}
        result, changed = _apply_grade(
            assessment=assessment,
            result=result,
            trainee=trainee,
            judgements=judgements,
            feedback=feedback,
            score=score,
            by=by,
            criteria_count=criteria_count,
        )
        if changed:
            change = ResultChange.objects.create(
                result=result,
                kind=ResultChange.Kind.IMPORTED if imported else ResultChange.Kind.GRADED,
                changed_by=by,
                before=before,
                after=_snapshot(result),
            )
            if not imported:
                # One line per result a trainer graded or regraded; the levels, feedback and
                # justifications stay in the change (erasable), never in the append-only trail.
                record_event(
                    actor=by,
                    action="result.graded",
                    target=result,
                    data={"assessment": assessment.pk, "change": change.pk},
                )
        saved.append(result)
    if imported:
        record_event(
            actor=by,
            action="grades.imported",
            target=assessment,
            summary=f"{len(saved)} results",
        )
    return saved


def is_complete(result: Result, criteria_count: int) -> bool:
    return criteria_count > 0 and result.judgements.count() == criteria_count


@transaction.atomic
def mark_ready_for_review(*, assessment: Assessment, by: User) -> list[Result]:
    """Move every complete draft result to "ready" (and a draft assessment to ready for review).
    Returns the results still incomplete, which stay in draft."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    criteria_count = assessment.criteria.count()
    incomplete = []
    for result in Result.objects.filter(assessment=assessment, status=Result.Status.DRAFT):
        if not is_complete(result, criteria_count):
            incomplete.append(result)
            continue
        result.status = Result.Status.READY
        result.save(update_fields=["status"])
        ResultChange.objects.create(result=result, kind=ResultChange.Kind.READY, changed_by=by)
    if assessment.status == Assessment.Status.DRAFT:
        _set_assessment_status(assessment, Assessment.Status.READY_FOR_REVIEW, by=by)
    return incomplete


def _ledger_key(result: Result, suffix: str) -> str:
    return f"grading:result:{result.pk}:{suffix}"


def _write_ledger(result: Result, *, by: User | None, key_prefix: str, on: date) -> int:
    """Write the result's acquired competencies and the module's hours (idempotent by key)."""
    trainer = result.graded_by or by
    assessment = result.assessment
    module = assessment.module
    written = 0
    for judgement in result.judgements.select_related("criterion__competency"):
        if judgement.level not in ACQUIRED_LEVELS:
            continue
        certification_services.record_acquisition(
            person=result.trainee,
            source=LedgerEntry.Source.TRAINING_RESULT,
            competency=judgement.criterion.competency,
            recorded_by=trainer,
            source_reference=result.reference,
            effective_on=on,
            # The trainer's words about the person stay in the (erasable) judgement; the
            # append-only ledger gets the assessment's title and points at the result.
            justification=result.assessment.title,
            dedupe_key=f"{key_prefix}:competency:{judgement.criterion.competency_id}",
        )
        written += 1
    training_hours = module.hours - module.ethics_hours
    for kind, hours in (
        (LedgerEntry.HoursKind.TRAINING, training_hours),
        (LedgerEntry.HoursKind.ETHICS, module.ethics_hours),
    ):
        if hours > 0:
            certification_services.record_hours(
                person=result.trainee,
                hours_kind=kind,
                hours=hours,
                source=LedgerEntry.Source.TRAINING_RESULT,
                recorded_by=trainer,
                source_reference=result.reference,
                effective_on=on,
                justification=module.title,
                dedupe_key=f"{key_prefix}:hours:{kind}",
            )
    return written


def _after_ledger_write(result: Result) -> None:
    certification = result.assessment.session.course.certification
    if certification is None:
        return
    rate = selectors.certification_attendance_rate(
        person=result.trainee, certification_id=certification.pk
    )
    if rate is not None:
        certification_services.record_attendance_rate(
            person=result.trainee,
            certification=certification,
            rate=rate,
            source_reference=f"courses.Session:{result.assessment.session_id}",
        )
    certification_services.issue_if_eligible(person=result.trainee, certification=certification)


def _results_url() -> str:
    return reverse("grading:my-results")


@transaction.atomic
def release_results(*, assessment: Assessment, by: User) -> list[Result]:
    """Release the assessment's results that are ready: write the ledger, issue certificates
    where now eligible, tell each trainee. Safe to run twice: nothing is written twice."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status == Assessment.Status.DRAFT:
        raise ValidationError(_("Mark the results ready for review before releasing them."))
    released = []
    today = timezone.localdate()
    for result in (
        Result.objects.select_for_update()
        .filter(assessment=assessment, status=Result.Status.READY)
        .select_related("trainee", "assessment__module", "assessment__session__course")
    ):
        before = _snapshot(result)
        result.status = Result.Status.RELEASED
        result.released_at = timezone.now()
        result.save(update_fields=["status", "released_at"])
        ResultChange.objects.create(
            result=result,
            kind=ResultChange.Kind.RELEASED,
            changed_by=by,
            before=before,
            after=_snapshot(result),
        )
        _write_ledger(result, by=by, key_prefix=_ledger_key(result, "release"), on=today)
        _after_ledger_write(result)
        notify(
            recipient=result.trainee,
            event="results.released",
            template="grading/emails/results_released",
            context={"assessment_title": assessment.title, "module": assessment.module.title},
            dedupe_key=f"results.released:{result.pk}",
            category=Category.UPDATES,
            url=_results_url(),
        )
        record_event(
            actor=by,
            action="result.released",
            target=result,
            summary=assessment.title,
            data={"assessment": assessment.pk},
        )
        released.append(result)
    _set_assessment_status(assessment, Assessment.Status.RELEASED, by=by)
    return released


def rewrite_ledger_for_released(*, assessment: Assessment) -> int:
    """Re-run the ledger writes of every released result (used by the retry task): the keys
    make it a no-op for what was already written. Returns the number of results seen."""
    results = list(
        Result.objects.filter(assessment=assessment, status=Result.Status.RELEASED)
        .select_related("trainee", "assessment__module", "assessment__session__course")
        .exclude(changes__kind=ResultChange.Kind.CHANGED)
    )
    for result in results:
        with transaction.atomic():
            released_on = timezone.localdate(result.released_at) if result.released_at else None
            _write_ledger(
                result,
                by=None,
                key_prefix=_ledger_key(result, "release"),
                on=released_on or timezone.localdate(),
            )
            _after_ledger_write(result)
    return len(results)


@transaction.atomic
def change_released_result(
    *,
    result: Result,
    by: User,
    reason: str,
    grade: Grade,
) -> Result:
    """Change a released result: a reason is required, the history keeps before and after, and
    the ledger is corrected (a competency no longer acquired is withdrawn, a new one added)."""
    if not (reason or "").strip():
        raise ValidationError(_("Say why you change a result that was already released."))
    result = Result.objects.select_for_update().get(pk=result.pk)
    if result.status != Result.Status.RELEASED:
        raise ValidationError(_("Only a released result is changed this way."))
    assessment = result.assessment
    cleaned, _results = _clean_grades(assessment, {result.trainee_id: grade}, allow_released=True)
    before_ids = selectors.acquired_competency_ids(result)
    before = _snapshot(result)
    trainee, judgements, feedback, score = cleaned[0]
    result, _changed = _apply_grade(
        assessment=assessment,
        result=result,
        trainee=trainee,
        judgements=judgements,
        feedback=feedback,
        score=score,
        by=by,
        criteria_count=assessment.criteria.count(),
    )
    change = ResultChange.objects.create(
        result=result,
        kind=ResultChange.Kind.CHANGED,
        changed_by=by,
        reason=reason.strip(),
        before=before,
        after=_snapshot(result),
    )
    after_ids = selectors.acquired_competency_ids(
        Result.objects.prefetch_related("judgements__criterion").get(pk=result.pk)
    )
    for competency_id in before_ids - after_ids:
        for entry in LedgerEntry.objects.current().filter(
            person=result.trainee,
            competency_id=competency_id,
            source=LedgerEntry.Source.TRAINING_RESULT,
            source_reference=result.reference,
        ):
            certification_services.supersede_entry(
                # Not the free-text reason (about a person): the append-only ledger points at
                # the change, whose reason erasure can blank.
                entry=entry,
                recorded_by=by,
                justification=f"{result.reference} change {change.pk}",
                withdraw=True,
            )
    if after_ids - before_ids:
        # A key per change: a competency withdrawn then acquired again is a new entry.
        _write_ledger(
            result,
            by=by,
            key_prefix=_ledger_key(result, f"change:{change.pk}"),
            on=timezone.localdate(),
        )
    _after_ledger_write(result)
    record_event(
        actor=by,
        action="result.changed",
        target=result,
        # The reason is free text about a person: it stays in ResultChange (erasable), never
        # in the append-only trail.
        data={"change": change.pk},
    )
    return result


@transaction.atomic
def ask_to_repeat(*, result: Result, by: User, deadline: date, feedback: str = "") -> Result:
    """Ask the trainee to repeat the assessment before ``deadline`` (they are told)."""
    if deadline <= timezone.localdate():
        raise ValidationError(_("Choose a deadline after today."))
    result = Result.objects.select_for_update().get(pk=result.pk)
    if result.status == Result.Status.RELEASED:
        raise ValidationError(_("This result is released; change it with a reason instead."))
    before = _snapshot(result)
    result.status = Result.Status.ASKED_TO_REPEAT
    result.repeat_deadline = deadline
    if feedback.strip():
        result.feedback = feedback.strip()
    result.updated_at = timezone.now()
    result.save()
    ResultChange.objects.create(
        result=result,
        kind=ResultChange.Kind.ASKED_TO_REPEAT,
        changed_by=by,
        before=before,
        after=_snapshot(result),
    )
    notify(
        recipient=result.trainee,
        event="results.asked_to_repeat",
        template="grading/emails/asked_to_repeat",
        context={
            "assessment_title": result.assessment.title,
            "deadline": deadline,
        },
        dedupe_key=f"results.asked_to_repeat:{result.pk}:{deadline.isoformat()}",
        category=Category.UPDATES,
        url=_results_url(),
    )
    record_event(actor=by, action="result.asked_to_repeat", target=result)
    return result
