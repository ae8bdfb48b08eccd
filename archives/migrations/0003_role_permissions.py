"""What each role may do in the archive (SPEC §1, §6)."""

from django.db import migrations

from accounts.migrations import _helpers

GRANTS = {
    "archivist": [
        "add_archiverecord", "review_archiverecord", "view_all_records",
        "enter_storeroom", "view_storeroom", "view_shelf", "add_box", "change_box",
        "view_box", "add_storeroomentry", "view_storeroomentry", "add_customer",
        "change_customer", "view_customer",
    ],
    "archive_head": [
        "view_all_records", "enter_storeroom", "view_storeroom", "view_shelf",
        "view_box", "view_storeroomentry", "view_customer",
    ],
    "cs_staff": ["add_archiverecord", "view_customer"],
    "cs_supervisor": ["add_archiverecord", "view_department_records", "view_customer"],
    "dept_head": ["view_department_records", "view_customer"],
    "auditor": [
        "view_all_records", "view_storeroom", "view_shelf", "view_box",
        "view_storeroomentry", "view_customer",
    ],
    "admin": [
        "add_category", "change_category", "view_category",
        "add_subcodedimension", "change_subcodedimension", "view_subcodedimension",
        "delete_subcodedimension",
        "add_subcode", "change_subcode", "view_subcode", "view_numbersequence",
        "add_storeroom", "change_storeroom", "view_storeroom",
        "add_shelf", "change_shelf", "view_shelf", "add_box", "change_box", "view_box",
        "add_customer", "change_customer", "view_customer",
    ],
}


def grant(apps, schema_editor):
    _helpers.grant_permissions(apps, "archives", GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("archives", "0002_default_categories"),
        ("accounts", "0002_roles"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
