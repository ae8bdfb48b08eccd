"""Helpers for the data migrations that give roles their permissions.

Kept stable on purpose: landed migrations call them.
"""

from django.contrib.auth.management import create_permissions


def ensure_permissions(apps) -> None:
    """Create the Permission rows now; Django would only do it after migrate."""
    for app_config in apps.get_app_configs():
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = original


def grant_permissions(apps, app_label: str, grants: dict[str, list[str]]) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ensure_permissions(apps)
    for role, codenames in grants.items():
        group, _ = Group.objects.get_or_create(name=role)
        perms = Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )
        missing = set(codenames) - set(perms.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Unknown permissions for {role}: {sorted(missing)}")
        group.permissions.add(*perms)
