"""Give coordinators the certification permissions (frameworks, rules, ledger, certificates)."""

from django.db import migrations

from lms.accounts.migration_utils import ensure_permissions, grant

COORDINATOR_PERMISSIONS = [
    "certification.view_competencyframework",
    "certification.add_competencyframework",
    "certification.change_competencyframework",
    "certification.view_competencyblock",
    "certification.view_competency",
    "certification.view_certification",
    "certification.add_certification",
    "certification.change_certification",
    "certification.view_certificationrules",
    "certification.change_certificationrules",
    "certification.view_ledgerentry",
    "certification.add_ledgerentry",
    "certification.view_certificate",
    "certification.issue_certificate",
    "certification.revoke_certificate",
    "certification.view_attendancerecord",
]


def grant_permissions(apps, schema_editor):
    ensure_permissions(apps, "certification")
    grant(apps, "coordinator", COORDINATOR_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0002_ledger_rules_certificates"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
