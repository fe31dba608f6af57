"""An import started from the admin: the file kept privately, its check, its outcome."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """One uploaded file, from its check (dry run) to its import, with counts and row errors."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        CHECKING = "checking", _("Being checked")
        PREVIEWED = "previewed", _("Checked, waiting for confirmation")
        IMPORTING = "importing", _("Being imported")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Not imported")
        CANCELLED = "cancelled", _("Cancelled")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX (Excel)"
        JSON = "json", "JSON"

    RUNNING = (Status.CHECKING, Status.IMPORTING)

    exchange = models.CharField(_("dataset"), max_length=60, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    original_name = models.CharField(_("file name"), max_length=200)
    # Name of the uploaded file inside storages["private"] (never a public URL).
    stored_name = models.CharField(max_length=255, unique=True)
    file_format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.UPLOADED
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    new_count = models.PositiveIntegerField(_("new"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)
    error_count = models.PositiveIntegerField(_("rows with an error"), default=0)
    # [{"row": 3, "line": 4, "messages": ["…"]}], in the language of whoever ran the check.
    row_errors = models.JSONField(default=list, blank=True)
    # Errors not tied to one row (missing column, unreadable file) and notes (ignored columns).
    general_errors = models.JSONField(default=list, blank=True)
    notes = models.JSONField(default=list, blank=True)
    # A sample of the rows the check found: [{"line": 2, "type": "new", "label": "…"}].
    preview_rows = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now, db_index=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # The uploaded file is deleted some days after the import ended (it holds personal data).
    file_deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.exchange} #{self.pk}"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def can_confirm(self) -> bool:
        return (
            self.status == self.Status.PREVIEWED
            and not self.error_count
            and not self.general_errors
        )

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))
