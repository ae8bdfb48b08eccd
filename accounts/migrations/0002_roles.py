"""The roles of SPEC §1 as groups, and the account permissions of the admin role.

Each app grants its own permissions to these groups in its own migration.
"""

from django.db import migrations

from accounts.migrations import _helpers

ROLES = [
    "archivist", "archive_head", "cs_staff", "cs_supervisor", "dept_head",
    "executive", "front_desk", "auditor", "admin",
]
ADMIN_ACCOUNT_PERMISSIONS = [
    "add_user", "change_user", "view_user",
    "add_department", "change_department", "view_department",
]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)
    _helpers.grant_permissions(apps, "accounts", {"admin": ADMIN_ACCOUNT_PERMISSIONS})
    _helpers.grant_permissions(apps, "auth", {"admin": ["view_group"]})


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
