from django.db import migrations

from lms.accounts.migration_utils import ensure_permissions, grant


def grant_reports(apps, schema_editor):
    ensure_permissions(apps, "reports")
    grant(apps, "coordinator", ["reports.view_reports", "reports.export_research"])


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(grant_reports, migrations.RunPython.noop)]
