"""VAE: candidacies, experiences, self-assessment, evidence, consent, admissibility, jury, decisions."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.core.models import StatusChange

from .fields import EncryptedTextField


def jury_within_weeks() -> int:
    return int(getattr(settings, "VAE_JURY_WITHIN_WEEKS", 8))


class Candidacy(models.Model):
    """One *candidature VAE*: one person, one target certification, one status with a history."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        INCOMPLETE = "incomplete", _("Incomplete")
        RESUBMITTED = "resubmitted", _("Resubmitted")
        ADMISSIBLE = "admissible", _("Admissible")
        NOT_ADMISSIBLE = "not_admissible", _("Not admissible")
        PORTFOLIO_IN_PROGRESS = "portfolio_in_progress", _("Portfolio in progress")
        PORTFOLIO_SUBMITTED = "portfolio_submitted", _("Portfolio submitted")
        JURY_SCHEDULED = "jury_scheduled", _("Jury scheduled")
        DECIDED = "decided", _("Decided")
        APPEALED = "appealed", _("Appealed")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        LAPSED = "lapsed", _("Lapsed")

    class Request(models.TextChoices):
        FULL = "full", _("The full certificate")
        BLOCKS = "blocks", _("Some competency blocks")
        EXEMPTIONS = "exemptions", _("Exemptions from modules")
        ADMISSION = "admission", _("Admission to a course")

    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="vae_candidacies",
        verbose_name=_("candidate"),
    )
    certification = models.ForeignKey(
        "certification.Certification",
        on_delete=models.PROTECT,
        related_name="vae_candidacies",
        verbose_name=_("target certification"),
    )
    request = models.CharField(
        _("what is requested"), max_length=12, choices=Request.choices, default=Request.FULL
    )
    requested_blocks = models.ManyToManyField(
        "certification.CompetencyBlock",
        blank=True,
        related_name="+",
        verbose_name=_("requested blocks"),
    )
    requested_modules = models.ManyToManyField(
        "courses.Module", blank=True, related_name="+", verbose_name=_("requested exemptions")
    )
    admission_course = models.ForeignKey(
        "courses.Course",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("course to be admitted to"),
    )
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.DRAFT
    )
    # The status a lapsed candidacy returns to if the candidate contests the lapse.
    previous_status = models.CharField(
        _("previous status"), max_length=24, choices=Status.choices, blank=True
    )
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="vae_counselled",
        verbose_name=_("counsellor"),
    )
    jury_session = models.ForeignKey(
        "JurySession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidacies",
        verbose_name=_("jury session"),
    )
    sworn_statement = models.BooleanField(_("sworn statement"), default=False)
    sworn_on = models.DateField(_("sworn on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    lapse_warned_at = models.DateTimeField(_("lapse warning sent"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    portfolio_submitted_at = models.DateTimeField(
        _("portfolio submitted at"), null=True, blank=True
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("VAE candidacy")
        verbose_name_plural = _("VAE candidacies")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status"], name="vae_candidacy_status")]
        permissions = [("manage_candidacy", _("Can run VAE candidacies"))]

    def __str__(self) -> str:
        return f"VAE #{self.pk} · {self.certification}"

    @property
    def jury_due_on(self):  # type: ignore[no-untyped-def]
        """The jury should sit within N weeks of a complete portfolio."""
        if self.portfolio_submitted_at is None:
            return None
        return timezone.localdate(self.portfolio_submitted_at) + timedelta(
            weeks=jury_within_weeks()
        )

    @property
    def reference(self) -> str:
        return f"VAE-{self.pk:05d}"


class CandidacyStatusChange(StatusChange):
    """History of a candidacy's status: from, to, who, when and why."""

    candidacy = models.ForeignKey(
        Candidacy, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        _("previous status"), max_length=24, choices=Candidacy.Status.choices, blank=True
    )
    to_status = models.CharField(_("new status"), max_length=24, choices=Candidacy.Status.choices)
    # PROTECT: who changed a candidacy's status stays on the record.
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("candidacy status change")
        verbose_name_plural = _("candidacy status changes")


class Experience(models.Model):
    """One experience the candidate describes: where, what role, when, how many hours."""

    class Kind(models.TextChoices):
        PAID_WORK = "paid_work", _("Paid work")
        VOLUNTEERING = "volunteering", _("Volunteering")
        PEER_SUPPORT = "peer_support", _("Informal peer support")
        SELF_HELP_GROUP = "self_help_group", _("Self-help group")
        USER_REPRESENTATION = "user_representation", _("User representation")
        TRAINING = "training", _("Training")

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="experiences")
    kind = models.CharField(_("kind of experience"), max_length=24, choices=Kind.choices)
    organisation = models.CharField(_("organisation or place"), max_length=200, blank=True)
    role = models.CharField(_("your role"), max_length=200)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("to"), null=True, blank=True, help_text=_("Empty if ongoing."))
    hours = models.PositiveIntegerField(_("hours (about)"), default=0)
    description = models.TextField(_("what you did"), blank=True)

    class Meta:
        verbose_name = _("experience")
        verbose_name_plural = _("experiences")
        ordering = ["started_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="vae_experience_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.role}"


