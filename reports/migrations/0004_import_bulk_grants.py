"""Who may import in bulk (security issue, item 12): the archivist, the
customer-service supervisors and the system administrator (customers'
master data); no longer every filer."""

from django.db import migrations

from accounts.migrations import _helpers

GRANTS = {
    "archivist": ["import_bulk"],
    "cs_supervisor": ["import_bulk"],
    "admin": ["import_bulk"],
}


def grant(apps, schema_editor):
    _helpers.grant_permissions(apps, "reports", GRANTS)


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_import_bulk"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
