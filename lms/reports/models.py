"""The reports store nothing: this model only carries their permissions (no table)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Report(models.Model):
    class Meta:
        managed = False
        default_permissions = ()
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        permissions = [
            ("view_reports", _("Can see the reports")),
            ("export_research", _("Can download the anonymised research dataset")),
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
