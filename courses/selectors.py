"""Reads for the catalogue, the trainee's space and the services' checks.

Places left are computed in SQL with subqueries, so lists run a fixed number of queries whatever
the number of sessions or enrolments.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, Greatest, RowNumber
from django.http import Http404
from django.utils import timezone

from certification.models import Competency, CompetencyBlock
from lms.accounts.models import User

from .models import (
    CalendarFeedToken,
    Course,
    Enrolment,
    Exemption,
    Meeting,
    Module,
    SeatReservation,
    Session,
)


def _count_subquery(queryset: QuerySet, field: str = "session") -> Coalesce:
    """COUNT(*) of ``queryset`` rows per outer row, as an integer subquery (0 when none)."""
    counted = queryset.order_by().values(field).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_places(queryset: QuerySet[Session]) -> QuerySet[Session]:
    """Annotate ``seats_taken``, ``seats_reserved``, ``places_left`` and the meetings' dates."""
    taken = _count_subquery(
        Enrolment.objects.filter(
            session=OuterRef("pk"), status__in=Enrolment.SEAT_STATUSES, reserved_for__isnull=True
        )
    )
    reserved = Coalesce(
        Subquery(
            SeatReservation.objects.filter(session=OuterRef("pk"))
            .order_by()
            .values("session")
            .annotate(total=Sum("seats"))
            .values("total")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )
    waiting = _count_subquery(
        Enrolment.objects.filter(session=OuterRef("pk"), status=Enrolment.Status.WAITING_LIST)
    )
    meetings = Meeting.objects.filter(session=OuterRef("pk"))
    return queryset.annotate(
        seats_taken=taken,
        seats_reserved=reserved,
        waiting_count=waiting,
        places_left=Greatest(F("capacity") - F("seats_taken") - F("seats_reserved"), Value(0)),
        **_meeting_dates(),
        meeting_count=_count_subquery(meetings),
    )


def _meeting_dates() -> dict[str, Subquery]:
    """``first_starts_at`` and ``last_ends_at`` of a session, from its meetings."""
    meetings = Meeting.objects.filter(session=OuterRef("pk"))
    return {
        "first_starts_at": Subquery(meetings.order_by("starts_at").values("starts_at")[:1]),
        "last_ends_at": Subquery(meetings.order_by("-ends_at").values("ends_at")[:1]),
    }


PUBLIC_SESSION = Q(status=Session.Status.PUBLISHED, course__is_published=True)


def _not_over() -> Q:
    """Sessions not over yet (on a queryset with ``last_ends_at``); undated ones included."""
    return Q(last_ends_at__gte=timezone.now()) | Q(last_ends_at__isnull=True)


def public_sessions() -> QuerySet[Session]:
    """Published sessions of published courses, with places and dates annotated."""
    return with_places(Session.objects.filter(PUBLIC_SESSION)).select_related(
        "course", "module", "venue"
    )


def list_sessions_for_catalogue(
    *,
    region: str | None = None,
    town: str | None = None,
    starts_after: datetime | None = None,
    starts_before: datetime | None = None,
    formats: list[str] | None = None,
    language: str | None = None,
    course: Course | None = None,
    places_left_only: bool = False,
    q: str | None = None,
    include_past: bool = False,
) -> QuerySet[Session]:
    """Upcoming public sessions matching the finder's criteria, soonest first."""
    sessions = public_sessions()
    if not include_past:
        sessions = sessions.filter(_not_over())
    if region:
        sessions = sessions.filter(venue__region=region)
    if town:
        sessions = sessions.filter(venue__town__iexact=town.strip())
    if starts_after:
        sessions = sessions.filter(first_starts_at__gte=starts_after)
    if starts_before:
        sessions = sessions.filter(first_starts_at__lt=starts_before)
    if formats:
        sessions = sessions.filter(format__in=formats)
    if language:
        sessions = sessions.filter(language=language)
    if course is not None:
        sessions = sessions.filter(course=course)
    if places_left_only:
        sessions = sessions.filter(places_left__gt=0)
    if q:
        sessions = search_sessions(sessions, q)
    return sessions.order_by(F("first_starts_at").asc(nulls_last=True), "code")


def search_sessions(sessions: QuerySet[Session], q: str) -> QuerySet[Session]:
    """Sessions whose course, module, town, venue or reference contain every word of ``q``."""
    for word in q.split()[:8]:
        sessions = sessions.filter(
            Q(course__title__icontains=word)
            | Q(module__title__icontains=word)
            | Q(course__summary__icontains=word)
            | Q(venue__town__icontains=word)
            | Q(venue__name__icontains=word)
            | Q(code__icontains=word)
        )
    return sessions


def get_session_for_public(*, session_id: int) -> Session:
    """A published session with its meetings, trainers and places; 404 otherwise."""
    session = (
        public_sessions()
        .prefetch_related(
            Prefetch("meetings", queryset=Meeting.objects.order_by("starts_at")),
            Prefetch("trainers", queryset=User.objects.order_by("first_name", "last_name")),
        )
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        raise Http404("No such session")
    return session


def get_active_enrolment(*, user: User, session: Session) -> Enrolment | None:
    """The person's current enrolment in a session, if any (to show on the session page)."""
    return Enrolment.objects.active().filter(session=session, trainee=user).first()


def list_upcoming_sessions_for_courses(
    *, course_ids: list[int], per_course: int = 3
) -> dict[int, list[Session]]:
    """Next public sessions of several courses in one query, grouped by course id."""
    grouped: dict[int, list[Session]] = {course_id: [] for course_id in course_ids}
    # Only the first ``per_course`` of each course leave the database, however many are planned.
    # They are chosen on their dates alone; places and counts (five more subqueries a row) are
    # then worked out for the chosen sessions only, in the same query.
    order = [F("first_starts_at").asc(nulls_last=True), F("code").asc()]
    firsts = (
        Session.objects.filter(PUBLIC_SESSION, course_id__in=course_ids)
        .annotate(**_meeting_dates())
        .filter(_not_over())
        .annotate(rank_in_course=Window(RowNumber(), partition_by=F("course_id"), order_by=order))
        .filter(rank_in_course__lte=per_course)
        .values("pk")
    )
    sessions = public_sessions().filter(pk__in=firsts).order_by(*order)
    for session in sessions:
        grouped[session.course_id].append(session)
    return grouped


def list_published_courses() -> QuerySet[Course]:
    """Published courses with their number of upcoming public sessions."""
    upcoming = list_sessions_for_catalogue().filter(course=OuterRef("pk"))
    return (
        Course.objects.filter(is_published=True)
        .select_related("certification")
        .annotate(upcoming_count=_count_subquery(upcoming.values("pk"), field="course"))
        .order_by("title")
    )


def get_course_for_public(*, course_id: int) -> Course | None:
    """A published course with its modules and their competencies (grouped by block in views)."""
    return (
        Course.objects.filter(pk=course_id, is_published=True)
        .select_related("certification")
        .prefetch_related(
            Prefetch(
                "modules",
                # Each competency with its block in one query (not one more for the blocks).
                queryset=Module.objects.order_by("position", "code").prefetch_related(
                    Prefetch("competencies", queryset=Competency.objects.select_related("block"))
                ),
            ),
            "prerequisite_courses",
            "prerequisite_modules",
        )
        .first()
    )


def competencies_by_block(course: Course) -> list[tuple[CompetencyBlock, list[Competency]]]:
    """The competencies a course's (prefetched) modules cover, grouped by block, in order."""
    blocks: dict[int, tuple[CompetencyBlock, dict[int, Competency]]] = {}
    for module in course.modules.all():
        for competency in module.competencies.all():
            block = competency.block
            blocks.setdefault(block.pk, (block, {}))[1][competency.pk] = competency
    ordered = sorted(blocks.values(), key=lambda item: (item[0].position, item[0].code))
    return [
        (block, sorted(comps.values(), key=lambda c: (c.position, c.code)))
        for block, comps in ordered
    ]


# --- Places and prerequisites (used by services inside their transaction) ---------------------


def places_left(*, session: Session) -> int:
    """Free places for the general public (reserved places excluded)."""
    taken = Enrolment.objects.filter(
        session=session, status__in=Enrolment.SEAT_STATUSES, reserved_for__isnull=True
    ).count()
    reserved = (
        SeatReservation.objects.filter(session=session).aggregate(total=Sum("seats"))["total"] or 0
    )
    return max(session.capacity - taken - reserved, 0)


def reservation_places_left(*, reservation: SeatReservation) -> int:
    used = Enrolment.objects.filter(
        reserved_for=reservation, status__in=Enrolment.SEAT_STATUSES
    ).count()
    return max(reservation.seats - used, 0)


def completed_course_and_module_ids(*, person: User) -> tuple[set[int], set[int]]:
    """Courses and modules this person completed or was exempted from."""
    completed = Enrolment.objects.filter(trainee=person, status=Enrolment.Status.COMPLETED)
    course_ids = set(
        completed.filter(session__module__isnull=True).values_list("session__course_id", flat=True)
    )
    module_ids = set(
        completed.filter(session__module__isnull=False).values_list("session__module_id", flat=True)
    )
    for exemption in Exemption.objects.filter(person=person).values("course_id", "module_id"):
        if exemption["course_id"]:
            course_ids.add(exemption["course_id"])
        if exemption["module_id"]:
            module_ids.add(exemption["module_id"])
    # A completed (or exempted) course covers all its modules.
    if course_ids:
        module_ids |= set(
            Module.objects.filter(course_id__in=course_ids).values_list("pk", flat=True)
        )
    return course_ids, module_ids


def missing_prerequisites(*, course: Course, person: User) -> list[str]:
    """Titles of the courses and modules ``person`` must still complete before ``course``."""
    required_courses = list(course.prerequisite_courses.all())
    required_modules = list(course.prerequisite_modules.all())
    if not required_courses and not required_modules:
        return []
    done_courses, done_modules = completed_course_and_module_ids(person=person)
    missing = [c.title for c in required_courses if c.pk not in done_courses]
    missing += [m.title for m in required_modules if m.pk not in done_modules]
    return missing


# --- The trainee's own enrolments --------------------------------------------------------------


def _trainee_enrolments(user: User) -> QuerySet[Enrolment]:
    ahead = Enrolment.objects.filter(
        session=OuterRef("session"),
        status=Enrolment.Status.WAITING_LIST,
        queue_position__lt=OuterRef("queue_position"),
    )
    return (
        Enrolment.objects.filter(trainee=user)
        .select_related("session__course", "session__module", "session__venue")
        .annotate(
            waiting_rank=_count_subquery(ahead.values("pk"), field="session") + 1,
            first_starts_at=Subquery(
                Meeting.objects.filter(session=OuterRef("session"))
                .order_by("starts_at")
                .values("starts_at")[:1]
            ),
            last_ends_at=Subquery(
                Meeting.objects.filter(session=OuterRef("session"))
                .order_by("-ends_at")
                .values("ends_at")[:1]
            ),
        )
    )


def get_enrolment_for_trainee(*, user: User, enrolment_id: int) -> Enrolment:
    """One of ``user``'s own enrolments; 404 for anybody else's."""
    enrolment = _trainee_enrolments(user).filter(pk=enrolment_id).first()
    if enrolment is None:
        raise Http404("No such enrolment")
    return enrolment


def trainee_dashboard(*, user: User) -> dict[str, object]:
    """What the trainee's space shows: offers, upcoming, waiting, pending and past sessions."""
    now = timezone.now()
    enrolments = list(
        _trainee_enrolments(user)
        .filter(status__in=Enrolment.ACTIVE_STATUSES)
        .order_by(F("first_starts_at").asc(nulls_last=True), "pk")
    )
    upcoming_meetings = list(
        Meeting.objects.filter(
            session__enrolments__trainee=user,
            session__enrolments__status=Enrolment.Status.CONFIRMED,
            ends_at__gte=now,
        )
        .exclude(session__status=Session.Status.CANCELLED)
        .select_related("session__course", "session__module", "session__venue")
        .order_by("starts_at")[:10]
    )
    token = CalendarFeedToken.objects.filter(user=user).first()

    def is_past(e: Enrolment) -> bool:
        return e.status == Enrolment.Status.COMPLETED or (
            getattr(e, "last_ends_at", None) is not None and e.last_ends_at < now  # type: ignore[attr-defined]
        )

    return {
        "offers": [e for e in enrolments if e.status == Enrolment.Status.OFFERED],
        "confirmed": [
            e for e in enrolments if e.status == Enrolment.Status.CONFIRMED and not is_past(e)
        ],
        "requested": [e for e in enrolments if e.status == Enrolment.Status.REQUESTED],
        "waiting": [e for e in enrolments if e.status == Enrolment.Status.WAITING_LIST],
        "past": [e for e in enrolments if is_past(e)],
        "upcoming_meetings": upcoming_meetings,
        "feed_token": token,
    }


def list_confirmed_meetings_for_feed(*, token: str) -> tuple[User, list[Meeting]] | None:
    """The feed owner's confirmed meetings (past 90 days and future), or None for a bad token."""
    feed = CalendarFeedToken.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        return None
    meetings = list(
        Meeting.objects.filter(
            Exists(
                Enrolment.objects.filter(
                    session=OuterRef("session"),
                    trainee=feed.user,
                    status__in=[Enrolment.Status.CONFIRMED, Enrolment.Status.COMPLETED],
                )
            ),
            ends_at__gte=timezone.now() - timedelta(days=90),
        )
        .exclude(session__status=Session.Status.CANCELLED)
        .select_related("session__course", "session__module", "session__venue")
        .order_by("starts_at")
    )
    return feed.user, meetings


# --- Coordinators ------------------------------------------------------------------------------


def list_enrolments_for_session(*, session: Session) -> QuerySet[Enrolment]:
    """Every enrolment of a session, waiting list in queue order, for coordinators."""
    return (
        Enrolment.objects.filter(session=session)
        .select_related("trainee", "reserved_for")
        .order_by("status", "queue_position", "requested_at", "pk")
    )
