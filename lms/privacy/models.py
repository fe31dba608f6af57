"""Consent records, data exports and erasure requests."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The version of the privacy notice (templates/privacy/privacy_page.html). Raise it whenever
# what the page says changes: a consent records the version the person saw.
PRIVACY_NOTICE_VERSION = "2026-11"


class ConsentRecord(models.Model):
    """A person's consent to one purpose: which text version, when given, when withdrawn.

    Consents that belong to one record live beside it (the lived-experience consent of a VAE
    candidacy, in vae); the "My data" page lists both through the privacy registry.
    """

    class Purpose(models.TextChoices):
        PRIVACY_NOTICE = "privacy_notice", _("I have read the privacy notice")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="consent_records",
        verbose_name=_("person"),
    )
    purpose = models.CharField(_("purpose"), max_length=40, choices=Purpose.choices)
    text_version = models.CharField(_("text version"), max_length=20)
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "purpose", "text_version"],
                condition=Q(withdrawn_at__isnull=True),
                name="privacy_one_active_consent_per_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.purpose} v{self.text_version}"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


class DataExport(models.Model):
    """A "download my data" archive, built by a task into the private storage."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready to download")
        FAILED = "failed", _("Could not be prepared")
        EXPIRED = "expired", _("Expired and deleted")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="data_exports",
        verbose_name=_("person"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    ready_at = models.DateTimeField(_("ready at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    # Name inside storages["private"]: random, never derived from the person.
    file_name = models.CharField(max_length=255, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.status}"

    @property
    def downloadable(self) -> bool:
        return (
            self.status == self.Status.READY
            and self.expires_at is not None
            and self.expires_at > timezone.now()
        )


class ErasureRequest(models.Model):
    """A person's request to be erased; a coordinator reviews and confirms or declines it.

    The row stays after the erasure as the record that it happened: it points at the
    pseudonymised account and holds counts only, never the erased values.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        COMPLETED = "completed", _("Erased")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled by the person")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="erasure_requests",
        verbose_name=_("person"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    reason = models.TextField(
        _("reason"),
        blank=True,
        help_text=_("Why you confirm or decline. Do not write the person's name or details."),
    )
    counts = models.JSONField(_("what was erased"), default=dict, blank=True)

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="pending"),
                name="privacy_one_pending_erasure_request",
            )
        ]
        permissions = [("handle_erasure", _("Can review and carry out erasure requests"))]

    def __str__(self) -> str:
        return f"#{self.pk} {self.status}"

    @property
    def reference(self) -> str:
        return f"ERA-{self.pk:05d}"
