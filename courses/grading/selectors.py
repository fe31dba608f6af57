"""Reads of the trainer space, including who may see what.

Trainers reach a session, an assessment or a result only through the getters here, which raise
Http404 for a session they do not teach. Coordinators read everything.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Count,
    DurationField,
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.http import Http404
from django.utils import timezone

from courses.models import Enrolment, Meeting, Session
from lms.accounts.models import User
from lms.accounts.roles import Role

from .models import ACQUIRED_LEVELS, Assessment, AttendanceRecord, Judgement, MakeUp, Result

if TYPE_CHECKING:
    from certification.selectors import PersonStanding

DEFAULT_THRESHOLD = Decimal("80")
# Enrolment statuses of the people who take part in a session (attendance, grading).
PARTICIPANT_STATUSES = (Enrolment.Status.CONFIRMED, Enrolment.Status.COMPLETED)
HUNDREDTH = Decimal("0.01")


# --- Access ------------------------------------------------------------------------------------


def is_coordinator(user: User) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.has_role(Role.COORDINATOR)))


def is_trainer(user: User) -> bool:
    return bool(user.is_authenticated and user.has_role(Role.TRAINER))


def sessions_for_trainer(user: User) -> QuerySet[Session]:
    """The sessions ``user`` teaches (and only those)."""
    return Session.objects.filter(trainers=user).exclude(status=Session.Status.CANCELLED)


def get_session_for_trainer(user: User, session_id: int) -> Session:
    """A session ``user`` teaches, else Http404 (never say it exists)."""
    session = (
        sessions_for_trainer(user)
        .select_related("course__certification__rules", "module", "venue")
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        raise Http404("No such session")
    return session


def get_session_for_reader(user: User, session_id: int) -> Session:
    """A session a trainer teaches, or any session for a coordinator (read only)."""
    if is_coordinator(user):
        session = (
            Session.objects.select_related("course__certification__rules", "module", "venue")
            .filter(pk=session_id)
            .first()
        )
        if session is None:
            raise Http404("No such session")
        return session
    return get_session_for_trainer(user, session_id)


def get_meeting_for_trainer(user: User, meeting_id: int) -> Meeting:
    meeting = (
        Meeting.objects.select_related("session__course", "session__module", "session__venue")
        .filter(pk=meeting_id, session__in=sessions_for_trainer(user))
        .first()
    )
    if meeting is None:
        raise Http404("No such meeting")
    return meeting


def _assessments() -> QuerySet[Assessment]:
    return Assessment.objects.select_related(
        "session__course__certification", "session__module", "session__venue", "module"
    )


def get_assessment_for_trainer(user: User, assessment_id: int) -> Assessment:
    """An assessment of a session ``user`` teaches (to grade, review, release), else 404."""
    assessment = (
        _assessments()
        .filter(pk=assessment_id)
        .filter(Q(session__in=sessions_for_trainer(user)) | Q(second_marker=user))
        .first()
    )
    if assessment is None:
        raise Http404("No such assessment")
    return assessment


def get_assessment_for_reader(user: User, assessment_id: int) -> Assessment:
    if is_coordinator(user):
        assessment = _assessments().filter(pk=assessment_id).first()
        if assessment is None:
            raise Http404("No such assessment")
        return assessment
    return get_assessment_for_trainer(user, assessment_id)


def get_result_for_trainer(user: User, result_id: int) -> Result:
    result = (
        Result.objects.select_related(
            "assessment__session__course", "assessment__module", "trainee"
        )
        .filter(pk=result_id, assessment__session__in=sessions_for_trainer(user))
        .first()
    )
    if result is None:
        raise Http404("No such result")
    return result


def get_result_for_reader(user: User, result_id: int) -> Result:
    if is_coordinator(user):
        result = (
            Result.objects.select_related(
                "assessment__session__course", "assessment__module", "trainee"
            )
            .filter(pk=result_id)
            .first()
        )
        if result is None:
            raise Http404("No such result")
        return result
    return get_result_for_trainer(user, result_id)


# --- Participants and attendance ---------------------------------------------------------------


def participants(session: Session) -> list[User]:
    """The confirmed and completed trainees of ``session``, by name (one query)."""
    return list(
        User.objects.filter(
            enrolments__session=session, enrolments__status__in=PARTICIPANT_STATUSES
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def attendance_for_meeting(meeting: Meeting) -> dict[int, AttendanceRecord]:
    return {r.trainee_id: r for r in AttendanceRecord.objects.filter(meeting=meeting)}


def threshold_for(session: Session) -> Decimal:
    """Minimum attendance: the certification rules' figure when the course leads to one, else
    80 %."""
    certification = session.course.certification
    rules = getattr(certification, "rules", None) if certification is not None else None
    if rules is not None and rules.min_attendance_rate:
        return Decimal(rules.min_attendance_rate)
    return DEFAULT_THRESHOLD


@dataclass(frozen=True)
class AttendanceSummary:
    """One trainee's attendance over the meetings where attendance was taken."""

    attended_hours: Decimal
    planned_hours: Decimal
    threshold: Decimal

    @property
    def rate(self) -> Decimal:
        if not self.planned_hours:
            return Decimal("100.00")
        rate = self.attended_hours * 100 / self.planned_hours
        return min(rate, Decimal(100)).quantize(HUNDREDTH)

    @property
    def below_threshold(self) -> bool:
        return bool(self.planned_hours) and self.rate < self.threshold


