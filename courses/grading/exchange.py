"""Import and export of attendance and results (the bulk-grading template is in resources.py).

Attendance rows are named by session, meeting start and trainee email; result rows by session,
module, assessment title and trainee email. Imports write through ``services.record_attendance``
and ``services.grade`` (history, audit trail and checks as on screen). An imported result stays
in draft: releasing results, which writes the competency ledger, is always done on screen.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import datetime
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from import_export import widgets
from import_export.fields import Field

from courses.resources import person_lookup, session_lookup
from lms.dataexchange.natural import (
    BooleanWidget,
    ChoiceWidget,
    DateTimeWidget,
    DecimalWidget,
    IntegerWidget,
    LookupWidget,
    NaturalKeyResource,
    TextWidget,
    parse_datetime,
    person_name,
    render_datetime,
)

from . import services
from .models import Assessment, AttendanceRecord, Judgement, Result

Status = AttendanceRecord.Status


class MeetingInRowWidget(widgets.Widget):
    """The meeting a row names by its ``session`` cell and this cell (the meeting's start)."""

    def __init__(self) -> None:
        super().__init__()
        self.sessions = session_lookup()
        self.meetings: dict[tuple[int, datetime], Any] = {}

    def prime(self, session_codes: list[Any]) -> None:
        from courses.models import Meeting

        self.sessions.prime(session_codes)
        ids = [s.pk for s in self.sessions.cache.values() if s is not None]
        for meeting in Meeting.objects.filter(session_id__in=ids).select_related("session"):
            # To the second, the precision of an exported file.
            self.meetings[(meeting.session_id, meeting.starts_at.replace(microsecond=0))] = meeting

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        session = self.sessions.clean((row or {}).get("session"))
        start = parse_datetime(value)
        if start is None:
            raise ValueError(_("This cell is empty; write when the meeting starts."))
        meeting = self.meetings.get((session.pk, start.replace(microsecond=0)))
        if meeting is None:
            raise ValueError(
                _("Session %(session)s has no meeting starting at %(start)s.")
                % {"session": session.code, "start": render_datetime(start)}
            )
        return meeting

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return render_datetime(value.starts_at) if value is not None else ""


class CodeWidget(widgets.Widget):
    """Read-only columns that show a related object's code."""

    def __init__(self, attribute: str) -> None:
        super().__init__()
        self.attribute = attribute

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(getattr(value, self.attribute))


class AttendanceResource(NaturalKeyResource):
    """Attendance at each meeting, one row per trainee and meeting."""

    session = Field("meeting__session", "session", CodeWidget("code"), readonly=True)
    meeting = Field("meeting", "meeting_start", MeetingInRowWidget())
    trainee = Field("trainee", "trainee_email", person_lookup())
    trainee_name = Field(column_name="trainee_name", readonly=True)
    status = Field("status", "status", ChoiceWidget(Status.choices))
    minutes_late = Field("minutes_late", "minutes_late", IntegerWidget(required=False), default=0)
    minutes_left_early = Field(
        "minutes_left_early", "minutes_left_early", IntegerWidget(required=False), default=0
    )
    note = Field("note", "note", TextWidget())
    recorded_by = Field("recorded_by", "recorded_by", CodeWidget("email"), readonly=True)
    recorded_at = Field("recorded_at", "recorded_at", DateTimeWidget(), readonly=True)

    class Meta:
        model = AttendanceRecord
        import_id_fields = ("meeting", "trainee")
        fields = (
            "session",
            "meeting",
            "trainee",
            "trainee_name",
            "status",
            "minutes_late",
            "minutes_left_early",
            "note",
            "recorded_by",
            "recorded_at",
        )
        # record_attendance checks each mark (participant, minutes within the meeting).
        clean_model_instances = False

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return AttendanceRecord.objects.select_related(
            "meeting__session", "trainee", "recorded_by"
        ).order_by("meeting__session__code", "meeting__starts_at", "trainee__email")

    def dehydrate_trainee_name(self, record: AttendanceRecord) -> str:
        return person_name(record.trainee)

    def required_columns(self) -> list[str]:
        return ["session", *super().required_columns()]

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        super().before_import(dataset, **kwargs)
        self.fields["meeting"].widget.prime(list(dataset["session"]))

    def existing(self, dataset: Any) -> dict[Hashable, AttendanceRecord]:
        meeting_ids = [m.pk for m in self.fields["meeting"].widget.meetings.values()]
        return {
            (r.meeting_id, r.trainee.email.lower()): r
            for r in self.get_queryset().filter(meeting_id__in=meeting_ids)
        }

    def row_key(self, row: dict[str, Any]) -> Hashable | None:
        meeting = self.fields["meeting"].widget.clean(row.get("meeting_start"), row=row)
        email = LookupWidget.key(row.get("trainee_email"))
        return (meeting.pk, email) if email else None

    def check(self, instance: AttendanceRecord) -> dict[str, str]:
        errors = {}
        if instance.minutes_late and instance.status != Status.LATE:
            errors["minutes_late"] = _("Minutes late only count for someone marked late.")
        if instance.minutes_left_early and instance.status != Status.LEFT_EARLY:
            errors["minutes_left_early"] = _(
                "Minutes left early only count for someone marked as having left early."
            )
        return errors

    def save_instance(
        self, instance: AttendanceRecord, is_create: bool, row: Any, **kwargs: Any
    ) -> None:
        minutes = {
            Status.LATE: instance.minutes_late,
            Status.LEFT_EARLY: instance.minutes_left_early,
        }
        (record,) = services.record_attendance(
            meeting=instance.meeting,
            marks={
                instance.trainee_id: (
                    instance.status,
                    minutes.get(instance.status, 0),  # type: ignore[call-overload]
                    instance.note,
                )
            },
            by=self.actor,  # type: ignore[arg-type]
        )
        instance.pk, instance.recorded_at = record.pk, record.recorded_at


class AssessmentInRowWidget(widgets.Widget):
    """The assessment a row names by its ``session`` and ``module`` cells and this cell (the
    assessment's title)."""

    def __init__(self) -> None:
        super().__init__()
        self.sessions = session_lookup()
        self.assessments: dict[int, list[Assessment]] = {}

    def prime(self, session_codes: list[Any]) -> None:
        self.sessions.prime(session_codes)
        ids = [s.pk for s in self.sessions.cache.values() if s is not None]
        for assessment in Assessment.objects.filter(session_id__in=ids).select_related(
            "session", "module"
        ):
            self.assessments.setdefault(assessment.session_id, []).append(assessment)

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Assessment:
        row = row or {}
        session = self.sessions.clean(row.get("session"))
        title = LookupWidget.key(value)
        module = LookupWidget.key(row.get("module"))
        if not title:
            raise ValueError(_("This cell is empty; write the title of the assessment."))
        matches = [
            a
            for a in self.assessments.get(session.pk, [])
            if a.title.strip().lower() == title and (not module or a.module.code.lower() == module)
        ]
        if not matches:
            raise ValueError(
                _("Session %(session)s has no assessment called “%(title)s”.")
                % {"session": session.code, "title": str(value).strip()}
            )
        if len(matches) > 1:
            raise ValueError(
                _(
                    "Session %(session)s has several assessments called “%(title)s”; write the "
                    "module code too."
                )
                % {"session": session.code, "title": str(value).strip()}
            )
        return matches[0]

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value.title if value is not None else ""


class ResultResource(NaturalKeyResource):
    """Results: feedback and score can be imported (as drafts); levels and status are read-only."""

    session = Field("assessment__session", "session", CodeWidget("code"), readonly=True)
    module = Field("assessment__module", "module", CodeWidget("code"), readonly=True)
    assessment = Field("assessment", "assessment", AssessmentInRowWidget())
    trainee = Field("trainee", "trainee_email", person_lookup())
    trainee_name = Field(column_name="trainee_name", readonly=True)
    feedback = Field("feedback", "feedback", TextWidget())
    score = Field("score", "score", DecimalWidget())
    levels = Field(column_name="levels", readonly=True)
    passed = Field("passed", "passed", BooleanWidget(default=None), readonly=True)
    status = Field("status", "status", readonly=True)
    released_at = Field("released_at", "released_at", DateTimeWidget(), readonly=True)

    class Meta:
        model = Result
        import_id_fields = ("assessment", "trainee")
        fields = (
            "session",
            "module",
            "assessment",
            "trainee",
            "trainee_name",
            "feedback",
            "score",
            "levels",
            "passed",
            "status",
            "released_at",
        )
        clean_model_instances = False

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return (
            Result.objects.select_related("assessment__session", "assessment__module", "trainee")
            .prefetch_related(
                Prefetch(
                    "judgements",
                    queryset=Judgement.objects.select_related("criterion__competency").order_by(
                        "criterion__position", "pk"
                    ),
                )
            )
            .order_by("assessment__session__code", "assessment__pk", "trainee__email")
        )

    def dehydrate_trainee_name(self, result: Result) -> str:
        return person_name(result.trainee)

    def dehydrate_levels(self, result: Result) -> str:
        return "; ".join(
            f"{j.criterion.competency.code}: {j.level}" for j in result.judgements.all()
        )

    def required_columns(self) -> list[str]:
        return ["session", *super().required_columns()]

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        super().before_import(dataset, **kwargs)
        self.fields["assessment"].widget.prime(list(dataset["session"]))

    def existing(self, dataset: Any) -> dict[Hashable, Result]:
        ids = [
            a.pk for group in self.fields["assessment"].widget.assessments.values() for a in group
        ]
        return {
            (r.assessment_id, r.trainee.email.lower()): r
            for r in Result.objects.filter(assessment_id__in=ids).select_related("trainee")
        }

    def row_key(self, row: dict[str, Any]) -> Hashable | None:
        assessment = self.fields["assessment"].widget.clean(row.get("assessment"), row=row)
        email = LookupWidget.key(row.get("trainee_email"))
        return (assessment.pk, email) if email else None

    def save_instance(self, instance: Result, is_create: bool, row: Any, **kwargs: Any) -> None:
        # Judgements already given stay as they are; the result stays (or goes back to) draft.
        (result,) = services.grade(
            assessment=instance.assessment,
            grades={
                instance.trainee_id: services.Grade(
                    judgements={}, feedback=instance.feedback, score=instance.score
                )
            },
            by=self.actor,
            imported=True,
        )
        instance.pk, instance.status, instance.passed = result.pk, result.status, result.passed
