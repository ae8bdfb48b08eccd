"""Who sees and handles incidents (SPEC §11)."""

from django.db import migrations

from accounts.migrations import _helpers

GRANTS = {
    "archivist": ["add_incident", "change_incident", "view_incident"],
    "archive_head": ["change_incident", "view_incident"],
    "auditor": ["view_incident"],
}


def grant(apps, schema_editor):
    _helpers.grant_permissions(apps, "retention", GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0001_initial"),
        ("accounts", "0002_roles"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
