"""Training figures for the coordinators' reports, and the training rows of the research export.

Definitions (also in the README, "Reports and research export"):

- **Enrolled**: an enrolment that held a place (status confirmed, completed or did not attend),
  dated by when it was requested. Counted as distinct people per line.
- **Trained**: an enrolment marked completed (the coordinator closed the session) whose
  attendance is not below the session's threshold (the certification rules' minimum, else 80 %,
  computed as in the trainers' space: attended hours, make-ups included, over the hours of the
  meetings where attendance was taken). Dated by the end of the session's last meeting.
  Counted as distinct people per line.
- **Certified**: a first certificate (cycle 1, renewals excluded) issued in the period and not
  revoked. Course filter: certificates of the course's certification; region filter: the holder
  completed a session in that region of a course leading to it.
- **Hours delivered**: the length of the meetings held (ended before now) of sessions that were
  not cancelled, dated by the meeting's start.
- **Trainee-hours attended**: over attendance records of those meetings, the meeting length minus
  minutes late and left early for people present, late or who left early.
- **Attendance rate**: trainee-hours attended / trainee-hours scheduled, where each attendance
  record (one person expected at one meeting) schedules the meeting's length. Make-ups are not
  counted here (they are in "trained").
- **Funnel** (over enrolments that held a place, dated by request): attended at least one meeting
  → and has a released result in the session → and holds a non-revoked certificate of the
  course's certification. Each step counts enrolments that passed every earlier step.
- **Waiting-list pressure** per region: enrolments put on a waiting list in the period (first
  time only), enrolments still waiting now, and the places of published sessions that have not
  started yet.

The page reads its figures in a fixed number of queries, each once per page (see
``lms.reports.registry.shared``): one query counts the enrolments in the database (the distinct
people per period, region and course and over the whole period, "trained", the funnel and the
waiting lists, see ``enrolment_counts``), and one grouped query per table for meetings,
attendance records, certificates and places, grouped by (period, region, course) and added up
per table. No query reads one row per enrolment.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certification.models import Certificate
from courses.grading.models import AttendanceRecord, Result
from courses.grading.selectors import (
    attendance_annotations,
    attendance_by_session,
    attendance_groups,
)
from courses.models import Course, Enrolment, EnrolmentStatusChange, Meeting, Region, Session
from lms.reports.filters import ONLINE, narrow, period_label, period_of
from lms.reports.registry import ReportFilters, Section, Table, shared

HELD_PLACE = (Enrolment.Status.CONFIRMED, Enrolment.Status.COMPLETED, Enrolment.Status.NO_SHOW)
RELEASED = (Result.Status.RELEASED, Result.Status.ASKED_TO_REPEAT)
HUNDREDTH = Decimal("0.01")

ENROLMENT_FIELDS = {"region": "session__venue__region", "course": "session__course_id"}
MEETING_FIELDS = {"region": "session__venue__region", "course": "session__course_id"}
RECORD_FIELDS = {
    "region": "meeting__session__venue__region",
    "course": "meeting__session__course_id",
}

_LENGTH = ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())
_RECORD_LENGTH = ExpressionWrapper(
    F("meeting__ends_at") - F("meeting__starts_at"), output_field=DurationField()
)


def _hours(value: timedelta | None) -> Decimal:
    if not value:
        return Decimal("0.00")
    return (Decimal(value.total_seconds()) / 3600).quantize(HUNDREDTH)


def _region_label(code: str | None) -> str:
    if not code:
        return str(_("Online"))
    return str(dict(Region.choices).get(code, code))


def _course_labels() -> dict[int, str]:
    return dict(course_choices())


def _period_key(value: Any, granularity: str) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return period_label(value, granularity)


# --- Querysets ---------------------------------------------------------------------------------


def enrolled(filters: ReportFilters) -> QuerySet[Enrolment]:
    """Enrolments that held a place, requested in the period."""
    return narrow(
        Enrolment.objects.filter(status__in=HELD_PLACE),
        filters,
        date="requested_at__date",
        **ENROLMENT_FIELDS,
    )


def _ended() -> Subquery:
    """The end of the session's last meeting."""
    return Subquery(
        Meeting.objects.filter(session=OuterRef("session"))
        .order_by("-ends_at")
        .values("ends_at")[:1]
    )


