"""The only write paths for sessions and enrolments.

Places are counted while the session row is locked (``select_for_update``): on PostgreSQL two
people asking for the last place wait for each other, so a session is never over-filled. On SQLite
the write transaction serialises them. Every status change writes a history row, and every email
is sent by a Celery task after the transaction commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from lms.accounts.models import User

from . import selectors
from .models import (
    CalendarFeedToken,
    Course,
    Enrolment,
    EnrolmentStatusChange,
    Exemption,
    Meeting,
    Module,
    SeatReservation,
    Session,
    SessionStatusChange,
    Venue,
    offer_hold,
)

Status = Enrolment.Status

# The notification (in-app and email) each new status triggers.
EMAIL_EVENT_FOR_STATUS: dict[str, str] = {
    Status.CONFIRMED: "confirmed",
    Status.REQUESTED: "requested",
    Status.WAITING_LIST: "waiting_list",
    Status.OFFERED: "offered",
    Status.OFFER_EXPIRED: "offer_expired",
    Status.CANCELLED_BY_TRAINEE: "cancelled",
    Status.CANCELLED_BY_COORDINATOR: "cancelled",
    Status.REFUSED: "refused",
}


def _local(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def _lock_session(session: Session) -> Session:
    # The lock that makes counting places and taking one a single step.
    return Session.objects.select_for_update().get(pk=session.pk)


def _notify_trainee(
    enrolment: Enrolment, event: str, change: EnrolmentStatusChange, *, reason: str | Promise
) -> None:
    """Tell the trainee about this step (in-app and by email, once, after commit).

    ``reason`` is what the coordinator typed, kept as typed, or a system reason as a lazy
    message, which ``notify`` renders in the trainee's language (not the actor's).
    """
    from .notices import notify_trainee

    session = Session.objects.select_related("course", "module", "venue").get(
        pk=enrolment.session_id
    )
    notify_trainee(
        enrolment,
        session,
        list(session.meetings.order_by("starts_at")),
        event=f"enrolment.{event}",
        dedupe_key=f"enrolment-change:{change.pk}",
        reason=reason,
        # The confirmation adds every meeting to the diary; losing one's place removes them.
        with_calendar=event == "confirmed",
        cancel_calendar=change.from_status in Enrolment.SEAT_STATUSES
        and change.to_status not in Enrolment.SEAT_STATUSES,
    )
    change.notified_at = timezone.now()
    change.save(update_fields=["notified_at"])


def _set_status(
    enrolment: Enrolment,
    new_status: str,
    *,
    by: User | None,
    reason: str | Promise = "",
    notify: bool = True,
    **fields: object,
) -> Enrolment:
    """Change an enrolment's status, write the history row and enqueue the email."""
    old_status = enrolment.status
    enrolment.status = new_status
    for name, value in fields.items():
        setattr(enrolment, name, value)
    if new_status != Status.OFFERED:
        enrolment.offer_expires_at = None
    enrolment.save()
    change = EnrolmentStatusChange.objects.create(
        enrolment=enrolment,
        from_status=old_status,
        to_status=new_status,
        changed_by=by,
        reason=history_text(reason),
    )
    if notify and new_status in EMAIL_EVENT_FOR_STATUS:
        _notify_trainee(enrolment, EMAIL_EVENT_FOR_STATUS[new_status], change, reason=reason)
    return enrolment


def history_text(text: str | Promise, /, **values: object) -> str:
    """A reason as the history stores it: the system's own words (lazy, or a message id with
    ``values``) in the site's language, whoever's request wrote them, so that staff read one
    history; a person's words as typed."""
    if isinstance(text, Promise) or values:
        with translation.override(settings.LANGUAGE_CODE):
            return _(str(text)) % values if values else str(text)
    return str(text)


def _first_start(session: Session) -> datetime | None:
    return (
        Meeting.objects.filter(session=session)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )


def cancellation_deadline(session: Session) -> datetime | None:
    """Until when a trainee may cancel: ``cancellation_hours`` before the first meeting."""
    start = _first_start(session)
    return None if start is None else start - timedelta(hours=session.cancellation_hours)


def _check_enrolment_window(session: Session, now: datetime) -> None:
    first_start = _first_start(session)
    state = session.enrolment_state(first_start, now)
    if state == "not_yet" and session.enrolment_opens:
        raise ValidationError(
            _("Enrolment for this session opens on %(date)s. Come back then!")
            % {"date": _local(session.enrolment_opens)},
            code="not_open",
        )
    closes = session.enrolment_closes_at(first_start)
    if state == "closed" and closes:
        raise ValidationError(
            _(
                "Enrolment for this session closed on %(date)s. Have a look at the other "
                "sessions: there may be one near you soon."
            )
            % {"date": _local(closes)},
            code="closed",
        )


