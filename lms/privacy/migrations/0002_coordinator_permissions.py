from django.db import migrations

from lms.accounts.migration_utils import ensure_permissions, grant


def grant_permissions(apps, schema_editor):
    ensure_permissions(apps, "privacy")
    grant(apps, "coordinator", ["privacy.handle_erasure"])


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