def completed(filters: ReportFilters) -> QuerySet[Enrolment]:
    """Completed enrolments whose session ended in the period (trained, if attendance allows)."""
    return narrow(
        Enrolment.objects.filter(status=Enrolment.Status.COMPLETED).annotate(ended=_ended()),
        filters,
        date="ended__date",
        **ENROLMENT_FIELDS,
    )


def joined_waiting_list(filters: ReportFilters) -> QuerySet[EnrolmentStatusChange]:
    """Enrolments put on a waiting list in the period (first time only)."""
    return narrow(
        EnrolmentStatusChange.objects.filter(to_status=Enrolment.Status.WAITING_LIST).exclude(
            from_status=Enrolment.Status.WAITING_LIST
        ),
        filters,
        date="changed_at__date",
        region="enrolment__session__venue__region",
        course="enrolment__session__course_id",
    )


def still_waiting(filters: ReportFilters) -> QuerySet[Enrolment]:
    """Enrolments on a waiting list today (the period does not apply)."""
    return narrow(
        Enrolment.objects.filter(status=Enrolment.Status.WAITING_LIST),
        ReportFilters(region=filters.region, course=filters.course),
        **ENROLMENT_FIELDS,
    )


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def _enrolments(filters: ReportFilters, *, attendance: bool = True) -> QuerySet[Enrolment]:
    """Every enrolment some table of the page counts: enrolled (``is_enrolled``, with the
    funnel steps), completed in the period (``is_completed``, with the attendance sums that tell
    whether the person is trained, unless ``attendance`` is false: ``enrolment_counts`` joins
    them set-wise instead), on a waiting list today (``is_waiting``) or put on one in the period
    (``is_joined``)."""
    sets = {
        "is_enrolled": Q(pk__in=enrolled(filters).values("pk")),
        "is_completed": Q(pk__in=completed(filters).values("pk")),
        "is_waiting": Q(pk__in=still_waiting(filters).values("pk")),
        "is_joined": Q(pk__in=joined_waiting_list(filters).values("enrolment_id")),
    }
    anywhere = sets["is_enrolled"] | sets["is_completed"] | sets["is_waiting"] | sets["is_joined"]
    attended, assessed, holds = _funnel_steps()
    return (
        Enrolment.objects.filter(anywhere)
        .annotate(
            **{name: _flag(condition) for name, condition in sets.items()},
            period=period_of("requested_at", filters.granularity),
            ended=_ended(),
            did_attend=Exists(attended),
            was_assessed=Exists(assessed),
            is_certified=Exists(holds),
            **(attendance_annotations() if attendance else {}),
        )
        .order_by()
    )


def enrolment_rows(filters: ReportFilters) -> list[dict[str, Any]]:
    """The enrolments of ``_enrolments``, one dict per enrolment (the page does not read them:
    it counts them in the database, see ``enrolment_counts``)."""
    return list(
        _enrolments(filters).values(
            "pk",
            "trainee_id",
            "session_id",
            "status",
            "period",
            "ended",
            "did_attend",
            "was_assessed",
            "is_certified",
            "is_enrolled",
            "is_completed",
            "is_waiting",
            "is_joined",
            *attendance_annotations(),
            region=F("session__venue__region"),
            course=F("session__course_id"),
        )
    )


class _Microseconds(Func):
    """A duration as a whole number of microseconds (how SQLite stores durations already)."""

    template = "CAST(%(expressions)s AS BIGINT)"
    output_field = BigIntegerField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(EXTRACT(EPOCH FROM %(expressions)s) * 1000000 AS BIGINT)",
            **extra,
        )