def _next_queue_position(session: Session) -> int:
    top = Enrolment.objects.filter(session=session).aggregate(top=Max("queue_position"))["top"]
    return (top or 0) + 1


@transaction.atomic
def enrol_trainee(
    *,
    session: Session,
    trainee: User,
    by: User | None = None,
    reservation: SeatReservation | None = None,
) -> Enrolment:
    """Enrol a trainee: confirmed, awaiting approval, or on the waiting list when it is full."""
    session = _lock_session(session)
    now = timezone.now()
    if session.status != Session.Status.PUBLISHED or not session.course.is_published:
        raise ValidationError(_("This session is not open for enrolment."), code="not_published")
    _check_enrolment_window(session, now)
    existing = Enrolment.objects.active().filter(session=session, trainee=trainee).first()
    if existing is not None:
        raise ValidationError(
            _("You are already enrolled in this session (%(status)s). See “My space”.")
            % {"status": existing.get_status_display()},
            code="already_enrolled",
        )
    missing = selectors.missing_prerequisites(course=session.course, person=trainee)
    if missing:
        raise ValidationError(
            _(
                "To enrol in “%(course)s”, you first need to complete: %(missing)s. "
                "If you learned this another way (for example through a VAE), the coordination "
                "team can grant you an exemption: do get in touch with us."
            )
            % {"course": session.course.title, "missing": ", ".join(missing)},
            code="prerequisites",
        )
    initial = Status.REQUESTED if session.approval_required else Status.CONFIRMED

    if reservation is not None:
        # Only coordinators place someone on a partner organisation's reserved place.
        if by is None or not by.has_perm("courses.change_enrolment"):
            raise PermissionDenied
        if reservation.session_id != session.pk:
            raise ValidationError(_("This reservation belongs to another session."))
        if selectors.reservation_places_left(reservation=reservation) <= 0:
            raise ValidationError(
                _("All the places reserved for %(organisation)s are taken.")
                % {"organisation": reservation.organisation},
                code="reservation_full",
            )
        enrolment = Enrolment(
            session=session, trainee=trainee, status="", requested_at=now, reserved_for=reservation
        )
        return _set_status(enrolment, initial, by=by or trainee)

    # Fairness: people already waiting get any free place before a newcomer.
    if (
        selectors.places_left(session=session) > 0
        and Enrolment.objects.waiting().filter(session=session).exists()
    ):
        _offer_places(session, by=None)

    enrolment = Enrolment(session=session, trainee=trainee, status="", requested_at=now)
    if selectors.places_left(session=session) > 0:
        return _set_status(enrolment, initial, by=by or trainee)
    return _set_status(
        enrolment,
        Status.WAITING_LIST,
        by=by or trainee,
        queue_position=_next_queue_position(session),
    )


def _offer_places(session: Session, *, by: User | None) -> list[Enrolment]:
    """Offer each free place to the next person waiting (the session must be locked)."""
    offered: list[Enrolment] = []
    if session.status != Session.Status.PUBLISHED:
        return offered
    expires = timezone.now() + offer_hold()
    free = selectors.places_left(session=session)
    for enrolment in Enrolment.objects.waiting().filter(session=session)[: max(free, 0)]:
        offered.append(
            _set_status(
                enrolment,
                Status.OFFERED,
                by=by,
                reason=gettext_lazy("A place became free."),
                offer_expires_at=expires,
            )
        )
    return offered


@transaction.atomic
def offer_next_place(*, session: Session, by: User | None = None) -> list[Enrolment]:
    """Offer every free place, in waiting-list order; each offer expires after COURSES_OFFER_HOURS."""
    return _offer_places(_lock_session(session), by=by)


def _refetch(enrolment: Enrolment) -> Enrolment:
    return Enrolment.objects.select_related("session", "trainee").get(pk=enrolment.pk)


def _is_coordinator(user: User | None) -> bool:
    return user is not None and user.has_perm("courses.change_enrolment")