def _hours(value: timedelta | None) -> Decimal:
    if not value:
        return Decimal(0)
    return Decimal(value.total_seconds()) / 3600


_LENGTH = ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())


def attendance_summaries(
    *,
    meetings: QuerySet[Meeting],
    trainee_ids: list[int],
    threshold: Decimal = DEFAULT_THRESHOLD,
) -> dict[int, AttendanceSummary]:
    """Attended and planned hours per trainee over ``meetings`` in three grouped queries.

    Planned hours count the meetings where attendance was taken (a meeting not yet held does not
    lower anyone's rate). A made-up excused absence counts the missed meeting as attended.
    """
    taken = meetings.filter(attendance_records__isnull=False).distinct()
    planned = _hours(
        Meeting.objects.filter(pk__in=taken.values("pk")).aggregate(total=Sum(_LENGTH))["total"]
    )
    attended_rows = (
        AttendanceRecord.objects.filter(
            meeting__in=meetings.values("pk"),
            trainee_id__in=trainee_ids,
            status__in=AttendanceRecord.ATTENDED,
        )
        .values("trainee_id")
        .annotate(
            length=Sum(
                ExpressionWrapper(
                    F("meeting__ends_at") - F("meeting__starts_at"), output_field=DurationField()
                )
            ),
            missed=Sum(F("minutes_late") + F("minutes_left_early")),
        )
    )
    attended: dict[int, Decimal] = {}
    for row in attended_rows:
        hours = _hours(row["length"]) - Decimal(row["missed"] or 0) / 60
        attended[row["trainee_id"]] = max(hours, Decimal(0))
    made_up_rows = (
        MakeUp.objects.filter(
            missed_meeting__in=meetings.values("pk"),
            trainee_id__in=trainee_ids,
            missed_meeting__attendance_records__trainee_id=F("trainee_id"),
            missed_meeting__attendance_records__status=AttendanceRecord.Status.EXCUSED,
        )
        .values("trainee_id")
        .annotate(
            length=Sum(
                ExpressionWrapper(
                    F("missed_meeting__ends_at") - F("missed_meeting__starts_at"),
                    output_field=DurationField(),
                )
            )
        )
    )
    for made_up in made_up_rows:
        attended[made_up["trainee_id"]] = attended.get(made_up["trainee_id"], Decimal(0)) + _hours(
            made_up["length"]
        )
    return {
        trainee_id: AttendanceSummary(
            attended_hours=attended.get(trainee_id, Decimal(0)).quantize(HUNDREDTH),
            planned_hours=planned.quantize(HUNDREDTH),
            threshold=threshold,
        )
        for trainee_id in trainee_ids
    }


