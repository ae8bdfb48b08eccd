"""What each role may do with viewing, lending and owners (SPEC §1, §6–§8)."""

from django.db import migrations

from accounts.migrations import _helpers

GRANTS = {
    "archivist": [
        "handle_accessrequest", "view_accessrequest", "view_registers",
        "serve_ownerrequest", "view_ownerrequest", "clear_departure", "view_usageevent",
        "add_accessrequest", "sign_accessrequest",
    ],
    "archive_head": [
        "view_accessrequest", "view_registers", "view_ownerrequest",
        "clear_departure", "view_usageevent", "view_approvalrule",
        "add_accessrequest", "sign_accessrequest", "decide_extension",
    ],
    "cs_staff": ["add_accessrequest"],
    "cs_supervisor": [
        "approve_ownerrequest", "view_ownerrequest", "add_accessrequest",
        "sign_accessrequest",
    ],
    "dept_head": ["add_accessrequest", "sign_accessrequest"],
    "executive": ["add_accessrequest", "sign_accessrequest"],
    "front_desk": ["add_ownerrequest", "view_ownerrequest"],
    "auditor": [
        "view_accessrequest", "view_registers", "view_ownerrequest", "view_usageevent",
        "view_approvalrule",
    ],
    "admin": [
        "add_approvalrule", "change_approvalrule", "view_approvalrule",
        "add_approvalrulestep", "change_approvalrulestep", "view_approvalrulestep",
        "delete_approvalrulestep", "add_holiday", "change_holiday", "view_holiday",
        "delete_holiday",
    ],
}


def grant(apps, schema_editor):
    _helpers.grant_permissions(apps, "lending", GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("lending", "0002_default_rules"),
        ("accounts", "0002_roles"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
