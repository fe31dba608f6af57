from django.db import migrations

from lms.accounts.migration_utils import ensure_permissions, grant


def grant_failed_tasks(apps, schema_editor):
    ensure_permissions(apps, "core")
    grant(apps, "coordinator", ["core.view_failedtask", "core.change_failedtask"])


class Migration(migrations.Migration):
    dependencies = [("core", "0002_failed_task"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(grant_failed_tasks, migrations.RunPython.noop)]