def session_attendance(session: Session, trainees: list[User]) -> dict[int, AttendanceSummary]:
    """Attendance per participant of ``session`` (trainee id → summary)."""
    return attendance_summaries(
        meetings=Meeting.objects.filter(session=session),
        trainee_ids=[t.pk for t in trainees],
        threshold=threshold_for(session),
    )


def certification_attendance_rate(*, person: User, certification_id: int) -> Decimal | None:
    """The person's attendance over every session they took part in of the courses leading to
    the certification (None when no attendance was taken yet)."""
    sessions = Session.objects.filter(
        course__certification_id=certification_id,
        enrolments__trainee=person,
        enrolments__status__in=PARTICIPANT_STATUSES,
    )
    meetings = Meeting.objects.filter(session__in=sessions.values("pk"))
    summary = attendance_summaries(meetings=meetings, trainee_ids=[person.pk])[person.pk]
    return summary.rate if summary.planned_hours else None


def attendance_by_session(
    sessions: list[Session], *, trainee_ids: list[int] | None = None
) -> dict[tuple[int, int], AttendanceSummary]:
    """Attendance of every participant of ``sessions`` keyed by (session id, trainee id), in a
    fixed number of grouped queries whatever the number of sessions (coordinator lists)."""
    session_ids = [session.pk for session in sessions]
    enrolments = Enrolment.objects.filter(
        session_id__in=session_ids, status__in=PARTICIPANT_STATUSES
    )
    if trainee_ids is not None:
        enrolments = enrolments.filter(trainee_id__in=trainee_ids)
    pairs = set(enrolments.values_list("session_id", "trainee_id"))
    planned_rows = (
        Meeting.objects.filter(
            pk__in=Meeting.objects.filter(
                session_id__in=session_ids, attendance_records__isnull=False
            ).values("pk")
        )
        .values("session_id")
        .annotate(total=Sum(_LENGTH))
    )
    planned = {row["session_id"]: _hours(row["total"]) for row in planned_rows}
    attended: dict[tuple[int, int], Decimal] = {}
    attended_rows = (
        AttendanceRecord.objects.filter(
            meeting__session_id__in=session_ids, status__in=AttendanceRecord.ATTENDED
        )
        .values("meeting__session_id", "trainee_id")
        .annotate(
            length=Sum(
                ExpressionWrapper(
                    F("meeting__ends_at") - F("meeting__starts_at"), output_field=DurationField()
                )
            ),
            missed=Sum(F("minutes_late") + F("minutes_left_early")),
        )
    )
    for row in attended_rows:
        key = (row["meeting__session_id"], row["trainee_id"])
        attended[key] = max(_hours(row["length"]) - Decimal(row["missed"] or 0) / 60, Decimal(0))
    made_up_rows = (
        MakeUp.objects.filter(
            missed_meeting__session_id__in=session_ids,
            missed_meeting__attendance_records__trainee_id=F("trainee_id"),
            missed_meeting__attendance_records__status=AttendanceRecord.Status.EXCUSED,
        )
        .values("missed_meeting__session_id", "trainee_id")
        .annotate(
            length=Sum(
                ExpressionWrapper(
                    F("missed_meeting__ends_at") - F("missed_meeting__starts_at"),
                    output_field=DurationField(),
                )
            )
        )
    )
    for made_up in made_up_rows:
        key = (made_up["missed_meeting__session_id"], made_up["trainee_id"])
        attended[key] = attended.get(key, Decimal(0)) + _hours(made_up["length"])
    thresholds = {session.pk: threshold_for(session) for session in sessions}
    return {
        (session_id, trainee_id): AttendanceSummary(
            attended_hours=attended.get((session_id, trainee_id), Decimal(0)).quantize(HUNDREDTH),
            planned_hours=planned.get(session_id, Decimal(0)).quantize(HUNDREDTH),
            threshold=thresholds[session_id],
        )
        for session_id, trainee_id in pairs
        if session_id in planned
    }


