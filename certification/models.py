"""Competency frameworks, certifications and their rules, the competency ledger, certificates."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.core.models import StatusChange


class CompetencyFramework(models.Model):
    """A versioned *référentiel de compétences*. ``code`` names the lineage across versions."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        RETIRED = "retired", _("Retired")

    code = models.SlugField(_("code"), max_length=60)
    version = models.PositiveIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        verbose_name = _("competency framework")
        verbose_name_plural = _("competency frameworks")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="framework_code_version_unique"
            ),
            # Only one version of a framework is in force at a time.
            models.UniqueConstraint(
                fields=["code"], condition=Q(status="active"), name="framework_one_active_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class CompetencyBlock(models.Model):
    """A *bloc de compétences* (B1 … B8): the unit that juries and certifications count."""

    framework = models.ForeignKey(
        CompetencyFramework,
        on_delete=models.CASCADE,
        related_name="blocks",
        verbose_name=_("framework"),
    )
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("competency block")
        verbose_name_plural = _("competency blocks")
        ordering = ["framework", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="block_code_unique_in_framework"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def clean(self) -> None:
        # A version in force (or retired) is read-only: changes go through a new draft version.
        if self.framework_id and self.framework.status != CompetencyFramework.Status.DRAFT:
            raise ValidationError(
                _("This framework version is in force or retired: create a new version to edit it.")
            )


class Competency(models.Model):
    """A *compétence* with its observable criteria (one per line)."""

    block = models.ForeignKey(
        CompetencyBlock,
        on_delete=models.CASCADE,
        related_name="competencies",
        verbose_name=_("block"),
    )
    code = models.CharField(_("code"), max_length=20)
    label = models.CharField(_("label"), max_length=300)
    criteria = models.TextField(_("observable criteria"), blank=True, help_text=_("One per line."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        ordering = ["block", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["block", "code"], name="competency_code_unique_in_block"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    def clean(self) -> None:
        if self.block_id and self.block.framework.status != CompetencyFramework.Status.DRAFT:
            raise ValidationError(
                _("This framework version is in force or retired: create a new version to edit it.")
            )

    @property
    def criteria_list(self) -> list[str]:
        return [line.strip() for line in self.criteria.splitlines() if line.strip()]


class Certification(models.Model):
    """A certification programme (*certification*) built on a framework lineage."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    framework_code = models.SlugField(
        _("framework"),
        max_length=60,
        help_text=_("Code of the competency framework; the active version applies."),
    )
    issuing_body = models.CharField(_("issuing body"), max_length=200)

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


# --- Certification rules -----------------------------------------------------------------------


class CertificationRules(models.Model):
    """The rules of one certification, configurable by coordinators (see DOMAIN.md).

    A rule left empty (or at zero) is not applied. Hours are counted from the competency ledger:
    *total training hours* adds up training and ethics hours (ethics is taught as training).
    """

    certification = models.OneToOneField(
        Certification,
        on_delete=models.CASCADE,
        related_name="rules",
        verbose_name=_("certification"),
    )
    required_block_codes = models.JSONField(
        _("required blocks"),
        default=list,
        blank=True,
        help_text=_(
            "Codes of the blocks to acquire, e.g. B1, B2. Leave empty to require every block "
            "of the framework version in force."
        ),
    )
    total_training_hours = models.DecimalField(
        _("total training hours"), max_digits=6, decimal_places=2, default=0
    )
    ethics_hours = models.DecimalField(_("ethics hours"), max_digits=6, decimal_places=2, default=0)
    min_attendance_rate = models.DecimalField(
        _("minimum attendance (%)"),
        max_digits=5,
        decimal_places=2,
        default=0,
        help_text=_("0 means attendance is not checked."),
    )
    internship_hours = models.DecimalField(
        _("internship hours"), max_digits=6, decimal_places=2, default=0
    )
    supervision_hours = models.DecimalField(
        _("supervision hours"), max_digits=6, decimal_places=2, default=0
    )
    validity_months = models.PositiveSmallIntegerField(
        _("validity (months)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for a certificate valid for life."),
    )
    renewal_hours = models.DecimalField(
        _("continuing-education hours to renew"), max_digits=6, decimal_places=2, default=0
    )
    renewal_ethics_hours = models.DecimalField(
        _("of which ethics hours"), max_digits=6, decimal_places=2, default=0
    )
    auto_issue = models.BooleanField(
        _("issue automatically"),
        default=True,
        help_text=_("Issue the certificate as soon as a person meets every rule."),
    )
    signatories = models.TextField(
        _("signatories"),
        blank=True,
        help_text=_("One per line, as printed: name, then a comma, then the role."),
    )

    class Meta:
        verbose_name = _("certification rules")
        verbose_name_plural = _("certification rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_attendance_rate__gte=0) & Q(min_attendance_rate__lte=100),
                name="rules_attendance_is_a_percentage",
            ),
            models.CheckConstraint(
                condition=Q(renewal_ethics_hours__lte=models.F("renewal_hours")),
                name="rules_renewal_ethics_within_total",
            ),
        ]

    def __str__(self) -> str:
        return str(self.certification)

    @property
    def is_for_life(self) -> bool:
        return self.validity_months is None

    @property
    def signatory_list(self) -> list[tuple[str, str]]:
        """(name, role) pairs from the one-per-line ``signatories`` text."""
        pairs = []
        for line in self.signatories.splitlines():
            if line.strip():
                name, _sep, role = line.partition(",")
                pairs.append((name.strip(), role.strip()))
        return pairs


# --- Competency ledger -------------------------------------------------------------------------


class LedgerEntryQuerySet(models.QuerySet):
    def current(self) -> "LedgerEntryQuerySet":
        """Entries not superseded by a later one, and not withdrawals."""
        return self.filter(superseded_by__isnull=True, withdrawn=False)

    def in_force(self, on=None) -> "LedgerEntryQuerySet":
        """Current entries that have not expired on ``on`` (today by default)."""
        on = on or timezone.localdate()
        return self.current().filter(Q(expires_on__isnull=True) | Q(expires_on__gt=on))

    def for_lineage(self, framework_code: str) -> "LedgerEntryQuerySet":
        """Block and competency entries of any version of one framework lineage."""
        return self.filter(
            Q(block__framework__code=framework_code)
            | Q(competency__block__framework__code=framework_code)
        )

    # The ledger is append-only: no bulk update or delete either.
    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise LedgerIsAppendOnly(_("Ledger entries are never changed; record a new entry."))

    def delete(self):  # type: ignore[no-untyped-def]
        raise LedgerIsAppendOnly(_("Ledger entries are never deleted; record a withdrawal."))


class LedgerEntry(models.Model):
    """One append-only line of the competency ledger: why a person holds a block, a competency or
    hours. Entries are never changed: a correction or a withdrawal is a new entry that
    supersedes the old one, so the ledger answers "why does this person hold B5?" forever."""

    class Kind(models.TextChoices):
        COMPETENCY = "competency", _("Competency")
        BLOCK = "block", _("Block")
        HOURS = "hours", _("Hours")

    class HoursKind(models.TextChoices):
        TRAINING = "training", _("Training")
        ETHICS = "ethics", _("Ethics")
        INTERNSHIP = "internship", _("Internship")
        SUPERVISION = "supervision", _("Supervision")
        CONTINUING_EDUCATION = "continuing_education", _("Continuing education")

    class Source(models.TextChoices):
        TRAINING_RESULT = "training_result", _("Training result")
        VAE_DECISION = "vae_decision", _("VAE jury decision")
        PRIOR_CERTIFICATE = "prior_certificate", _("Recognised prior certificate")
        COORDINATOR_DECISION = "coordinator_decision", _("Coordinator decision")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    competency = models.ForeignKey(
        Competency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
        verbose_name=_("competency"),
    )
    block = models.ForeignKey(
        CompetencyBlock,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
        verbose_name=_("block"),
    )
    hours_kind = models.CharField(
        _("kind of hours"), max_length=24, choices=HoursKind.choices, blank=True
    )
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2, null=True, blank=True)
    source = models.CharField(_("source"), max_length=24, choices=Source.choices)
    source_reference = models.CharField(
        _("source reference"),
        max_length=100,
        blank=True,
        help_text=_('The record this comes from, e.g. "courses.Result:42".'),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    effective_on = models.DateField(_("effective on"), default=timezone.localdate)
    justification = models.TextField(_("justification"), blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed off by (supervisor)"),
    )
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    withdrawn = models.BooleanField(
        _("withdrawal"),
        default=False,
        help_text=_("This entry withdraws the one it supersedes and counts for nothing."),
    )
    dedupe_key = models.CharField(
        _("idempotency key"),
        max_length=150,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Writing twice with the same key records one entry."),
    )

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["person", "kind"], name="ledger_person_kind")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="competency", competency__isnull=False, block__isnull=True)
                    | Q(kind="block", block__isnull=False, competency__isnull=True)
                    | (
                        Q(kind="hours", block__isnull=True, competency__isnull=True)
                        & Q(hours__isnull=False, hours__gte=0)
                        & ~Q(hours_kind="")
                    )
                ),
                name="ledger_entry_target_matches_kind",
            ),
            # A supervisor signs internship hours off (withdrawals need no new sign-off).
            models.CheckConstraint(
                condition=~Q(hours_kind="internship")
                | Q(withdrawn=True)
                | Q(signed_off_by__isnull=False),
                name="ledger_internship_signed_off",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def save(self, *args, **kwargs) -> None:
        # Append-only: an entry is written once. Corrections are new, superseding entries.
        if self.pk is not None or not self._state.adding:
            raise LedgerIsAppendOnly(_("A ledger entry is never changed; record a new entry."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerIsAppendOnly(_("A ledger entry is never deleted; record a withdrawal."))

    @property
    def target_code(self) -> str:
        if self.block is not None:
            return self.block.code
        if self.competency is not None:
            return self.competency.code
        return self.get_hours_kind_display()


class LedgerIsAppendOnly(Exception):
    """Raised when code tries to change or delete a ledger entry."""


class AttendanceRecord(models.Model):
    """A person's attendance rate for a certification, as computed by the courses app.

    Courses sits above certification, so it pushes its figure here through
    ``services.record_attendance_rate``; eligibility reads only this table. One row per person
    and certification, replaced by each new figure.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="attendance_records",
        verbose_name=_("person"),
    )
    certification = models.ForeignKey(
        Certification,
        on_delete=models.CASCADE,
        related_name="attendance_records",
        verbose_name=_("certification"),
    )
    rate = models.DecimalField(_("attendance (%)"), max_digits=5, decimal_places=2)
    source_reference = models.CharField(_("source reference"), max_length=100, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "certification"], name="attendance_one_per_person"
            ),
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lte=100), name="attendance_rate_percentage"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rate} %"


# --- Certificates ------------------------------------------------------------------------------


class CertificateQuerySet(models.QuerySet):
    def valid(self) -> "CertificateQuerySet":
        return self.filter(status=Certificate.Status.VALID)


class Certificate(models.Model):
    """What one person receives: immutable once issued. Only its status changes (through
    services, with a history row); the PDF is rendered once and always served as stored."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("holder"),
    )
    certification = models.ForeignKey(
        Certification,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("certification"),
    )
    cycle = models.PositiveSmallIntegerField(
        _("cycle"), default=1, help_text=_("1 for the first award, then one more per renewal.")
    )
    code = models.CharField(_("verification code"), max_length=19, unique=True)
    register_number = models.PositiveIntegerField(_("register number"))
    name_as_printed = models.CharField(_("name as printed"), max_length=200)
    framework = models.ForeignKey(
        CompetencyFramework,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("framework version"),
    )
    language = models.CharField(_("language"), max_length=2, default="fr")
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Empty: valid for life.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.VALID
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    renewed_from = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewal",
        verbose_name=_("renews"),
    )
    # Name of the PDF inside storages["private"] (never a public URL).
    pdf_name = models.CharField(_("PDF file"), max_length=255, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            # Never twice for the same cycle, even if two coordinators click at once.
            models.UniqueConstraint(
                fields=["holder", "certification", "cycle"], name="certificate_once_per_cycle"
            ),
            models.UniqueConstraint(
                fields=["certification", "register_number"],
                name="certificate_register_number_unique",
            ),
        ]
        permissions = [
            ("issue_certificate", _("Can issue certificates")),
            ("revoke_certificate", _("Can revoke, suspend and reinstate certificates")),
        ]

    # Once issued, what the certificate says never changes; only its status (and the stored PDF
    # reference, written once) may be updated, always with explicit update_fields.
    MUTABLE_FIELDS = frozenset(
        {"status", "revoked_at", "revocation_reason", "pdf_name", "pdf_sha256"}
    )

    def __str__(self) -> str:
        return f"{self.certification} · {self.code}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            update_fields = kwargs.get("update_fields")
            if update_fields is None or not set(update_fields) <= self.MUTABLE_FIELDS:
                raise CertificateIsImmutable(
                    _("An issued certificate never changes; revoke it or renew it instead.")
                )
        super().save(*args, **kwargs)

    @property
    def verification_url(self) -> str:
        return f"{settings.SITE_URL}/v/{self.code}"

    @property
    def register_label(self) -> str:
        return f"{self.register_number:05d}"

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.VALID


class CertificateIsImmutable(Exception):
    """Raised when code tries to change what an issued certificate says."""


class CertificateStatusHistoryIsAppendOnly(Exception):
    """Raised when code tries to change or delete a row of a certificate's status history."""


class CertificateStatusChangeQuerySet(models.QuerySet):
    # Append-only like the ledger and the audit trail: no bulk update or delete either.
    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise CertificateStatusHistoryIsAppendOnly("A certificate's history is never changed.")

    def delete(self):  # type: ignore[no-untyped-def]
        raise CertificateStatusHistoryIsAppendOnly("A certificate's history is never deleted.")


class CertificateStatusChange(StatusChange):
    """History of a certificate's status: who changed it, when and why. Append-only: it is the
    record of every suspension and revocation a verifier may ask about."""

    # PROTECT: a certificate is never deleted (it is a legal record, kept even on erasure), and
    # a delete must not silently take its history with it.
    certificate = models.ForeignKey(
        Certificate,
        on_delete=models.PROTECT,
        related_name="status_changes",
        verbose_name=_("certificate"),
    )
    from_status = models.CharField(
        _("previous status"), max_length=10, choices=Certificate.Status.choices, blank=True
    )
    to_status = models.CharField(_("new status"), max_length=10, choices=Certificate.Status.choices)
    # PROTECT: who changed a certificate's status stays on the record.
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    objects = CertificateStatusChangeQuerySet.as_manager()

    class Meta(StatusChange.Meta):
        verbose_name = _("certificate status change")
        verbose_name_plural = _("certificate status changes")

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None or not self._state.adding:
            raise CertificateStatusHistoryIsAppendOnly("A certificate's history is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise CertificateStatusHistoryIsAppendOnly("A certificate's history is never deleted.")


class PrintedName(models.Model):
    """How a person wants their name printed on certificates (their choice, kept apart)."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="printed_name",
        verbose_name=_("person"),
    )
    name = models.CharField(_("name as printed"), max_length=200)

    class Meta:
        verbose_name = _("name as printed")
        verbose_name_plural = _("names as printed")

    def __str__(self) -> str:
        return self.name
