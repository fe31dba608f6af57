"""Attendance per meeting, make-ups, assessments with their rubric, results and judgements.

Statuses change only in ``courses.grading.services``, which also writes the history rows.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.core.models import StatusChange


class Level(models.TextChoices):
    """The levels of every rubric criterion."""

    NOT_YET = "not_yet", _("Not yet")
    ACQUIRED = "acquired", _("Acquired")
    MASTERED = "mastered", _("Mastered")


# Levels that write a competency to the certification ledger on release.
ACQUIRED_LEVELS = (Level.ACQUIRED, Level.MASTERED)


class AttendanceRecord(models.Model):
    """Whether one trainee came to one meeting, and how much of it they missed."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        LEFT_EARLY = "left_early", _("Left early")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused absence")

    # Statuses in which the trainee attended (part of) the meeting.
    ATTENDED = (Status.PRESENT, Status.LATE, Status.LEFT_EARLY)

    meeting = models.ForeignKey(
        "courses.Meeting",
        on_delete=models.CASCADE,
        related_name="attendance_records",
        verbose_name=_("meeting"),
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="meeting_attendance",
        verbose_name=_("trainee"),
    )
    enrolment = models.ForeignKey(
        "courses.Enrolment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attendance_records",
        verbose_name=_("enrolment"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    minutes_late = models.PositiveSmallIntegerField(_("minutes late"), default=0)
    minutes_left_early = models.PositiveSmallIntegerField(_("minutes left early"), default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        ordering = ["meeting", "trainee"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "trainee"], name="grading_attendance_one_per_meeting"
            ),
            # Minutes missed only make sense for someone who came.
            models.CheckConstraint(
                condition=Q(status__in=["present", "late", "left_early"])
                | (Q(minutes_late=0) & Q(minutes_left_early=0)),
                name="grading_attendance_minutes_only_when_attended",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trainee} — {self.meeting} ({self.get_status_display()})"

    @property
    def attended_hours(self) -> Decimal:
        """The meeting's length minus the minutes missed (0 when absent or excused)."""
        if self.status not in self.ATTENDED:
            return Decimal("0.00")
        minutes = Decimal((self.meeting.ends_at - self.meeting.starts_at).total_seconds()) / 60
        minutes -= self.minutes_late + self.minutes_left_early
        return (max(minutes, Decimal(0)) / 60).quantize(Decimal("0.01"))


class MakeUp(models.Model):
    """An excused absence made up in a meeting of another session of the same module (possibly
    in another town). The missed meeting then counts as attended for the original session."""

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="attendance_make_ups",
        verbose_name=_("trainee"),
    )
    missed_meeting = models.ForeignKey(
        "courses.Meeting",
        on_delete=models.CASCADE,
        related_name="make_ups_of",
        verbose_name=_("missed meeting"),
    )
    make_up_meeting = models.ForeignKey(
        "courses.Meeting",
        on_delete=models.CASCADE,
        related_name="make_ups_in",
        verbose_name=_("make-up meeting"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("make-up")
        verbose_name_plural = _("make-ups")
        ordering = ["-recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["trainee", "missed_meeting"], name="grading_make_up_once_per_meeting"
            ),
            models.CheckConstraint(
                condition=~Q(missed_meeting=models.F("make_up_meeting")),
                name="grading_make_up_in_another_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trainee}: {self.missed_meeting} → {self.make_up_meeting}"


class Assessment(models.Model):
    """How one module is assessed in one session, with a rubric per competency it covers."""

    class Method(models.TextChoices):
        ROLE_PLAY = "role_play", _("Role play")
        WRITTEN_REFLECTION = "written_reflection", _("Written reflection")
        INTERNSHIP_REPORT = "internship_report", _("Internship report")
        CASE_STUDY = "case_study", _("Case study")
        ORAL_PRESENTATION = "oral_presentation", _("Oral presentation")
        PRACTICE_JOURNAL = "practice_journal", _("Practice journal")
        QUIZ = "quiz", _("Quiz")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        READY_FOR_REVIEW = "ready_for_review", _("Ready for review")
        RELEASED = "released", _("Released")

    session = models.ForeignKey(
        "courses.Session",
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("session"),
    )
    module = models.ForeignKey(
        "courses.Module",
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("module"),
    )
    title = models.CharField(_("title"), max_length=200)
    method = models.CharField(
        _("method"), max_length=24, choices=Method.choices, default=Method.OTHER
    )
    instructions = models.TextField(_("instructions"), blank=True)
    max_score = models.DecimalField(
        _("maximum score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    pass_mark = models.DecimalField(
        _("pass mark"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    second_marker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessments_to_review",
        verbose_name=_("second marker"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["session", "module", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_mark__isnull=True)
                | Q(max_score__isnull=True)
                | Q(pass_mark__lte=models.F("max_score")),
                name="grading_pass_mark_within_max_score",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.session.code})"

    def clean(self) -> None:
        super().clean()
        if (
            self.pass_mark is not None
            and self.max_score is not None
            and self.pass_mark > self.max_score
        ):
            raise ValidationError({"pass_mark": _("The pass mark cannot exceed the maximum.")})


class AssessmentStatusChange(StatusChange):
    """One step of an assessment's workflow: draft → ready for review → released."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        _("previous status"), max_length=20, choices=Assessment.Status.choices, blank=True
    )
    to_status = models.CharField(_("new status"), max_length=20, choices=Assessment.Status.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("assessment status change")
        verbose_name_plural = _("assessment status changes")


def default_descriptors() -> dict[str, str]:
    return dict.fromkeys(Level.values, "")


class RubricCriterion(models.Model):
    """One line of an assessment's rubric: a competency the module covers, with a descriptor
    of what each level looks like (``descriptors``: {"not_yet": "…", "acquired": "…", …})."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("assessment")
    )
    competency = models.ForeignKey(
        "certification.Competency",
        on_delete=models.PROTECT,
        related_name="rubric_criteria",
        verbose_name=_("competency"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    descriptors = models.JSONField(_("level descriptors"), default=default_descriptors, blank=True)

    class Meta:
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")
        ordering = ["assessment", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "competency"], name="grading_criterion_once_per_assessment"
            )
        ]

    def __str__(self) -> str:
        return str(self.competency)

    @property
    def code(self) -> str:
        return self.competency.code

    def descriptor(self, level: str) -> str:
        return str((self.descriptors or {}).get(level, ""))

    @property
    def level_descriptors(self) -> list[tuple[str, str, str]]:
        """(level, label, descriptor) in level order, for templates."""
        return [(value, str(label), self.descriptor(value)) for value, label in Level.choices]


class Result(models.Model):
    """One trainee's result in one assessment: judgements, feedback, optional score."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        READY = "ready", _("Ready for review")
        RELEASED = "released", _("Released")
        ASKED_TO_REPEAT = "asked_to_repeat", _("Asked to repeat")

    # What a trainee may see of their own results.
    VISIBLE_TO_TRAINEE = (Status.RELEASED, Status.ASKED_TO_REPEAT)

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="results", verbose_name=_("assessment")
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assessment_results",
        verbose_name=_("trainee"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    feedback = models.TextField(_("overall feedback"), blank=True)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    repeat_deadline = models.DateField(_("repeat before"), null=True, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("graded by"),
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["assessment", "trainee__last_name", "trainee__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "trainee"], name="grading_result_once_per_trainee"
            ),
            models.CheckConstraint(
                condition=~Q(status="asked_to_repeat") | Q(repeat_deadline__isnull=False),
                name="grading_repeat_has_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trainee} — {self.assessment}"

    @property
    def reference(self) -> str:
        """How the ledger and the audit trail name this result."""
        return f"grading.Result:{self.pk}"


class Judgement(models.Model):
    """The level reached on one criterion, always with its justification and its author."""

    result = models.ForeignKey(
        Result, on_delete=models.CASCADE, related_name="judgements", verbose_name=_("result")
    )
    criterion = models.ForeignKey(
        RubricCriterion,
        on_delete=models.CASCADE,
        related_name="judgements",
        verbose_name=_("criterion"),
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    justification = models.TextField(_("justification"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("judgement")
        verbose_name_plural = _("judgements")
        ordering = ["result", "criterion__position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["result", "criterion"], name="grading_judgement_once_per_criterion"
            ),
            # Every judgement is explained (Chamilo: a skill award carries its justification).
            models.CheckConstraint(
                condition=~Q(justification=""), name="grading_judgement_justified"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.get_level_display()}"


class ResultChange(models.Model):
    """History of a result: who, when, what kind of step, why, and the values before/after."""

    class Kind(models.TextChoices):
        GRADED = "graded", _("Graded")
        IMPORTED = "imported", _("Imported")
        READY = "ready", _("Marked ready for review")
        RELEASED = "released", _("Released")
        CHANGED = "changed", _("Changed after release")
        ASKED_TO_REPEAT = "asked_to_repeat", _("Asked to repeat")

    result = models.ForeignKey(
        Result, on_delete=models.CASCADE, related_name="changes", verbose_name=_("result")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    changed_at = models.DateTimeField(_("when"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)

    class Meta:
        verbose_name = _("result change")
        verbose_name_plural = _("result changes")
        ordering = ["changed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="changed") | ~Q(reason=""),
                name="grading_change_after_release_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.changed_at:%Y-%m-%d})"