def attendance_annotations() -> dict[str, Expression]:
    """Annotations of an Enrolment queryset giving, for each enrolment, the sums
    ``attendance_by_session`` works from, so that a report reads them in the same query as the
    enrolments; ``attendance_summary_from`` turns them into the same summary."""
    records = AttendanceRecord.objects.filter(
        meeting__session=OuterRef("session"),
        trainee=OuterRef("trainee"),
        status__in=AttendanceRecord.ATTENDED,
    ).order_by()
    record_length = ExpressionWrapper(
        F("meeting__ends_at") - F("meeting__starts_at"), output_field=DurationField()
    )
    planned = (
        Meeting.objects.filter(
            Exists(AttendanceRecord.objects.filter(meeting=OuterRef("pk"))),
            session=OuterRef("session"),
        )
        .order_by()
        .values("session")
        .annotate(total=Sum(_LENGTH))
        .values("total")
    )
    made_up = (
        MakeUp.objects.filter(
            missed_meeting__session=OuterRef("session"),
            trainee=OuterRef("trainee"),
            missed_meeting__attendance_records__trainee_id=F("trainee_id"),
            missed_meeting__attendance_records__status=AttendanceRecord.Status.EXCUSED,
        )
        .order_by()
        .values("trainee")
        .annotate(
            length=Sum(
                ExpressionWrapper(
                    F("missed_meeting__ends_at") - F("missed_meeting__starts_at"),
                    output_field=DurationField(),
                )
            )
        )
        .values("length")
    )
    return {
        "att_planned": Subquery(planned, output_field=DurationField()),
        "att_length": Subquery(
            records.values("trainee").annotate(total=Sum(record_length)).values("total"),
            output_field=DurationField(),
        ),
        "att_missed": Subquery(
            records.values("trainee")
            .annotate(total=Sum(F("minutes_late") + F("minutes_left_early")))
            .values("total")
        ),
        "att_made_up": Subquery(made_up, output_field=DurationField()),
        "att_min_rate": F("session__course__certification__rules__min_attendance_rate"),
    }


def attendance_groups(
    duration: Callable[[Expression], Expression] = lambda total: total,
) -> dict[str, QuerySet]:
    """The sums of ``attendance_annotations`` computed set-wise, each in one pass over its
    table, for a report to join to its enrolments rather than look them up per enrolment:
    ``planned`` (``att_planned``) per ``session_id``; ``records`` (``att_length``,
    ``att_missed``) and ``made_up`` (``att_made_up``) per (``session_id``, ``trainee_id``).
    A missing group stands for the NULL the subquery gives. ``duration`` wraps each duration
    sum (e.g. to read it as a number)."""
    record_length = ExpressionWrapper(
        F("meeting__ends_at") - F("meeting__starts_at"), output_field=DurationField()
    )
    made_up_length = ExpressionWrapper(
        F("missed_meeting__ends_at") - F("missed_meeting__starts_at"),
        output_field=DurationField(),
    )
    planned = (
        Meeting.objects.filter(Exists(AttendanceRecord.objects.filter(meeting=OuterRef("pk"))))
        .order_by()
        .values("session_id")
        .annotate(att_planned=duration(Sum(_LENGTH)))
    )
    records = (
        AttendanceRecord.objects.filter(status__in=AttendanceRecord.ATTENDED)
        .order_by()
        .values("trainee_id", session_id=F("meeting__session_id"))
        .annotate(
            att_length=duration(Sum(record_length)),
            att_missed=Sum(F("minutes_late") + F("minutes_left_early")),
        )
    )
    made_up = (
        MakeUp.objects.filter(
            missed_meeting__attendance_records__trainee_id=F("trainee_id"),
            missed_meeting__attendance_records__status=AttendanceRecord.Status.EXCUSED,
        )
        .order_by()
        .values("trainee_id", session_id=F("missed_meeting__session_id"))
        .annotate(att_made_up=duration(Sum(made_up_length)))
    )
    return {"planned": planned, "records": records, "made_up": made_up}


