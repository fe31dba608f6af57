"""Personal data of training: enrolments, waiting lists, calendar feed, attendance and results.

Erasure keeps the facts that the competency ledger points to (an enrolment completed, a result
released, a meeting attended) linked to the pseudonymised account, and blanks every free text
written about the person (feedback, justifications, notes, reasons). Places still held are
given back, so the next person on the waiting list is offered them.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.accounts.models import User
from lms.privacy.registry import Export, PersonalData, Provider

from . import services
from .grading.models import AttendanceRecord, Judgement, MakeUp, Result, ResultChange
from .models import CalendarFeedToken, Enrolment, EnrolmentStatusChange, Exemption

ERASED_TEXT = "—"


def export(user: User) -> Export:
    enrolments = (
        Enrolment.objects.filter(trainee=user)
        .select_related("session__course")
        .prefetch_related("status_changes")
        .order_by("requested_at", "pk")
    )
    results = (
        Result.objects.filter(trainee=user)
        .select_related("assessment")
        .prefetch_related("judgements__criterion__competency")
        .order_by("pk")
    )
    return Export(
        data={
            "enrolments": [
                {
                    "session": e.session.code,
                    "course": e.session.course.title,
                    "status": e.status,
                    "requested_at": e.requested_at,
                    "queue_position": e.queue_position,
                    "history": [
                        {
                            "from": c.from_status,
                            "to": c.to_status,
                            "at": c.changed_at,
                            "reason": c.reason,
                        }
                        for c in e.status_changes.all()
                    ],
                }
                for e in enrolments
            ],
            "exemptions": [
                {
                    "module": x.module_id,
                    "course": x.course_id,
                    "source": x.source,
                    "reference": x.reference,
                }
                for x in Exemption.objects.filter(person=user).order_by("pk")
            ],
            "calendar_feed": CalendarFeedToken.objects.filter(user=user).exists(),
            "attendance": [
                {
                    "meeting": a.meeting_id,
                    "starts_at": a.meeting.starts_at,
                    "status": a.status,
                    "minutes_late": a.minutes_late,
                    "minutes_left_early": a.minutes_left_early,
                    "note": a.note,
                }
                for a in AttendanceRecord.objects.filter(trainee=user)
                .select_related("meeting")
                .order_by("meeting__starts_at", "pk")
            ],
            "make_ups": [
                {"missed": m.missed_meeting_id, "made_up_in": m.make_up_meeting_id, "note": m.note}
                for m in MakeUp.objects.filter(trainee=user).order_by("pk")
            ],
            "results": [
                {
                    "assessment": r.assessment.title,
                    "status": r.status,
                    "feedback": r.feedback,
                    "score": r.score,
                    "passed": r.passed,
                    "judgements": [
                        {
                            "competency": j.criterion.competency.code,
                            "level": j.level,
                            "justification": j.justification,
                        }
                        for j in r.judgements.all()
                    ],
                }
                for r in results
                # Drafts are the trainer's work in progress, shown once released.
                if r.status in Result.VISIBLE_TO_TRAINEE
            ],
        }
    )


def _scrub_snapshot(snapshot: dict[str, Any]) -> dict[str, Any]:
    """A result snapshot without its free texts (the levels and statuses stay)."""
    if not snapshot:
        return snapshot
    clean = {**snapshot, "feedback": ""}
    clean["judgements"] = {
        code: {**value, "justification": ""}
        for code, value in (snapshot.get("judgements") or {}).items()
    }
    return clean


def erase(user: User, *, actor: User) -> dict[str, int]:
    EnrolmentStatusChange.objects.filter(enrolment__trainee=user).update(reason="")
    cancelled = 0
    # A place in a session still to come is given back; a confirmed place in a session that
    # has started is the record of training followed, and stays.
    waiting = (Enrolment.Status.REQUESTED, Enrolment.Status.OFFERED, Enrolment.Status.WAITING_LIST)
    started = Enrolment.objects.filter(
        trainee=user, session__meetings__starts_at__lte=timezone.now()
    ).values("pk")
    to_cancel = Enrolment.objects.filter(trainee=user).filter(
        Q(status__in=waiting) | Q(status=Enrolment.Status.CONFIRMED) & ~Q(pk__in=started)
    )
    for enrolment in to_cancel:
        try:
            services.cancel_enrolment(
                enrolment=enrolment, by=actor, reason=str(_("Personal data erased on request."))
            )
        except (PermissionDenied, ValidationError):
            Enrolment.objects.filter(pk=enrolment.pk).update(
                status=Enrolment.Status.CANCELLED_BY_COORDINATOR,
                queue_position=None,
                offer_expires_at=None,
            )
        cancelled += 1
    tokens, _d = CalendarFeedToken.objects.filter(user=user).delete()
    notes = AttendanceRecord.objects.filter(trainee=user).exclude(note="").update(note="")
    notes += MakeUp.objects.filter(trainee=user).exclude(note="").update(note="")
    texts = Result.objects.filter(trainee=user).exclude(feedback="").update(feedback="")
    # A level needs a justification (a database constraint): a dash replaces the words.
    texts += (
        Judgement.objects.filter(result__trainee=user)
        .exclude(justification=ERASED_TEXT)
        .update(justification=ERASED_TEXT)
    )
    for change in ResultChange.objects.filter(result__trainee=user):
        change.reason = ""
        change.before = _scrub_snapshot(change.before)
        change.after = _scrub_snapshot(change.after)
        change.save(update_fields=["reason", "before", "after"])
        texts += 1
    return {
        "enrolments_cancelled": cancelled,
        "calendar_tokens": tokens,
        "attendance_notes": notes,
        "result_texts": texts,
    }


PROVIDER = Provider(
    name="training",
    label=_("Training"),
    order=10,
    declares=(
        PersonalData(
            models=(
                "courses.Enrolment",
                "courses.EnrolmentStatusChange",
                "courses.Exemption",
                "courses.CalendarFeedToken",
            ),
            what=_(
                "Your enrolments and waiting-list places, their history, your exemptions and "
                "the secret address of your calendar."
            ),
            why=_("To organise your training and count what you have completed."),
            kept=_("As long as your account exists."),
            on_erasure=_(
                "Places you still hold are given back; completed training stays as a fact "
                "linked to an anonymous account; the calendar address stops working."
            ),
        ),
        PersonalData(
            models=(
                "grading.AttendanceRecord",
                "grading.MakeUp",
                "grading.Result",
                "grading.Judgement",
                "grading.ResultChange",
            ),
            what=_("Your attendance, your results and the feedback of your trainers."),
            why=_("To assess your competencies and award them."),
            kept=_("As long as your account exists: your certificates rely on them."),
            on_erasure=_(
                "Levels and statuses stay, linked to an anonymous account; every comment, "
                "note and justification is deleted."
            ),
        ),
    ),
    export=export,
    erase=erase,
    staff_links=(
        "courses.Session",
        "courses.SessionStatusChange",
        "courses.SeatReservation",
        "grading.Assessment",
        "grading.AssessmentStatusChange",
    ),
)
