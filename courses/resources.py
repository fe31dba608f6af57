"""Import and export of courses, modules, sessions, meetings and enrolments.

Rows are named by natural keys: a course by its code (the slug of its address), a module by its
code, a session by its reference, a meeting by its session and start, an enrolment by its session
and the trainee's email address. Sessions are imported as drafts (publishing stays a decision
taken on screen); enrolments are created through ``services.enrol_trainee`` so the rules (places,
waiting list, prerequisites, enrolment window) and the status history apply as on screen.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.fields import Field

from certification.models import Certification
from lms.accounts.models import User
from lms.dataexchange.natural import (
    BooleanWidget,
    ChoiceWidget,
    DateTimeWidget,
    DecimalWidget,
    IntegerWidget,
    LookupWidget,
    ManyLookupWidget,
    NaturalKeyResource,
    TextWidget,
    filter_iexact_in,
    parse_datetime,
    person_name,
)

from . import services
from .models import (
    Course,
    Enrolment,
    Meeting,
    Module,
    Session,
    SessionLanguage,
    SessionStatusChange,
    Venue,
)

UNKNOWN_COURSE = gettext_lazy("No course has the code “%(value)s”.")
UNKNOWN_MODULE = gettext_lazy("No module has the code “%(value)s”.")
UNKNOWN_SESSION = gettext_lazy("No session has the reference “%(value)s”.")
UNKNOWN_EMAIL = gettext_lazy("Nobody has an account with the email address “%(value)s”.")
UNKNOWN_CERTIFICATION = gettext_lazy("No certification has the code “%(value)s”.")
UNKNOWN_VENUE = gettext_lazy(
    "No venue is called “%(value)s”; write it as in the list of venues, e.g. “Name (Town)”."
)


def course_lookup(**kwargs: Any) -> LookupWidget:
    return LookupWidget(Course, "slug", unknown=UNKNOWN_COURSE, **kwargs)


def module_lookup(**kwargs: Any) -> LookupWidget:
    return LookupWidget(Module, "code", unknown=UNKNOWN_MODULE, **kwargs)


def session_lookup(**kwargs: Any) -> LookupWidget:
    return LookupWidget(Session, "code", unknown=UNKNOWN_SESSION, **kwargs)


def person_lookup(**kwargs: Any) -> LookupWidget:
    return LookupWidget(User, "email", unknown=UNKNOWN_EMAIL, **kwargs)


def _key(value: Any) -> str:
    return LookupWidget.key(value)


class VenueWidget(LookupWidget):
    """A venue written as it is listed: "Name (Town)". Venues are few: all are read once."""

    def __init__(self) -> None:
        super().__init__(Venue, "name", unknown=UNKNOWN_VENUE, required=False)

    def prime(self, values: Any) -> None:
        if not self.cache:
            self.cache = {self.key(str(venue)): venue for venue in Venue.objects.all()}
            self.cache["__primed__"] = None

    def lookup(self, value: Any) -> Venue | None:
        self.prime([])
        return self.cache.get(self.key(value))  # type: ignore[return-value]

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


class CourseResource(NaturalKeyResource):
    """Courses; the code is the course's slug (its web address)."""

    code = Field("slug", "code", TextWidget())
    title = Field("title", "title", TextWidget())
    summary = Field("summary", "summary", TextWidget())
    audience = Field("audience", "audience", TextWidget())
    total_hours = Field("total_hours", "total_hours", DecimalWidget(), default=0)
    certification = Field(
        "certification",
        "certification",
        LookupWidget(Certification, "code", unknown=UNKNOWN_CERTIFICATION, required=False),
    )
    prerequisite_courses = Field(
        "prerequisite_courses", "prerequisite_courses", ManyLookupWidget(course_lookup())
    )
    prerequisite_modules = Field(
        "prerequisite_modules", "prerequisite_modules", ManyLookupWidget(module_lookup())
    )
    is_published = Field("is_published", "is_published", BooleanWidget())

    class Meta:
        model = Course
        import_id_fields = ("code",)
        fields = (
            "code",
            "title",
            "summary",
            "audience",
            "total_hours",
            "certification",
            "prerequisite_courses",
            "prerequisite_modules",
            "is_published",
        )

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return Course.objects.select_related("certification").prefetch_related(
            "prerequisite_courses", "prerequisite_modules"
        )

    def existing(self, dataset: Any) -> dict[Hashable, Course]:
        codes = {_key(v) for v in self.column_values(dataset, "code")} - {""}
        return {c.slug.lower(): c for c in filter_iexact_in(Course.objects.all(), "slug", codes)}

    def row_key(self, row: dict[str, Any]) -> Hashable | None:
        return _key(row.get("code")) or None