def attendance_summary_from(row: Mapping[str, Any]) -> AttendanceSummary | None:
    """The summary ``attendance_by_session`` gives for one participant, from a row annotated
    with ``attendance_annotations()`` (None where it gives none: no attendance taken)."""
    if row["att_planned"] is None:
        return None
    attended = Decimal(0)
    if row["att_length"] is not None:
        missed = Decimal(row["att_missed"] or 0) / 60
        attended = max(_hours(row["att_length"]) - missed, Decimal(0))
    if row["att_made_up"] is not None:
        attended += _hours(row["att_made_up"])
    rate = row["att_min_rate"]
    return AttendanceSummary(
        attended_hours=attended.quantize(HUNDREDTH),
        planned_hours=_hours(row["att_planned"]).quantize(HUNDREDTH),
        threshold=Decimal(rate) if rate else DEFAULT_THRESHOLD,
    )


@dataclass
class AttendanceWarning:
    session: Session
    trainee: User
    summary: AttendanceSummary


def _sessions_with_attendance(sessions: QuerySet[Session]) -> list[Session]:
    return list(
        sessions.filter(
            pk__in=Meeting.objects.filter(attendance_records__isnull=False).values("session_id")
        ).select_related("course__certification__rules", "module", "venue")
    )


def attendance_warnings(*, sessions: QuerySet[Session] | None = None) -> list[AttendanceWarning]:
    """Trainees below the attendance threshold, session by session (for coordinators)."""
    found = _sessions_with_attendance(sessions if sessions is not None else Session.objects.all())
    summaries = attendance_by_session(found)
    below = {key: summary for key, summary in summaries.items() if summary.below_threshold}
    people = User.objects.in_bulk({trainee_id for _session_id, trainee_id in below})
    by_id = {session.pk: session for session in found}
    warnings = [
        AttendanceWarning(by_id[session_id], people[trainee_id], summary)
        for (session_id, trainee_id), summary in below.items()
    ]
    warnings.sort(key=lambda w: (w.session.code, w.trainee.last_name, w.trainee.first_name))
    return warnings


# --- Trainer home ------------------------------------------------------------------------------


@dataclass
class TrainerSessionRow:
    session: Session
    next_meeting: Meeting | None
    past_meetings_without_attendance: int
    results_to_grade: int


def trainer_home(user: User) -> list[TrainerSessionRow]:
    """The sessions ``user`` teaches with their next meeting and what is left to do."""
    now = timezone.now()
    sessions = (
        sessions_for_trainer(user)
        .select_related("course", "module", "venue")
        .annotate(
            to_grade=Count(
                "assessments__results",
                filter=Q(assessments__results__status=Result.Status.DRAFT),
                distinct=True,
            ),
            untaken=Count(
                "meetings",
                filter=Q(meetings__starts_at__lte=now, meetings__attendance_records__isnull=True),
                distinct=True,
            ),
        )
        .prefetch_related(
            Prefetch(
                "meetings",
                queryset=Meeting.objects.filter(ends_at__gte=now).order_by("starts_at"),
                to_attr="upcoming",
            )
        )
        .order_by("code")
    )
    return [
        TrainerSessionRow(
            session=session,
            next_meeting=session.upcoming[0] if session.upcoming else None,
            past_meetings_without_attendance=session.untaken,
            results_to_grade=session.to_grade,
        )
        for session in sessions
    ]


def meetings_of(session: Session) -> list[Meeting]:
    return list(
        Meeting.objects.filter(session=session)
        .annotate(records=Count("attendance_records"))
        .order_by("starts_at")
    )


def assessments_of(session: Session) -> list[Assessment]:
    return list(
        Assessment.objects.filter(session=session)
        .select_related("module")
        .annotate(
            criteria_count=Count("criteria", distinct=True),
            draft_count=Count(
                "results", filter=Q(results__status=Result.Status.DRAFT), distinct=True
            ),
            released_count=Count(
                "results", filter=Q(results__status=Result.Status.RELEASED), distinct=True
            ),
        )
    )


# --- Grading grid ------------------------------------------------------------------------------


@dataclass
class GridRow:
    trainee: User
    result: Result | None
    judgements: dict[int, Judgement]  # criterion id → Judgement


