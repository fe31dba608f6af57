"""Helpers for data migrations that grant permissions to roles.

They take the historical ``apps`` registry, so they keep working as models change. Model
permissions are normally created after migrations (post_migrate); ``ensure_permissions`` creates
them early so that a migration can grant them on a fresh database.
"""

from django.contrib.auth.management import create_permissions


def ensure_permissions(apps, *app_labels: str) -> None:
    for label in app_labels:
        app_config = apps.get_app_config(label)
        # Historical app configs have no models module; create_permissions skips those.
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant(apps, role: str, permissions: list[str]) -> None:
    """Give the group named ``role`` each ``app_label.codename`` permission."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=role)
    for dotted in permissions:
        app_label, codename = dotted.split(".", 1)
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        group.permissions.add(permission)
