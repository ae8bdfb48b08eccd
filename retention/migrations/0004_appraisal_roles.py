"""Who appraises, approves, destroys, holds and runs the checks (SPEC §9, §10),
and the facilities checklist of S0 §3.2 as data.
"""

from django.db import migrations

from accounts.migrations import _helpers

GRANTS = {
    "archivist": [
        "view_hold", "view_appraisal", "execute_destruction",
        "run_checks", "view_checkrun",
    ],
    "archive_head": [
        "add_hold", "change_hold", "view_hold",
        "organise_appraisal", "view_appraisal", "execute_destruction",
        "run_checks", "view_checkrun", "add_incident",
    ],
    "executive": ["approve_destruction", "view_appraisal"],
    "cs_supervisor": ["view_checkrun"],
    "auditor": ["view_hold", "view_appraisal", "view_checkrun"],
    "admin": [
        "change_retentionrule", "view_retentionrule",
        "add_facilityitem", "change_facilityitem", "view_facilityitem",
    ],
}

# S0 §3.2: fire, damp and pests, theft; the store and its backup.
FACILITY_ITEMS = [
    "灭火器与自动喷水灭火系统",
    "除湿机与温湿度计",
    "防虫网与虫害、鼠害迹象",
    "门禁系统与权限",
    "监控摄像头",
    "门窗、门锁与电源",
    "服务器与存储设备（冗余备份）",
]


def forward(apps, schema_editor):
    _helpers.grant_permissions(apps, "retention", GRANTS)
    FacilityItem = apps.get_model("retention", "FacilityItem")
    for order, name in enumerate(FACILITY_ITEMS):
        FacilityItem.objects.get_or_create(name=name, defaults={"sort_order": order})


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0003_appraisal_checks"),
        ("accounts", "0002_roles"),
    ]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