def grading_grid(assessment: Assessment) -> tuple[list, list[GridRow]]:
    """Criteria and one row per participant with their result and judgements.

    A fixed number of queries whatever the group size (criteria, participants, results with
    their judgements prefetched).
    """
    criteria = list(assessment.criteria.select_related("competency__block"))
    trainees = participants(assessment.session)
    results = {
        r.trainee_id: r
        for r in Result.objects.filter(assessment=assessment).prefetch_related("judgements")
    }
    rows = []
    for trainee in trainees:
        result = results.get(trainee.pk)
        judgements = {j.criterion_id: j for j in result.judgements.all()} if result else {}
        rows.append(GridRow(trainee=trainee, result=result, judgements=judgements))
    return criteria, rows


def result_history(result: Result) -> QuerySet:
    return result.changes.select_related("changed_by").order_by("changed_at", "pk")


def recent_result_changes(*, limit: int = 50) -> QuerySet:
    """Changes made after release, newest first (for coordinators)."""
    from .models import ResultChange

    return ResultChange.objects.filter(kind=ResultChange.Kind.CHANGED).select_related(
        "changed_by", "result__trainee", "result__assessment__session"
    )[:limit]


# --- Trainee -----------------------------------------------------------------------------------


def released_results_for_trainee(user: User) -> list[Result]:
    """The trainee's own results that were released (or asked to repeat), never drafts."""
    return list(
        Result.objects.filter(trainee=user, status__in=Result.VISIBLE_TO_TRAINEE)
        .select_related("assessment__session__course", "assessment__module")
        .prefetch_related("judgements__criterion__competency")
        .order_by("-released_at", "-pk")
    )


@dataclass
class TraineeSessionAttendance:
    session: Session
    summary: AttendanceSummary


def attendance_for_trainee(user: User) -> list[TraineeSessionAttendance]:
    """Attendance in each session the trainee took part in (a fixed number of queries)."""
    sessions = _sessions_with_attendance(
        Session.objects.filter(
            pk__in=Enrolment.objects.filter(trainee=user, status__in=PARTICIPANT_STATUSES).values(
                "session_id"
            )
        ).order_by("code")
    )
    summaries = attendance_by_session(sessions, trainee_ids=[user.pk])
    return [
        TraineeSessionAttendance(session, summaries[(session.pk, user.pk)])
        for session in sessions
        if (session.pk, user.pk) in summaries
    ]


def acquired_competency_ids(result: Result) -> set[int]:
    return {
        j.criterion.competency_id for j in result.judgements.all() if j.level in ACQUIRED_LEVELS
    }


def trainee_overview(user: User) -> dict[str, object]:
    """Released results, attendance per session and competency progress by block."""
    from certification.models import Certification
    from certification.selectors import holdings_for_person

    certifications = Certification.objects.filter(
        courses__sessions__enrolments__trainee=user,
        courses__sessions__enrolments__status__in=PARTICIPANT_STATUSES,
    ).distinct()
    return {
        "results": released_results_for_trainee(user),
        "attendance_rows": attendance_for_trainee(user),
        "progress": [(c, holdings_for_person(user, c.framework_code)) for c in certifications],
    }