@transaction.atomic
def cancel_enrolment(*, enrolment: Enrolment, by: User, reason: str = "") -> Enrolment:
    """Cancel an enrolment: the trainee until the deadline, a coordinator any time with a reason."""
    session = _lock_session(enrolment.session)
    enrolment = _refetch(enrolment)
    if enrolment.status not in (*Enrolment.SEAT_STATUSES, Status.WAITING_LIST):
        raise ValidationError(_("This enrolment can no longer be cancelled."), code="not_active")
    frees_a_place = enrolment.status in Enrolment.SEAT_STATUSES
    if by.pk == enrolment.trainee_id:
        deadline = cancellation_deadline(session)
        if (
            frees_a_place
            and enrolment.status != Status.OFFERED
            and deadline
            and timezone.now() > deadline
        ):
            raise ValidationError(
                _(
                    "The deadline to cancel online was %(date)s. Please contact the coordination "
                    "team: they can still cancel for you and free your place for someone else."
                )
                % {"date": _local(deadline)},
                code="deadline_passed",
            )
        _set_status(enrolment, Status.CANCELLED_BY_TRAINEE, by=by, reason=reason)
    elif _is_coordinator(by):
        if not reason.strip():
            raise ValidationError(
                _("Please give a reason: the trainee will read it."), code="reason"
            )
        _set_status(enrolment, Status.CANCELLED_BY_COORDINATOR, by=by, reason=reason)
    else:
        raise PermissionDenied
    if frees_a_place:
        _offer_places(session, by=None)
    return enrolment


def _check_own_offer(enrolment: Enrolment, trainee: User) -> None:
    if enrolment.trainee_id != trainee.pk:
        raise PermissionDenied
    if enrolment.status != Status.OFFERED:
        raise ValidationError(_("This offer is no longer open."), code="not_offered")


@transaction.atomic
def accept_offer(*, enrolment: Enrolment, trainee: User) -> Enrolment:
    """The trainee takes the place offered to them, if the offer has not expired."""
    session = _lock_session(enrolment.session)
    enrolment = _refetch(enrolment)
    _check_own_offer(enrolment, trainee)
    if enrolment.offer_expires_at and enrolment.offer_expires_at <= timezone.now():
        raise ValidationError(
            _(
                "Sorry, this offer expired on %(date)s and the place went to the next person. "
                "You can enrol again: you will be put back on the waiting list."
            )
            % {"date": _local(enrolment.offer_expires_at)},
            code="offer_expired",
        )
    new_status = Status.REQUESTED if session.approval_required else Status.CONFIRMED
    return _set_status(enrolment, new_status, by=trainee, queue_position=None)


@transaction.atomic
def decline_offer(*, enrolment: Enrolment, trainee: User) -> Enrolment:
    """The trainee gives the offered place up; it goes to the next person waiting."""
    session = _lock_session(enrolment.session)
    enrolment = _refetch(enrolment)
    _check_own_offer(enrolment, trainee)
    _set_status(
        enrolment, Status.CANCELLED_BY_TRAINEE, by=trainee, reason=gettext_lazy("Offer declined.")
    )
    _offer_places(session, by=None)
    return enrolment


def expire_offers(*, now: datetime | None = None) -> int:
    """Close offers past their expiry and roll each place to the next person waiting.

    One transaction per session, so a long run never holds many session locks at once.
    """
    now = now or timezone.now()
    session_ids = list(
        Enrolment.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now)
        .values_list("session_id", flat=True)
        .distinct()
    )
    return sum(
        expire_session_offers(session=session, now=now)
        for session in Session.objects.filter(pk__in=session_ids).order_by("pk")
    )


@transaction.atomic
def expire_session_offers(*, session: Session, now: datetime) -> int:
    """Expire one session's overdue offers and offer the places again."""
    session = _lock_session(session)
    expired = 0
    for enrolment in Enrolment.objects.filter(
        session=session, status=Status.OFFERED, offer_expires_at__lte=now
    ):
        _set_status(
            enrolment,
            Status.OFFER_EXPIRED,
            by=None,
            reason=gettext_lazy("The offer was not answered in time."),
        )
        expired += 1
    _offer_places(session, by=None)
    return expired


@transaction.atomic
def approve_enrolment(*, enrolment: Enrolment, by: User) -> Enrolment:
    """A coordinator confirms an enrolment that was awaiting approval."""
    if not _is_coordinator(by):
        raise PermissionDenied
    _lock_session(enrolment.session)
    enrolment = _refetch(enrolment)
    if enrolment.status != Status.REQUESTED:
        raise ValidationError(_("Only an enrolment awaiting approval can be approved."))
    return _set_status(enrolment, Status.CONFIRMED, by=by)


