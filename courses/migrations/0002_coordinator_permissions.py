"""Give coordinators the permissions to manage courses, sessions, places and enrolments."""

from django.db import migrations

from lms.accounts.migration_utils import ensure_permissions, grant

FULL = ["course", "module", "venue", "session", "meeting", "seatreservation", "exemption"]
COORDINATOR_PERMISSIONS = [
    *[f"courses.{action}_{model}" for model in FULL for action in ("view", "add", "change", "delete")],
    "courses.view_enrolment",
    "courses.change_enrolment",
    "courses.view_enrolmentstatuschange",
    "courses.view_sessionstatuschange",
]


def grant_coordinators(apps, schema_editor):
    ensure_permissions(apps, "courses")
    grant(apps, "coordinator", COORDINATOR_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant_coordinators, migrations.RunPython.noop)]