def _hundredths(micro: str) -> str:
    """SQL: ``micro`` microseconds in hundredths of an hour, rounded half to even like
    ``Decimal.quantize`` (``micro`` is a non-negative integer expression)."""
    d = 36_000_000
    q = f"(({micro}) / {d})"
    r2 = f"(2 * (({micro}) - {q} * {d}))"
    return (
        f"(CASE WHEN {r2} > {d} OR ({r2} = {d} AND {q} - ({q} / 2) * 2 = 1) "
        f"THEN {q} + 1 ELSE {q} END)"
    )


# "Trained" in SQL, as ``attendance_summary_from(row).below_threshold`` decides it in Python, in
# whole numbers so that it rounds the same way: a and p are the attended and planned hours in
# hundredths (rounded half to even), k the threshold in hundredths of a percent; the rate
# 100·a/p, rounded to hundredths, is below k/100 when 20000·a < (2k − 1)·p (or equal, if the
# rounding goes down to k − 1, i.e. when k is odd). The threshold is at most 100 %.
_ATTENDED_MICRO = (
    "(CASE WHEN att_length IS NULL THEN 0 "
    "WHEN att_length - 60000000 * COALESCE(att_missed, 0) > 0 "
    "THEN att_length - 60000000 * COALESCE(att_missed, 0) ELSE 0 END"
    " + COALESCE(att_made_up, 0))"
)
# The attendance sums are grouped once per session (pl) and per session and person (rec, mu),
# each in one pass over its table, and joined to the enrolments (a missing group is the NULL
# that the per-enrolment subqueries of ``attendance_annotations`` give).
_TRAINED_SQL = f"""
WITH e AS MATERIALIZED ({{inner}}),
pl AS ({{planned}}),
rec AS ({{records}}),
mu AS ({{made_up}}),
r AS (
    SELECT e.*, {_hundredths("att_planned")} AS p, {_hundredths(_ATTENDED_MICRO)} AS a,
        CAST(ROUND(100 * COALESCE(NULLIF(att_min_rate, 0), 80)) AS BIGINT) AS k,
        att_planned
    FROM e
    LEFT JOIN pl ON pl.session_id = e.session_id
    LEFT JOIN rec ON rec.session_id = e.session_id AND rec.trainee_id = e.trainee_id
    LEFT JOIN mu ON mu.session_id = e.session_id AND mu.trainee_id = e.trainee_id
),
t AS (
    SELECT trainee_id, period, ended_period, region, course, is_enrolled, is_waiting,
        is_joined, did_attend, was_assessed, is_certified,
        CASE WHEN is_completed AND NOT (
            att_planned IS NOT NULL AND p > 0 AND (
                20000 * a < (2 * k - 1) * p
                OR (20000 * a = (2 * k - 1) * p AND k - (k / 2) * 2 = 1)
            )
        ) THEN 1 ELSE 0 END AS is_trained
    FROM r
)
SELECT 'period', CAST(period AS TEXT), COUNT(DISTINCT trainee_id), 0, 0, 0
    FROM t WHERE is_enrolled GROUP BY period
UNION ALL
SELECT 'ended', CAST(ended_period AS TEXT), 0, COUNT(DISTINCT trainee_id), 0, 0
    FROM t WHERE is_trained = 1 GROUP BY ended_period
UNION ALL
SELECT 'region', region,
    COUNT(DISTINCT CASE WHEN is_enrolled THEN trainee_id END),
    COUNT(DISTINCT CASE WHEN is_trained = 1 THEN trainee_id END), 0, 0
    FROM t WHERE is_enrolled OR is_trained = 1 GROUP BY region
UNION ALL
SELECT 'course', CAST(course AS TEXT),
    COUNT(DISTINCT CASE WHEN is_enrolled THEN trainee_id END),
    COUNT(DISTINCT CASE WHEN is_trained = 1 THEN trainee_id END), 0, 0
    FROM t WHERE is_enrolled OR is_trained = 1 GROUP BY course
UNION ALL
SELECT 'total', NULL,
    COUNT(DISTINCT CASE WHEN is_enrolled THEN trainee_id END),
    COUNT(DISTINCT CASE WHEN is_trained = 1 THEN trainee_id END), 0, 0
    FROM t
UNION ALL
SELECT 'funnel', NULL,
    COALESCE(SUM(CASE WHEN is_enrolled THEN 1 ELSE 0 END), 0),
    COALESCE(SUM(CASE WHEN is_enrolled AND did_attend THEN 1 ELSE 0 END), 0),
    COALESCE(SUM(CASE WHEN is_enrolled AND did_attend AND was_assessed THEN 1 ELSE 0 END), 0),
    COALESCE(SUM(CASE WHEN is_enrolled AND did_attend AND was_assessed AND is_certified
        THEN 1 ELSE 0 END), 0)
    FROM t
UNION ALL
SELECT 'waiting', region,
    SUM(CASE WHEN is_joined THEN 1 ELSE 0 END), SUM(CASE WHEN is_waiting THEN 1 ELSE 0 END),
    0, 0
    FROM t WHERE is_joined OR is_waiting GROUP BY region
"""  # noqa: S608 (constant text around the ORM's own query, whose values are parameters)