@transaction.atomic
def refuse_enrolment(*, enrolment: Enrolment, by: User, reason: str) -> Enrolment:
    """A coordinator refuses an enrolment awaiting approval (with a reason); the place is offered."""
    if not _is_coordinator(by):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Please give a reason: the trainee will read it."), code="reason")
    session = _lock_session(enrolment.session)
    enrolment = _refetch(enrolment)
    if enrolment.status not in (Status.REQUESTED, Status.WAITING_LIST):
        raise ValidationError(_("Only an enrolment awaiting approval can be refused."))
    frees = enrolment.status == Status.REQUESTED
    _set_status(enrolment, Status.REFUSED, by=by, reason=reason)
    if frees:
        _offer_places(session, by=None)
    return enrolment


@transaction.atomic
def reorder_waiting_list(
    *, session: Session, enrolment_ids: list[int], by: User, reason: str
) -> list[Enrolment]:
    """Put the waiting list in a new order (a coordinator's decision, with a reason, kept)."""
    if not _is_coordinator(by):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Please say why the order changes: it is kept in the history."))
    session = _lock_session(session)
    waiting = {e.pk: e for e in Enrolment.objects.waiting().filter(session=session)}
    if sorted(waiting) != sorted(enrolment_ids) or len(enrolment_ids) != len(set(enrolment_ids)):
        raise ValidationError(
            _("The waiting list changed meanwhile. Please reload the page and try again.")
        )
    old_positions = {pk: e.queue_position for pk, e in waiting.items()}
    # Clear positions first: the (session, position) pair is unique on the waiting list.
    Enrolment.objects.filter(pk__in=enrolment_ids).update(queue_position=None)
    start = _next_queue_position(session)
    ordered = []
    for rank, pk in enumerate(enrolment_ids):
        enrolment = waiting[pk]
        enrolment.queue_position = start + rank
        enrolment.save(update_fields=["queue_position", "updated_at"])
        old_rank = sorted(old_positions, key=lambda k: old_positions[k]).index(pk) + 1
        if old_rank != rank + 1:
            EnrolmentStatusChange.objects.create(
                enrolment=enrolment,
                from_status=Status.WAITING_LIST,
                to_status=Status.WAITING_LIST,
                changed_by=by,
                reason=history_text(
                    gettext_noop("Waiting-list position %(old)s → %(new)s. %(reason)s"),
                    old=old_rank,
                    new=rank + 1,
                    reason=reason,
                ),
                notified_at=timezone.now(),
            )
        ordered.append(enrolment)
    return ordered


@transaction.atomic
def reserve_seats(
    *, session: Session, organisation: str, seats: int, by: User, note: str = ""
) -> SeatReservation:
    """Hold places for a partner organisation, taken from the places still free."""
    if not _is_coordinator(by):
        raise PermissionDenied
    session = _lock_session(session)
    if seats <= 0:
        raise ValidationError(_("Reserve at least one place."))
    free = selectors.places_left(session=session)
    if seats > free:
        raise ValidationError(
            _("Only %(free)s places are free in this session.") % {"free": free}, code="too_many"
        )
    return SeatReservation.objects.create(
        session=session, organisation=organisation, seats=seats, note=note, created_by=by
    )


@transaction.atomic
def release_seat_reservation(*, reservation: SeatReservation, by: User) -> None:
    """Give a reservation's unused places back to the public (and to the waiting list)."""
    if not _is_coordinator(by):
        raise PermissionDenied
    session = _lock_session(reservation.session)
    reservation.delete()
    _offer_places(session, by=None)


@transaction.atomic
def grant_exemption(
    *,
    person: User,
    module: Module | None = None,
    course: Course | None = None,
    source: str,
    granted_by: User | None,
    reference: str = "",
) -> Exemption:
    """Exempt a person from a module or a course (e.g. after a VAE jury); idempotent per source."""
    if (module is None) == (course is None):
        raise ValueError("Give exactly one of module or course.")
    exemption, _created = Exemption.objects.get_or_create(
        person=person,
        module=module,
        course=course,
        source=source,
        reference=reference,
        defaults={"granted_by": granted_by},
    )
    return exemption


# --- Sessions ----------------------------------------------------------------------------------


def _set_session_status(
    session: Session, new_status: str, *, by: User | None, reason: str = ""
) -> Session:
    SessionStatusChange.objects.create(
        session=session,
        from_status=session.status,
        to_status=new_status,
        changed_by=by,
        reason=reason,
    )
    session.status = new_status
    session.save(update_fields=["status"])
    return session


