"""The approval rules of SPEC §6 and §7 as data (frozen here; edit in admin).

Base rules are tried by priority, the first match gives the chain; additive
rules add their steps (the executive's sign-off on confidential records).
"""

from django.db import migrations

# kind, priority, requester role, relation, min level, additive, accompanied,
# description, [(approver role, scope)]
RULES = [
    ("viewing", 10, "cs_staff", "responsible", "public", False, False,
     "客服专员查阅自己负责客户的档案：档案管理员审批", [("archivist", "any")]),
    ("viewing", 20, "cs_supervisor", "any", "public", False, False,
     "客服主管查阅（本部门以外或机密）：档案部门负责人审批", [("archive_head", "any")]),
    ("viewing", 30, "executive", "any", "public", False, False,
     "公司领导查阅：档案部门负责人审批", [("archive_head", "any")]),
    ("viewing", 90, "", "any", "public", False, True,
     "其他人员查阅：本部门负责人签字，档案部门负责人审批，档案员陪同",
     [("dept_head", "requester"), ("archive_head", "any")]),
    ("viewing", 10, "", "any", "confidential", True, False,
     "机密、绝密档案：另需公司分管领导签字", [("executive", "any")]),
    ("lending", 90, "", "any", "public", False, False,
     "借阅：档案部门负责人审批", [("archive_head", "any")]),
    ("lending", 10, "", "any", "confidential", True, False,
     "机密、绝密档案：另需公司分管领导签字", [("executive", "any")]),
]


def create_rules(apps, schema_editor):
    Rule = apps.get_model("lending", "ApprovalRule")
    Step = apps.get_model("lending", "ApprovalRuleStep")
    for kind, priority, role, relation, level, additive, accompanied, text, steps in RULES:
        rule, created = Rule.objects.get_or_create(
            kind=kind,
            description=text,
            defaults={
                "priority": priority,
                "requester_role": role,
                "relation": relation,
                "min_level": level,
                "additive": additive,
                "accompanied": accompanied,
            },
        )
        if created:
            for position, (approver, scope) in enumerate(steps, start=1):
                Step.objects.create(
                    rule=rule, position=position, role=approver, scope=scope
                )


class Migration(migrations.Migration):
    dependencies = [("lending", "0001_initial")]
    operations = [migrations.RunPython(create_rules, migrations.RunPython.noop)]