class ModuleResource(NaturalKeyResource):
    """Modules of courses. Competencies covered are exported for reading only: they are chosen
    on screen, in the version of the framework in force."""

    code = Field("code", "code", TextWidget())
    course = Field("course", "course", course_lookup())
    title = Field("title", "title", TextWidget())
    description = Field("description", "description", TextWidget())
    hours = Field("hours", "hours", DecimalWidget(), default=0)
    ethics_hours = Field("ethics_hours", "ethics_hours", DecimalWidget(), default=0)
    assessment_method = Field("assessment_method", "assessment_method", TextWidget())
    position = Field("position", "position", IntegerWidget(required=False), default=0)
    competencies = Field("competencies", "competencies", readonly=True)

    class Meta:
        model = Module
        import_id_fields = ("code",)
        fields = (
            "code",
            "course",
            "title",
            "description",
            "hours",
            "ethics_hours",
            "assessment_method",
            "position",
            "competencies",
        )

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return Module.objects.select_related("course").prefetch_related("competencies")

    def dehydrate_competencies(self, module: Module) -> str:
        return ", ".join(sorted(c.code for c in module.competencies.all()))

    def existing(self, dataset: Any) -> dict[Hashable, Module]:
        codes = {_key(v) for v in self.column_values(dataset, "code")} - {""}
        return {m.code.lower(): m for m in filter_iexact_in(Module.objects.all(), "code", codes)}

    def row_key(self, row: dict[str, Any]) -> Hashable | None:
        return _key(row.get("code")) or None

    def check(self, instance: Module) -> dict[str, str]:
        if instance.ethics_hours > instance.hours:
            return {"ethics_hours": _("The ethics hours cannot be more than the module's hours.")}
        return {}


class SessionResource(NaturalKeyResource):
    """Sessions. New sessions are drafts; their status is exported for reading only."""

    code = Field("code", "code", TextWidget())
    course = Field("course", "course", course_lookup())
    module = Field("module", "module", module_lookup(required=False))
    format = Field("format", "format", ChoiceWidget(Session.Format.choices))
    venue = Field("venue", "venue", VenueWidget())
    online_url = Field("online_url", "online_url", TextWidget())
    online_instructions = Field("online_instructions", "online_instructions", TextWidget())
    trainers = Field("trainers", "trainers", ManyLookupWidget(person_lookup()))
    capacity = Field("capacity", "capacity", IntegerWidget())
    language = Field("language", "language", ChoiceWidget(SessionLanguage.choices))
    enrolment_opens = Field("enrolment_opens", "enrolment_opens", DateTimeWidget())
    enrolment_closes = Field("enrolment_closes", "enrolment_closes", DateTimeWidget())
    cancellation_hours = Field(
        "cancellation_hours", "cancellation_hours", IntegerWidget(required=False), default=48
    )
    cost = Field("cost", "cost", DecimalWidget(), default=0)
    approval_required = Field("approval_required", "approval_required", BooleanWidget())
    notes = Field("notes", "notes", TextWidget())
    status = Field("status", "status", readonly=True)

    class Meta:
        model = Session
        import_id_fields = ("code",)
        fields = (
            "code",
            "course",
            "module",
            "format",
            "venue",
            "online_url",
            "online_instructions",
            "trainers",
            "capacity",
            "language",
            "enrolment_opens",
            "enrolment_closes",
            "cancellation_hours",
            "cost",
            "approval_required",
            "notes",
            "status",
        )

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return Session.objects.select_related("course", "module", "venue").prefetch_related(
            "trainers"
        )

    def existing(self, dataset: Any) -> dict[Hashable, Session]:
        codes = {_key(v) for v in self.column_values(dataset, "code")} - {""}
        return {s.code.lower(): s for s in filter_iexact_in(Session.objects.all(), "code", codes)}

    def row_key(self, row: dict[str, Any]) -> Hashable | None:
        return _key(row.get("code")) or None

    def check(self, instance: Session) -> dict[str, str]:
        errors = {}
        now = timezone.now()
        if instance._state.adding and instance.enrolment_closes and instance.enrolment_closes < now:
            errors["enrolment_closes"] = _(
                "This date is in the past: a new session needs enrolment to close later."
            )
        if (
            instance.enrolment_opens
            and instance.enrolment_closes
            and instance.enrolment_closes <= instance.enrolment_opens
        ):
            errors["enrolment_closes"] = _("Enrolment must close after it opens.")
        if instance.module_id and instance.module.course_id != instance.course_id:
            errors["module"] = _("This module belongs to another course.")
        return errors

    def save_instance(self, instance: Session, is_create: bool, row: Any, **kwargs: Any) -> None:
        super().save_instance(instance, is_create, row, **kwargs)
        if is_create:
            # A session begins its history as a draft, as when it is created on screen.
            SessionStatusChange.objects.create(
                session=instance,
                from_status="",
                to_status=Session.Status.DRAFT,
                changed_by=self.actor,
                reason=services.history_text(gettext_lazy("Created by an import.")),
            )


