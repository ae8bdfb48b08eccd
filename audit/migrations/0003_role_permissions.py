"""Who reads the audit log: the auditor (all of it) and the head of archives
(their own department's entries, narrowed in ``audit.selectors``)."""

from django.db import migrations

from accounts.migrations import _helpers

GRANTS = {"auditor": ["view_auditentry"], "archive_head": ["view_auditentry"]}


def grant(apps, schema_editor):
    _helpers.grant_permissions(apps, "audit", GRANTS)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