def _period_text(value: Any, granularity: str) -> str:
    """The label of a period start read as text (the database truncated it in local time)."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return period_label(value, granularity)


def enrolment_counts(filters: ReportFilters) -> dict[str, Any]:
    """The enrolments of ``_enrolments`` counted in the database, in one query (once per page):
    distinct people enrolled and trained per period, region and course and over the whole
    period, the funnel steps, and the waiting lists per region. The rows it reads grow with the
    periods, regions and courses, not with the enrolments."""

    def compute() -> dict[str, Any]:
        granularity = filters.granularity
        inner = _enrolments(filters, attendance=False).values(
            "trainee_id",
            "session_id",
            "did_attend",
            "was_assessed",
            "is_certified",
            "is_enrolled",
            "is_completed",
            "is_waiting",
            "is_joined",
            # Truncated only where counted (a Python function per row on SQLite).
            period=Case(When(status__in=HELD_PLACE, then=F("period"))),
            ended_period=Case(
                When(status=Enrolment.Status.COMPLETED, then=period_of("ended", granularity))
            ),
            region=F("session__venue__region"),
            course=F("session__course_id"),
            att_min_rate=F("session__course__certification__rules__min_attendance_rate"),
        )
        # Only the sessions of the enrolments (e, the first CTE) are grouped.
        of_e = RawSQL("SELECT session_id FROM e", ())
        parts = {
            "inner": inner,
            **{
                name: groups.filter(session_id__in=of_e)
                for name, groups in attendance_groups(duration=_Microseconds).items()
            },
        }
        sql: dict[str, str] = {}
        params: list[Any] = []
        for name in ("inner", "planned", "records", "made_up"):  # their order in the text
            sql[name], part_params = parts[name].query.sql_with_params()
            params.extend(part_params)
        with connection.cursor() as cursor:
            cursor.execute(_TRAINED_SQL.format(**sql), params)
            found = cursor.fetchall()
        counts: dict[str, Any] = {
            "enrolled_per_period": {},
            "trained_per_period": {},
            "region": {},
            "course": {},
            "total": (0, 0),
            "funnel": {"enrolled": 0, "attended": 0, "assessed": 0, "certified": 0},
            "waiting": {},
        }
        for kind, key, *n in found:
            n = [int(value or 0) for value in n]
            if kind == "period":
                counts["enrolled_per_period"][_period_text(key, granularity)] = n[0]
            elif kind == "ended":
                counts["trained_per_period"][_period_text(key, granularity)] = n[1]
            elif kind == "region":
                counts["region"][key] = (n[0], n[1])
            elif kind == "course":
                counts["course"][int(key)] = (n[0], n[1])
            elif kind == "total":
                counts["total"] = (n[0], n[1])
            elif kind == "funnel":
                counts["funnel"] = dict(zip(counts["funnel"], n, strict=True))
            else:
                counts["waiting"][key] = (n[0], n[1])
        return counts

    return shared(("enrolment_counts", filters), compute)


def certified(filters: ReportFilters) -> QuerySet[Certificate]:
    """First certificates issued in the period and not revoked."""
    certificates: QuerySet[Certificate] = Certificate.objects.filter(cycle=1).exclude(
        status=Certificate.Status.REVOKED
    )
    certificates = narrow(certificates, filters, date="issued_at__date")
    if filters.course:
        certificates = certificates.filter(certification__courses=filters.course)
    if filters.region:
        in_region: QuerySet[Enrolment] = Enrolment.objects.filter(
            trainee=OuterRef("holder"),
            status=Enrolment.Status.COMPLETED,
            session__course__certification=OuterRef("certification"),
        )
        in_region = narrow(in_region, filters, region="session__venue__region")
        certificates = certificates.filter(Exists(in_region))
    return certificates


def held_meetings(filters: ReportFilters) -> QuerySet[Meeting]:
    """Meetings that ended before now, of sessions not cancelled, starting in the period."""
    meetings = Meeting.objects.filter(ends_at__lte=timezone.now()).exclude(
        session__status=Session.Status.CANCELLED
    )
    return narrow(meetings, filters, date="starts_at__date", **MEETING_FIELDS)


def attendance_records(filters: ReportFilters) -> QuerySet[AttendanceRecord]:
    records = AttendanceRecord.objects.filter(meeting__ends_at__lte=timezone.now()).exclude(
        meeting__session__status=Session.Status.CANCELLED
    )
    return narrow(records, filters, date="meeting__starts_at__date", **RECORD_FIELDS)


def _grouped(filters: ReportFilters) -> dict[str, list[dict[str, Any]]]:
    """Meetings held and attendance records, each summed in one query per (period, region,
    course), once per page; the tables add these lines up per period, region or course."""

    def compute() -> dict[str, list[dict[str, Any]]]:
        granularity = filters.granularity
        meetings = list(
            held_meetings(filters)
            .values(
                period=period_of("starts_at", granularity),
                region=F(MEETING_FIELDS["region"]),
                course=F(MEETING_FIELDS["course"]),
            )
            .annotate(n=Count("pk"), total=Sum(_LENGTH))
            .order_by()
        )
        attended = Q(status__in=AttendanceRecord.ATTENDED)
        records = list(
            attendance_records(filters)
            .values(
                period=period_of("meeting__starts_at", granularity),
                region=F(RECORD_FIELDS["region"]),
                course=F(RECORD_FIELDS["course"]),
            )
            .annotate(
                scheduled=Sum(_RECORD_LENGTH),
                attended_length=Sum(_RECORD_LENGTH, filter=attended),
                missed=Sum(F("minutes_late") + F("minutes_left_early"), filter=attended),
            )
            .order_by()
        )
        for row in (*meetings, *records):
            row["period"] = _period_key(row["period"], granularity)
        return {"meetings": meetings, "records": records}

    return shared(("grouped", filters), compute)


def _add_up(rows: list[dict[str, Any]], by: str, fields: tuple[str, ...]) -> dict[Any, dict]:
    """``rows`` added up per value of ``by`` (None, as from a SUM over no row, counts 0)."""
    totals: dict[Any, dict[str, Any]] = {}
    for row in rows:
        line = totals.setdefault(row[by], dict.fromkeys(fields))
        for field in fields:
            if row[field] is not None:
                line[field] = row[field] if line[field] is None else line[field] + row[field]
    return totals


_ATTENDANCE_FIELDS = ("scheduled", "attended_length", "missed")


def _attended_hours(row: dict[str, Any]) -> Decimal:
    minutes = Decimal(row["missed"] or 0)
    hours = _hours(row["attended_length"]) - minutes / 60
    return max(hours, Decimal(0)).quantize(HUNDREDTH)


def _rate(attended: Decimal, scheduled: Decimal) -> Decimal | None:
    if not scheduled:
        return None
    return (attended * 100 / scheduled).quantize(Decimal("0.1"))


# --- Tables ------------------------------------------------------------------------------------


def _per_period(filters: ReportFilters) -> Table:
    granularity = filters.granularity
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    people = enrolment_counts(filters)
    for key, n in people["enrolled_per_period"].items():
        counts[key]["enrolled"] = n
    for key, n in people["trained_per_period"].items():
        counts[key]["trained"] = n
    for row in (
        certified(filters)
        .values(period=period_of("issued_at", granularity))
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[_period_key(row["period"], granularity)]["certified"] += row["n"]
    rows: list[list[Any]] = [
        [key, values["enrolled"], values["trained"], values["certified"]]
        for key, values in sorted(counts.items())
    ]
    total = None
    if rows:
        total = [
            _("Whole period"),
            *people["total"],
            sum(row[3] for row in rows),
        ]
    return Table(
        key="per_period",
        title=_("Trainees enrolled, trained and certified per period"),
        explanation=_(
            "Enrolled: people who held a place in a session, by the date they enrolled. "
            "Trained: people whose session was closed as completed with enough attendance, by "
            "the date of its last meeting. Certified: first certificates issued and not revoked. "
            "A person counts once per line; the last line counts each person once over the "
            "whole period."
        ),
        columns=[_("Period"), _("Enrolled"), _("Trained"), _("Certified")],
        rows=rows,
        chart_columns=(1, 2, 3),
        total=total,
    )


def _per_dimension(filters: ReportFilters, *, dimension: str) -> Table:
    people = enrolment_counts(filters)[dimension]
    hours = {
        key: _hours(line["total"])
        for key, line in _add_up(_grouped(filters)["meetings"], dimension, ("total",)).items()
    }
    keys = set(people) | set(hours)
    if dimension == "course":
        labels = _course_labels()
    else:
        labels = {key: _region_label(key) for key in keys}
    rows = sorted(
        (
            [
                labels.get(key, ""),
                people.get(key, (0, 0))[0],
                people.get(key, (0, 0))[1],
                hours.get(key, Decimal("0.00")),
            ]
            for key in keys
        ),
        key=lambda row: str(row[0]),
    )
    if dimension == "course":
        title = _("Enrolled, trained and hours delivered per course")
        first = _("Course")
    else:
        title = _("Enrolled, trained and hours delivered per region")
        first = _("Region")
    return Table(
        key=f"per_{dimension}",
        title=title,
        explanation=_(
            "The same people as above, per line; hours delivered add up the length of the "
            "meetings held. Online sessions have no region."
        ),
        columns=[first, _("Enrolled"), _("Trained"), _("Hours delivered")],
        rows=rows,
        chart_columns=(1, 2),
    )


def _hours_per_period(filters: ReportFilters) -> Table:
    delivered: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"meetings": 0, "hours": Decimal("0.00"), "attended": Decimal("0.00")}
    )
    grouped = _grouped(filters)
    for key, line in _add_up(grouped["meetings"], "period", ("n", "total")).items():
        delivered[key]["meetings"] += line["n"]
        delivered[key]["hours"] += _hours(line["total"])
    for key, sums in _add_up(grouped["records"], "period", _ATTENDANCE_FIELDS).items():
        delivered[key]["attended"] += _attended_hours(sums)
    rows = [
        [key, line["meetings"], line["hours"], line["attended"]]
        for key, line in sorted(delivered.items())
    ]
    total = None
    if rows:
        total = [
            _("Whole period"),
            sum(row[1] for row in rows),
            sum((row[2] for row in rows), Decimal("0.00")),
            sum((row[3] for row in rows), Decimal("0.00")),
        ]
    return Table(
        key="hours",
        title=_("Hours delivered per period"),
        explanation=_(
            "Meetings held (already ended, in sessions not cancelled), their total length, and "
            "the hours trainees actually attended (minus lateness and early departures)."
        ),
        columns=[
            _("Period"),
            _("Meetings held"),
            _("Hours delivered"),
            _("Trainee-hours attended"),
        ],
        rows=rows,
        chart_columns=(2, 3),
        total=total,
    )


def _attendance_table(filters: ReportFilters, *, dimension: str) -> Table:
    by_key = _add_up(_grouped(filters)["records"], dimension, _ATTENDANCE_FIELDS)
    # In the order of the keys, as the database sorted them before (then by label, below).
    keys = sorted(by_key, key=lambda key: (key is not None, key))
    sums = [{"key": key, **by_key[key]} for key in keys]
    if dimension == "course":
        labels = _course_labels()
    else:
        labels = {key: _region_label(key) for key in keys}
    rows = []
    all_scheduled, all_attended = Decimal("0.00"), Decimal("0.00")
    for row in sums:
        scheduled, attended = _hours(row["scheduled"]), _attended_hours(row)
        all_scheduled += scheduled
        all_attended += attended
        rows.append([labels.get(row["key"], ""), scheduled, attended, _rate(attended, scheduled)])
    rows.sort(key=lambda row: str(row[0]))
    total = (
        [_("All"), all_scheduled, all_attended, _rate(all_attended, all_scheduled)]
        if rows
        else None
    )
    return Table(
        key=f"attendance_{dimension}",
        title=_("Attendance rate per course")
        if dimension == "course"
        else _("Attendance rate per region"),
        explanation=_(
            "For every meeting where attendance was taken, each person expected counts the "
            "meeting's length as scheduled and the part they attended as attended. The rate is "
            "attended divided by scheduled, in percent."
        ),
        columns=[
            _("Course") if dimension == "course" else _("Region"),
            _("Trainee-hours scheduled"),
            _("Trainee-hours attended"),
            _("Attendance rate (%)"),
        ],
        rows=rows,
        chart_columns=(3,),
        total=total,
    )


def _funnel_steps() -> tuple[QuerySet, QuerySet, QuerySet]:
    """For an enrolment (OuterRef): its attendance, its released results, the certificates of
    its course's certification held by the trainee."""
    attended = AttendanceRecord.objects.filter(
        meeting__session=OuterRef("session"),
        trainee=OuterRef("trainee"),
        status__in=AttendanceRecord.ATTENDED,
    )
    assessed = Result.objects.filter(
        assessment__session=OuterRef("session"), trainee=OuterRef("trainee"), status__in=RELEASED
    )
    holds = Certificate.objects.filter(
        holder=OuterRef("trainee"),
        certification=OuterRef("session__course__certification"),
    ).exclude(status=Certificate.Status.REVOKED)
    return attended, assessed, holds