class MeetingResource(NaturalKeyResource):
    """The dated meetings of sessions; a meeting is named by its session and its start."""

    session = Field("session", "session", session_lookup())
    starts_at = Field("starts_at", "starts_at", DateTimeWidget(required=True))
    ends_at = Field("ends_at", "ends_at", DateTimeWidget(required=True))
    room = Field("room", "room", TextWidget())
    online_url = Field("online_url", "online_url", TextWidget())

    class Meta:
        model = Meeting
        import_id_fields = ("session", "starts_at")
        fields = ("session", "starts_at", "ends_at", "room", "online_url")

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return Meeting.objects.select_related("session").order_by("session__code", "starts_at")

    def existing(self, dataset: Any) -> dict[Hashable, Meeting]:
        codes = {_key(v) for v in self.column_values(dataset, "session")} - {""}
        # Starts are compared to the second, the precision of an exported file.
        return {
            (m.session.code.lower(), m.starts_at.replace(microsecond=0)): m
            for m in filter_iexact_in(self.get_queryset(), "session__code", codes)
        }

    def row_key(self, row: dict[str, Any]) -> Hashable | None:
        code, start = _key(row.get("session")), parse_datetime(row.get("starts_at"))
        return (code, start.replace(microsecond=0)) if code and start else None

    def check(self, instance: Meeting) -> dict[str, str]:
        errors = {}
        if instance._state.adding and instance.starts_at < timezone.now():
            errors["starts_at"] = _(
                "This date is in the past: an import only adds meetings that are still to come."
            )
        if instance.ends_at <= instance.starts_at:
            errors["ends_at"] = _("A meeting must end after it starts.")
        return errors


class EnrolmentResource(NaturalKeyResource):
    """Enrolments. A new row enrols the person through the same rules as on screen (confirmed,
    awaiting approval or waiting list); statuses of existing enrolments never change by import."""

    session = Field("session", "session", session_lookup())
    trainee = Field("trainee", "trainee_email", person_lookup())
    trainee_name = Field(column_name="trainee_name", readonly=True)
    status = Field("status", "status", readonly=True)
    requested_at = Field("requested_at", "requested_at", DateTimeWidget(), readonly=True)
    queue_position = Field("queue_position", "waiting_list_position", readonly=True)
    reserved_for = Field(column_name="reserved_for", readonly=True)

    class Meta:
        model = Enrolment
        import_id_fields = ("session", "trainee")
        fields = (
            "session",
            "trainee",
            "trainee_name",
            "status",
            "requested_at",
            "queue_position",
            "reserved_for",
        )
        # The service checks everything (places, window, prerequisites) and sets the status.
        clean_model_instances = False

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return Enrolment.objects.select_related("session", "trainee", "reserved_for").order_by(
            "session__code", "requested_at", "pk"
        )

    def dehydrate_trainee_name(self, enrolment: Enrolment) -> str:
        return person_name(enrolment.trainee)

    def dehydrate_reserved_for(self, enrolment: Enrolment) -> str:
        return enrolment.reservation_label

    def existing(self, dataset: Any) -> dict[Hashable, Enrolment]:
        codes = {_key(v) for v in self.column_values(dataset, "session")} - {""}
        found: dict[Hashable, Enrolment] = {}
        # Oldest first, so the latest enrolment wins, and an active one over any other.
        for enrolment in filter_iexact_in(self.get_queryset(), "session__code", codes):
            key = (enrolment.session.code.lower(), enrolment.trainee.email.lower())
            current = found.get(key)
            if current is None or enrolment.is_active or not current.is_active:
                found[key] = enrolment
        return found

    def row_key(self, row: dict[str, Any]) -> Hashable | None:
        code, email = _key(row.get("session")), _key(row.get("trainee_email"))
        return (code, email) if code and email else None

    def save_instance(self, instance: Enrolment, is_create: bool, row: Any, **kwargs: Any) -> None:
        if not is_create:
            return  # every other column is read-only: nothing to change
        enrolment = services.enrol_trainee(
            session=instance.session, trainee=instance.trainee, by=self.actor
        )
        instance.pk = enrolment.pk
        instance.status = enrolment.status
        instance.queue_position = enrolment.queue_position
        instance.requested_at = enrolment.requested_at
