"""Coordinators may import and export attendance and results (data exchange)."""

from django.db import migrations

from lms.accounts.migration_utils import ensure_permissions, grant

COORDINATOR_PERMISSIONS = [
    "grading.view_attendancerecord",
    "grading.change_attendancerecord",
    "grading.view_result",
    "grading.change_result",
]


def grant_coordinators(apps, schema_editor):
    ensure_permissions(apps, "grading")
    grant(apps, "coordinator", COORDINATOR_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("grading", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant_coordinators, migrations.RunPython.noop)]
