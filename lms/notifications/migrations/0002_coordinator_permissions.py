from django.db import migrations

from lms.accounts.migration_utils import ensure_permissions, grant


def grant_outbox_view(apps, schema_editor):
    ensure_permissions(apps, "notifications")
    grant(apps, "coordinator", ["notifications.view_outboxemail", "notifications.change_outboxemail"])


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(grant_outbox_view, migrations.RunPython.noop)]
