"""Competency frameworks and certifications (the programme and its rules)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
