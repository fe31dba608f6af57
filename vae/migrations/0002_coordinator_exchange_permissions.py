"""Coordinators may export VAE outcomes (decision facts only; data exchange)."""

from django.db import migrations

from lms.accounts.migration_utils import ensure_permissions, grant


def grant_coordinators(apps, schema_editor):
    ensure_permissions(apps, "vae")
    grant(apps, "coordinator", ["vae.view_jurydecision"])


class Migration(migrations.Migration):
    dependencies = [
        ("vae", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant_coordinators, migrations.RunPython.noop)]
