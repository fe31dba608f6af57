from django.db import models
from django.utils.translation import gettext_lazy as _


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
