"""Give coordinators the partner API key screens (list, create, revoke) in the Wagtail admin."""

from django.db import migrations

from lms.accounts.migration_utils import ensure_permissions, grant

COORDINATOR_PERMISSIONS = [
    "verification.view_apikey",
    "verification.add_apikey",
    "verification.change_apikey",
]


def grant_permissions(apps, schema_editor):
    ensure_permissions(apps, "verification")
    grant(apps, "coordinator", COORDINATOR_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("verification", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
