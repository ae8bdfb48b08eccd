"""The three administrators (三员分立, security issue item 6).

- admin (system administrator): accounts and configuration, as before, but
  no longer roles and rights: it keeps add/change/view of users and
  departments; the admin pages show it no roles, rights or flags.
- security_admin (security administrator): assigns roles and rights to
  others, ends anyone's API token; reads no records.
- security_auditor (security auditor): reads the whole audit log, the other
  administrators' actions included; reads no records.
"""

from django.db import migrations

from accounts.migrations import _helpers

GRANTS = {
    "security_admin": [
        "view_user", "assign_roles", "view_department", "view_apitoken",
        "revoke_apitoken",
    ],
}


def forward(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ("security_admin", "security_auditor"):
        Group.objects.get_or_create(name=name)
    _helpers.grant_permissions(apps, "accounts", GRANTS)
    _helpers.grant_permissions(apps, "auth", {"security_admin": ["view_group"]})
    _helpers.grant_permissions(apps, "audit", {"security_auditor": ["view_auditentry"]})


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_assign_roles"),
        ("audit", "0004_more_actions"),
    ]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