def _participant_sessions_with_attendance(user: User) -> list[Session]:
    """Every session ``user`` takes part in, by code, in one query, each annotated with
    ``has_attendance`` and the sums ``attendance_by_session`` computes for this one trainee:
    planned (meetings where attendance was taken), attended and made-up lengths, and minutes
    missed (late or left early)."""

    def total(queryset: QuerySet, group: str, value, output_field) -> Subquery:
        return Subquery(
            queryset.order_by().values(group).annotate(total=Sum(value)).values("total")[:1],
            output_field=output_field,
        )

    taken = Exists(AttendanceRecord.objects.filter(meeting=OuterRef("pk")))
    meeting_length = ExpressionWrapper(
        F("meeting__ends_at") - F("meeting__starts_at"), output_field=DurationField()
    )
    attended = AttendanceRecord.objects.filter(
        meeting__session=OuterRef("pk"), trainee_id=user.pk, status__in=AttendanceRecord.ATTENDED
    )
    made_up = MakeUp.objects.filter(
        missed_meeting__session=OuterRef("pk"),
        trainee_id=user.pk,
        missed_meeting__attendance_records__trainee_id=F("trainee_id"),
        missed_meeting__attendance_records__status=AttendanceRecord.Status.EXCUSED,
    )
    return list(
        Session.objects.filter(
            pk__in=Enrolment.objects.filter(trainee=user, status__in=PARTICIPANT_STATUSES).values(
                "session_id"
            )
        )
        .annotate(
            has_attendance=Exists(AttendanceRecord.objects.filter(meeting__session=OuterRef("pk"))),
            planned_length=total(
                Meeting.objects.filter(taken, session=OuterRef("pk")),
                "session",
                _LENGTH,
                DurationField(),
            ),
            attended_length=total(attended, "meeting__session", meeting_length, DurationField()),
            missed_minutes=total(
                attended,
                "meeting__session",
                F("minutes_late") + F("minutes_left_early"),
                IntegerField(),
            ),
            made_up_length=total(
                made_up,
                "missed_meeting__session",
                ExpressionWrapper(
                    F("missed_meeting__ends_at") - F("missed_meeting__starts_at"),
                    output_field=DurationField(),
                ),
                DurationField(),
            ),
        )
        .select_related("course__certification__rules", "module", "venue")
        .order_by("code")
    )


def _attendance_rows(sessions: list[Session]) -> list[TraineeSessionAttendance]:
    """``attendance_for_trainee`` from the annotated sessions (no query)."""
    rows = []
    for session in sessions:
        if not session.has_attendance:  # type: ignore[attr-defined]
            continue
        attended = max(
            _hours(session.attended_length)  # type: ignore[attr-defined]
            - Decimal(session.missed_minutes or 0) / 60,  # type: ignore[attr-defined]
            Decimal(0),
        )
        attended += _hours(session.made_up_length)  # type: ignore[attr-defined]
        summary = AttendanceSummary(
            attended_hours=attended.quantize(HUNDREDTH),
            planned_hours=_hours(session.planned_length).quantize(HUNDREDTH),  # type: ignore[attr-defined]
            threshold=threshold_for(session),
        )
        rows.append(TraineeSessionAttendance(session, summary))
    return rows


def trainee_panel_overview(user: User, standing: "PersonStanding") -> dict[str, object]:
    """What the results panel of "Mon espace" shows (as ``trainee_overview``), in a fixed
    number of queries: the number of released results, attendance per session and competency
    progress, read from the person's certification ``standing`` (certification.selectors)."""
    sessions = _participant_sessions_with_attendance(user)
    certification_ids = {session.course.certification_id for session in sessions}
    return {
        "results_count": Result.objects.filter(
            trainee=user, status__in=Result.VISIBLE_TO_TRAINEE
        ).count(),
        "attendance_rows": _attendance_rows(sessions),
        "progress": [
            (c, standing.holdings(c.framework_code))
            for c in standing.certifications
            if c.pk in certification_ids
        ],
    }


def excused_absences(session: Session) -> list[AttendanceRecord]:
    """Excused absences in ``session`` not made up yet."""
    return list(
        AttendanceRecord.objects.filter(
            meeting__session=session, status=AttendanceRecord.Status.EXCUSED
        )
        .exclude(meeting__make_ups_of__trainee_id=F("trainee_id"))
        .select_related("trainee", "meeting")
        .order_by("meeting__starts_at", "trainee__last_name")
    )


def make_up_meetings(session: Session) -> list[Meeting]:
    """Meetings of other sessions of the same module (any town), where an absence can be made
    up."""
    same = (
        Q(session__module_id=session.module_id)
        if session.module_id
        else Q(session__module__isnull=True, session__course_id=session.course_id)
    )
    return list(
        Meeting.objects.filter(same)
        .exclude(session=session)
        .exclude(session__status=Session.Status.CANCELLED)
        .select_related("session__venue", "session__module", "session__course")
        .order_by("starts_at")
    )