class SelfAssessment(models.Model):
    """The candidate's own view of one competency: yes, partly or no."""

    class Level(models.TextChoices):
        YES = "yes", _("Yes")
        PARTLY = "partly", _("Partly")
        NO = "no", _("No")

    candidacy = models.ForeignKey(
        Candidacy, on_delete=models.CASCADE, related_name="self_assessments"
    )
    competency = models.ForeignKey(
        "certification.Competency", on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("I can do this"), max_length=8, choices=Level.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["candidacy", "competency"], name="vae_one_self_assessment_per_competency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.competency_id}: {self.level}"


class BlockNarrative(models.Model):
    """The candidate's narrative for one block: how their experience shows these competencies."""

    candidacy = models.ForeignKey(
        Candidacy, on_delete=models.CASCADE, related_name="block_narratives"
    )
    block = models.ForeignKey(
        "certification.CompetencyBlock", on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("narrative"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["candidacy", "block"], name="vae_one_narrative_per_block"
            )
        ]

    def __str__(self) -> str:
        return f"{self.block_id}"


class Evidence(models.Model):
    """A piece of evidence, stored in the private storage under a random name."""

    class Kind(models.TextChoices):
        ATTESTATION = "attestation", _("Attestation, certificate or work document")
        IDENTITY = "identity", _("Identity document (only to check admissibility)")
        OTHER = "other", _("Other document")

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(
        _("kind of document"), max_length=16, choices=Kind.choices, default=Kind.ATTESTATION
    )
    original_name = models.CharField(_("file name"), max_length=200)
    stored_name = models.CharField(max_length=255, unique=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("what it shows"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class LivedExperienceConsent(models.Model):
    """Explicit consent to keep a lived-experience narrative (health data, GDPR art. 9)."""

    PURPOSE = "vae.lived_experience"

    candidacy = models.ForeignKey(
        Candidacy, on_delete=models.CASCADE, related_name="lived_experience_consents"
    )
    purpose = models.CharField(max_length=60, default=PURPOSE)
    text_version = models.CharField(max_length=20)
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-given_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidacy"],
                condition=Q(withdrawn_at__isnull=True),
                name="vae_one_active_lived_experience_consent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.purpose} v{self.text_version}"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


class LivedExperienceNarrative(models.Model):
    """The optional, separate lived-experience narrative, encrypted; erased on withdrawal."""

    candidacy = models.OneToOneField(
        Candidacy, on_delete=models.CASCADE, related_name="lived_experience"
    )
    consent = models.ForeignKey(LivedExperienceConsent, on_delete=models.CASCADE, related_name="+")
    text = EncryptedTextField(_("your lived experience"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"#{self.pk}"


class AdmissibilityDecision(models.Model):
    """A *recevabilité* decision: a separate record each time (an incomplete file comes back)."""

    class Outcome(models.TextChoices):
        ADMISSIBLE = "admissible", _("Admissible")
        INCOMPLETE = "incomplete", _("Incomplete")
        NOT_ADMISSIBLE = "not_admissible", _("Not admissible")

    candidacy = models.ForeignKey(
        Candidacy, on_delete=models.CASCADE, related_name="admissibility_decisions"
    )
    outcome = models.CharField(_("decision"), max_length=16, choices=Outcome.choices)
    reasons = models.TextField(_("reasons"), blank=True)
    missing_pieces = models.JSONField(_("missing pieces"), default=list, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return self.get_outcome_display()


class JurySession(models.Model):
    """A jury sitting: date, place or online; at least two members, one of them the chair."""

    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online = models.BooleanField(_("online"), default=False)
    online_link = models.URLField(_("online link"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="JuryMember", related_name="vae_jury_sessions"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("jury session")
        verbose_name_plural = _("jury sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(online=True) | ~Q(place=""), name="vae_jury_has_place_or_online"
            )
        ]

    def __str__(self) -> str:
        where = _("online") if self.online else self.place
        return f"{timezone.localtime(self.starts_at):%d/%m/%Y %H:%M} · {where}"

    @property
    def chair(self):  # type: ignore[no-untyped-def]
        membership = next((m for m in self.memberships.all() if m.is_chair), None)
        return membership.member if membership else None


class JuryMember(models.Model):
    session = models.ForeignKey(JurySession, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_chair = models.BooleanField(_("chair"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="vae_jury_member_once"),
            models.UniqueConstraint(
                fields=["session"], condition=Q(is_chair=True), name="vae_jury_one_chair"
            ),
        ]

    def __str__(self) -> str:
        return str(self.member)


class ConflictDeclaration(models.Model):
    """A jury member's declaration, before seeing the file, of any link with the candidate or
    their counsellor. Never changed: a new situation is a new declaration."""

    candidacy = models.ForeignKey(
        Candidacy, on_delete=models.CASCADE, related_name="conflict_declarations"
    )
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    has_conflict = models.BooleanField(_("I have a link with the candidate or the counsellor"))
    note = models.TextField(_("note"), blank=True)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-declared_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.member_id}: {'conflict' if self.has_conflict else 'none'}"


class JuryDecision(models.Model):
    """A jury decision, signed by the chair; never edited. An appeal leads to a new decision that
    supersedes this one."""

    class Overall(models.TextChoices):
        FULL = "full", _("Full award")
        PARTIAL = "partial", _("Partial award")
        NONE = "none", _("No award")
        ABSENT = "absent", _("Candidate absent")

    candidacy = models.ForeignKey(
        Candidacy, on_delete=models.PROTECT, related_name="jury_decisions"
    )
    jury_session = models.ForeignKey(
        JurySession, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    overall = models.CharField(_("overall result"), max_length=10, choices=Overall.choices)
    recommendations = EncryptedTextField(_("recommendations"), blank=True)
    recommended_modules = models.ManyToManyField(
        "courses.Module", blank=True, related_name="+", verbose_name=_("modules to follow")
    )
    exempted_modules = models.ManyToManyField(
        "courses.Module", blank=True, related_name="+", verbose_name=_("modules exempted")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signed by (chair)"),
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )

    class Meta:
        verbose_name = _("jury decision")
        verbose_name_plural = _("jury decisions")
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_overall_display()} · {self.decided_at:%d/%m/%Y}"

    def save(self, *args, **kwargs) -> None:
        # Signed decisions are never edited; an appeal writes a new one.
        if not self._state.adding:
            raise DecisionIsFinal(_("A jury decision is never changed; record a new decision."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise DecisionIsFinal(_("A jury decision is never deleted."))


class BlockOutcome(models.Model):
    """The jury's outcome for one block, with its justification (encrypted)."""

    decision = models.ForeignKey(JuryDecision, on_delete=models.PROTECT, related_name="outcomes")
    block = models.ForeignKey(
        "certification.CompetencyBlock", on_delete=models.PROTECT, related_name="+"
    )
    acquired = models.BooleanField(_("acquired"))
    justification = EncryptedTextField(_("justification"))

    class Meta:
        ordering = ["block__position", "block__code"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "block"], name="vae_outcome_once_per_block")
        ]

    def __str__(self) -> str:
        return f"{self.block_id}: {self.acquired}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise DecisionIsFinal(_("A jury decision is never changed; record a new decision."))
        super().save(*args, **kwargs)


class DecisionIsFinal(Exception):
    """Raised when code tries to change a signed jury decision."""
