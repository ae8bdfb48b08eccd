"""The default category set of SPEC §2 (S0 §2): KH, GT, TS, PX.

The data is frozen here on purpose: a migration must do the same thing
forever, whatever later code does. Admins edit the rows afterwards.
"""

from django.db import migrations

CATEGORIES = [
    {
        "code": "KH", "name": "客户基本信息档案", "pattern": "KH{industry}{seq:3}",
        "customer": True, "retention": ("long_term", None, "formed"),
        "deadline": (None, "formed"), "order": 1,
        "dimensions": [
            ("industry", "行业", True, [
                ("ZZ", "制造业"), ("FW", "服务业"), ("JR", "金融业"),
                ("LS", "零售业"), ("XX", "信息技术业"),
            ]),
        ],
    },
    {
        "code": "GT", "name": "客服沟通记录档案", "pattern": "GT{YYYYMMDD}{seq:3}",
        "customer": True, "retention": ("years", 3, "formed"),
        "deadline": (None, "formed"), "order": 2,
        "dimensions": [
            ("channel", "沟通方式", True, [
                ("DH", "电话沟通"), ("YJ", "邮件沟通"), ("ZX", "在线聊天"),
                ("MT", "当面沟通"),
            ]),
        ],
    },
    {
        "code": "TS", "name": "客户投诉与建议档案", "pattern": "TS{nature}{status}{seq:3}",
        "customer": True, "retention": ("years", 3, "handled"),
        "deadline": (24, "received"), "order": 3,
        "dimensions": [
            ("nature", "性质", True, [
                ("ZL", "产品质量投诉"), ("TD", "服务态度投诉"), ("JY", "改进建议"),
            ]),
            ("status", "归档时处理状态", True, [
                ("YY", "已处理"), ("ZC", "正在处理"), ("WC", "未处理"),
            ]),
        ],
    },
    {
        "code": "PX", "name": "客服培训档案", "pattern": "PX{YYYYMM}{seq:3}",
        "customer": False, "retention": ("years", 3, "formed"),
        "deadline": (168, "formed"), "order": 4,
        "dimensions": [
            ("content", "培训内容", True, [
                ("ZY", "专业知识培训"), ("JQ", "沟通技巧培训"), ("LC", "服务流程培训"),
            ]),
        ],
    },
]


def create_categories(apps, schema_editor):
    Category = apps.get_model("archives", "Category")
    SubcodeDimension = apps.get_model("archives", "SubcodeDimension")
    Subcode = apps.get_model("archives", "Subcode")
    for spec in CATEGORIES:
        kind, years, start = spec["retention"]
        hours, anchor = spec["deadline"]
        category, _ = Category.objects.get_or_create(
            code=spec["code"],
            defaults={
                "name": spec["name"], "number_pattern": spec["pattern"],
                "requires_customer": spec["customer"], "retention_kind": kind,
                "retention_years": years, "retention_start": start,
                "submission_deadline_hours": hours, "deadline_anchor": anchor,
                "sort_order": spec["order"], "scheme": "default",
            },
        )
        for order, (key, name, required, codes) in enumerate(spec["dimensions"]):
            dimension, _ = SubcodeDimension.objects.get_or_create(
                category=category, key=key,
                defaults={"name": name, "required": required, "sort_order": order},
            )
            for code_order, (code, code_name) in enumerate(codes):
                Subcode.objects.get_or_create(
                    dimension=dimension, code=code,
                    defaults={"name": code_name, "sort_order": code_order},
                )


class Migration(migrations.Migration):
    dependencies = [("archives", "0001_initial")]
    operations = [migrations.RunPython(create_categories, migrations.RunPython.noop)]
