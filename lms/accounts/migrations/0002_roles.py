"""Create the five role groups and give coordinators access to the Wagtail admin."""

from django.db import migrations

from lms.accounts.migration_utils import ensure_permissions, grant

ROLES = ["trainee", "trainer", "coordinator", "assessor", "partner"]

COORDINATOR_PERMISSIONS = [
    "wagtailadmin.access_admin",
    "accounts.view_user",
    "accounts.add_user",
    "accounts.change_user",
]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role in ROLES:
        Group.objects.get_or_create(name=role)
    ensure_permissions(apps, "accounts")
    grant(apps, "coordinator", COORDINATOR_PERMISSIONS)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
