from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StatusChange(models.Model):
    """What every status history shares: who changed the status, when and why.

    A subclass adds its link to the parent row and ``from_status``/``to_status`` with the
    parent's choices. ``changed_by`` is SET_NULL here; a history that must keep the person
    (a certificate, a VAE candidacy) redeclares it with PROTECT.
    """

    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    from_status: str
    to_status: str

    class Meta:
        abstract = True
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"


class WorkerHeartbeat(models.Model):
    """Written by a periodic Celery task: proof that a worker picks up and runs tasks."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    worker = models.CharField(_("worker"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"{self.worker} @ {self.created_at:%Y-%m-%d %H:%M:%S}"


class FailedTask(models.Model):
    """A background task that failed for good (after its retries), for a coordinator to retry.

    Only the task's name, its arguments (ids, by design) and the type of the error are kept:
    an error's message may quote personal data.
    """

    task_name = models.CharField(_("task"), max_length=200)
    task_id = models.CharField(_("task id"), max_length=64, unique=True)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("named arguments"), default=dict, blank=True)
    exception_type = models.CharField(_("error"), max_length=200)
    failed_at = models.DateTimeField(_("failed at"), auto_now_add=True, db_index=True)
    retried_at = models.DateTimeField(_("retried at"), null=True, blank=True)
    retried_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("retried by"),
    )
    retry_task_id = models.CharField(_("retry task id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("failed task")
        verbose_name_plural = _("failed tasks")
        ordering = ["-failed_at"]

    def __str__(self) -> str:
        return f"{self.task_name} ({self.exception_type})"
