from django.db import migrations

from lms.accounts.migration_utils import ensure_permissions, grant


def grant_audit_view(apps, schema_editor):
    ensure_permissions(apps, "audit")
    grant(apps, "coordinator", ["audit.view_auditevent"])


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(grant_audit_view, migrations.RunPython.noop)]
