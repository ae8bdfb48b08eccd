"""Who may see owners' full ID and phone numbers (each reveal is logged):
the front desk, who checks the owner's documents, and the head of archives."""

from django.db import migrations

from accounts.migrations import _helpers

GRANTS = {
    "front_desk": ["reveal_ownerrequest"],
    "archive_head": ["reveal_ownerrequest"],
}


def grant(apps, schema_editor):
    _helpers.grant_permissions(apps, "lending", GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("lending", "0005_personal_data_encrypted"),
        ("accounts", "0002_roles"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