def funnel_counts(filters: ReportFilters) -> dict[str, int]:
    """The four steps of the completion funnel, each counting enrolments that passed the
    earlier steps too."""
    return dict(enrolment_counts(filters)["funnel"])


def _funnel(filters: ReportFilters) -> Table:
    counts = funnel_counts(filters)
    base = counts["enrolled"]
    labels = {
        "enrolled": _("Enrolled (held a place)"),
        "attended": _("Attended at least one meeting"),
        "assessed": _("Had a released result"),
        "certified": _("Holds the certificate"),
    }
    rows = (
        [
            [labels[key], counts[key], (Decimal(counts[key] * 100) / base).quantize(Decimal("0.1"))]
            for key in ("enrolled", "attended", "assessed", "certified")
        ]
        if base
        else []
    )
    return Table(
        key="funnel",
        title=_("Completion funnel"),
        explanation=_(
            "Enrolments that held a place in the period, and how many of them went on to attend, "
            "to receive a released result in that session, and to hold the certificate the "
            "course leads to. Each step only counts enrolments that passed the steps before it."
        ),
        columns=[_("Step"), _("Enrolments"), _("Share of enrolled (%)")],
        rows=rows,
        chart_columns=(1,),
    )


def _waiting(filters: ReportFilters) -> Table:
    waiting = enrolment_counts(filters)["waiting"]
    now_filters = ReportFilters(region=filters.region, course=filters.course)
    started = Meeting.objects.filter(session=OuterRef("pk"), starts_at__lte=timezone.now())
    upcoming = Session.objects.filter(
        Exists(Meeting.objects.filter(session=OuterRef("pk"))),
        ~Exists(started),
        status=Session.Status.PUBLISHED,
    )
    places = {
        row["key"]: row["n"]
        for row in narrow(upcoming, now_filters, region="venue__region", course="course_id")
        .values(key=F("venue__region"))
        .annotate(n=Sum("capacity"))
        .order_by()
    }
    rows = sorted(
        (
            [_region_label(key), joined, still, places.get(key) or 0]
            for key, (joined, still) in waiting.items()
        ),
        key=lambda row: str(row[0]),
    )
    return Table(
        key="waiting",
        title=_("Waiting-list pressure per region"),
        explanation=_(
            "People put on a waiting list during the period, people still waiting today, and "
            "the places of published sessions that have not started yet. Many people waiting "
            "for few places means another session is needed there."
        ),
        columns=[
            _("Region"),
            _("Joined a waiting list"),
            _("Still waiting today"),
            _("Places in upcoming sessions"),
        ],
        rows=rows,
        chart_columns=(1, 2),
        note=_("The last two columns describe today and ignore the period."),
    )


