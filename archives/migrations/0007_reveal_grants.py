"""Who may see customers' full contact details (each reveal is logged)."""

from django.db import migrations

from accounts.migrations import _helpers

GRANTS = {"archivist": ["reveal_customer"], "archive_head": ["reveal_customer"]}


def grant(apps, schema_editor):
    _helpers.grant_permissions(apps, "archives", GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("archives", "0006_personal_data_encrypted"),
        ("accounts", "0002_roles"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