@transaction.atomic
def publish_session(*, session: Session, by: User | None) -> Session:
    """Open a draft session to the catalogue and to enrolment."""
    session = _lock_session(session)
    if session.status not in (Session.Status.DRAFT,):
        raise ValidationError(_("Only a draft session can be published."))
    if not session.meetings.exists():
        raise ValidationError(_("Add at least one meeting (date and time) before publishing."))
    session.full_clean(exclude=["status"])
    return _set_session_status(session, Session.Status.PUBLISHED, by=by)


@transaction.atomic
def cancel_session(*, session: Session, by: User, reason: str) -> Session:
    """Cancel a session and every enrolment in it; each trainee gets an email with the reason."""
    if not reason.strip():
        raise ValidationError(_("Please give a reason: the trainees will read it."))
    session = _lock_session(session)
    if session.status in (Session.Status.CANCELLED, Session.Status.COMPLETED):
        raise ValidationError(_("This session is already closed."))
    _set_session_status(session, Session.Status.CANCELLED, by=by, reason=reason)
    # Before the emails are written: their cancellation files must supersede every earlier one.
    Meeting.objects.filter(session=session).update(sequence=F("sequence") + 1)
    for enrolment in Enrolment.objects.filter(
        session=session, status__in=(*Enrolment.SEAT_STATUSES, Status.WAITING_LIST)
    ):
        _set_status(enrolment, Status.CANCELLED_BY_COORDINATOR, by=by, reason=reason)
    return session


@transaction.atomic
def complete_session(*, session: Session, by: User | None) -> Session:
    """Close a finished session: confirmed enrolments become completed."""
    session = _lock_session(session)
    if session.status != Session.Status.PUBLISHED:
        raise ValidationError(_("Only a published session can be completed."))
    _set_session_status(session, Session.Status.COMPLETED, by=by)
    for enrolment in Enrolment.objects.filter(session=session, status=Status.CONFIRMED):
        _set_status(enrolment, Status.COMPLETED, by=by, notify=False)
    for enrolment in Enrolment.objects.filter(
        session=session, status__in=(Status.REQUESTED, Status.OFFERED, Status.WAITING_LIST)
    ):
        _set_status(
            enrolment,
            Status.CANCELLED_BY_COORDINATOR,
            by=by,
            reason=gettext_lazy("The session is over."),
            notify=False,
        )
    return session


@transaction.atomic
def duplicate_session(
    *,
    session: Session,
    code: str,
    venue: Venue | None,
    by: User | None,
    shift_days: int = 0,
    session_format: str | None = None,
) -> Session:
    """Copy a session (meetings, trainers, settings) to another place, as a draft."""
    new_format = session_format or session.format
    if new_format != Session.Format.ONLINE and venue is None:
        raise ValidationError(_("Choose a venue: only online sessions can do without one."))
    if Session.objects.filter(code=code).exists():
        raise ValidationError(
            _("A session with the reference %(code)s already exists.") % {"code": code}
        )
    shift = timedelta(days=shift_days)
    copy = Session.objects.create(
        course=session.course,
        module=session.module,
        code=code,
        format=new_format,
        venue=venue,
        online_url=session.online_url,
        online_instructions=session.online_instructions,
        capacity=session.capacity,
        language=session.language,
        enrolment_opens=session.enrolment_opens + shift if session.enrolment_opens else None,
        enrolment_closes=session.enrolment_closes + shift if session.enrolment_closes else None,
        cancellation_hours=session.cancellation_hours,
        cost=session.cost,
        approval_required=session.approval_required,
        notes=session.notes,
        status=Session.Status.DRAFT,
    )
    copy.trainers.set(session.trainers.all())
    Meeting.objects.bulk_create(
        Meeting(
            session=copy,
            starts_at=m.starts_at + shift,
            ends_at=m.ends_at + shift,
            room="",
            online_url=m.online_url,
        )
        for m in session.meetings.order_by("starts_at")
    )
    SessionStatusChange.objects.create(
        session=copy,
        from_status="",
        to_status=Session.Status.DRAFT,
        changed_by=by,
        reason=history_text(gettext_noop("Copied from %(code)s."), code=session.code),
    )
    return copy


# --- Calendar feed -----------------------------------------------------------------------------


@transaction.atomic
def get_or_create_feed_token(*, user: User) -> CalendarFeedToken:
    """The person's calendar feed token, created on first use."""
    token, _created = CalendarFeedToken.objects.get_or_create(user=user)
    return token


@transaction.atomic
def regenerate_feed_token(*, user: User) -> CalendarFeedToken:
    """A new secret feed address; the old one stops working at once."""
    CalendarFeedToken.objects.filter(user=user).delete()
    return CalendarFeedToken.objects.create(user=user)