def training_tables(filters: ReportFilters) -> list[Table]:
    return [
        _per_period(filters),
        _per_dimension(filters, dimension="region"),
        _per_dimension(filters, dimension="course"),
    ]


def hours_tables(filters: ReportFilters) -> list[Table]:
    return [
        _hours_per_period(filters),
        _attendance_table(filters, dimension="region"),
        _attendance_table(filters, dimension="course"),
    ]


SECTIONS = [
    Section(key="training", title=_("Training"), build=training_tables, order=10),
    Section(key="hours", title=_("Hours and attendance"), build=hours_tables, order=20),
    Section(key="funnel", title=_("Completion"), build=lambda f: [_funnel(f)], order=30),
    Section(key="waiting", title=_("Waiting lists"), build=lambda f: [_waiting(f)], order=40),
]


def region_choices() -> list[tuple[str, Any]]:
    return list(Region.choices)


def course_choices() -> list[tuple[int, str]]:
    """Courses by title (one query per page: the course filter and the tables' labels)."""
    return shared(
        "courses", lambda: list(Course.objects.order_by("title").values_list("pk", "title"))
    )


# --- Research export ---------------------------------------------------------------------------


def research_rows() -> Iterable[dict[str, Any]]:
    """One row per enrolment (every status except awaiting approval), for the research file."""
    assessed = Result.objects.filter(
        assessment__session=OuterRef("session"), trainee=OuterRef("trainee"), status__in=RELEASED
    )
    holds = Certificate.objects.filter(
        holder=OuterRef("trainee"), certification=OuterRef("session__course__certification")
    ).exclude(status=Certificate.Status.REVOKED)
    rows = list(
        Enrolment.objects.exclude(status=Enrolment.Status.REQUESTED)
        .annotate(
            month=TruncMonth("requested_at"),
            was_assessed=Exists(assessed),
            is_certified=Exists(holds),
        )
        .values(
            "trainee_id",
            "session_id",
            "status",
            "month",
            "was_assessed",
            "is_certified",
            region=F("session__venue__region"),
            course=F("session__course__slug"),
            certification=F("session__course__certification__code"),
        )
    )
    sessions = list(
        Session.objects.filter(pk__in={row["session_id"] for row in rows}).select_related(
            "course__certification__rules"
        )
    )
    summaries = attendance_by_session(sessions) if sessions else {}
    from lms.reports.research import hours_bucket

    for row in rows:
        summary = summaries.get((row["session_id"], row["trainee_id"]))
        yield {
            "person": row["trainee_id"],
            "route": "training",
            "region": row["region"] or ONLINE,
            "course": row["course"],
            "certification": row["certification"] or "",
            "month": _period_key(row["month"], "month"),
            "status": row["status"],
            "attended_hours": hours_bucket(summary.attended_hours if summary else 0),
            "assessed": "yes" if row["was_assessed"] else "no",
            "certified": "yes" if row["is_certified"] else "no",
        }
