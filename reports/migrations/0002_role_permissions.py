"""Who sees the statistics and the monthly reports (SPEC §12)."""

from django.db import migrations

from accounts.migrations import _helpers

GRANTS = {
    "archivist": ["view_statistics", "view_monthlyreport"],
    "archive_head": ["view_statistics", "view_monthlyreport"],
    "auditor": ["view_statistics", "view_monthlyreport"],
    "executive": ["view_statistics", "view_monthlyreport"],
}


def grant(apps, schema_editor):
    _helpers.grant_permissions(apps, "reports", GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("accounts", "0002_roles"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
