"""Demo data: departments, one user per role, customers, storage, records.

Records go through the same services as the UI, so numbers, history and
custody are real. Running it again adds nothing.
"""

from __future__ import annotations

import datetime
import random

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils import translation

from accounts.models import Department
from accounts.models import User
from archives.models import ArchiveRecord
from archives.models import Box
from archives.models import Category
from archives.models import Customer
from archives.models import HandoverBatch
from archives.models import Shelf
from archives.models import Storeroom
from archives.models import Subcode
from archives.services import records as services
from archives.services.categories import category_preset_load
from archives.services.customers import family_member_add
from archives.services.customers import owner_save
from archives.services.handover import batch_hand_over
from archives.services.handover import batch_items_check

DEMO_PASSWORD = "Demo-pass-2026"  # noqa: S105 - the documented demo login

DEPARTMENTS = [
    ("CS1", "客服一部", Department.Kind.CUSTOMER_SERVICE),
    ("CS2", "客服二部", Department.Kind.CUSTOMER_SERVICE),
    ("ARC", "档案管理部", Department.Kind.ARCHIVE),
    ("MGT", "公司管理层", Department.Kind.MANAGEMENT),
    ("SAL", "销售部", Department.Kind.OTHER),
]
# username, name, role, department, staff
USERS = [
    ("archivist", "李档案", "archivist", "ARC", False),
    ("archive_head", "王主任", "archive_head", "ARC", False),
    ("cs_staff", "张敏", "cs_staff", "CS1", False),
    ("cs_staff2", "陈晓", "cs_staff", "CS2", False),
    ("cs_supervisor", "刘主管", "cs_supervisor", "CS1", False),
    ("dept_head", "赵经理", "dept_head", "SAL", False),
    ("executive", "周总", "executive", "MGT", False),
    ("front_desk", "孙前台", "front_desk", "CS1", False),
    ("auditor", "吴审计", "auditor", "MGT", False),
    ("admin", "系统管理员", "admin", "ARC", True),
    ("secadmin", "安全保密员", "security_admin", "ARC", True),
    ("secaudit", "安全审计员", "security_auditor", "MGT", False),
    ("sales_staff", "钱销售", "cs_staff", "SAL", False),
]
COMPANIES = [
    "华东机械制造",
    "鼎盛电子科技",
    "南方物流服务",
    "恒通金融服务",
    "百佳连锁零售",
    "星辰信息技术",
    "远航汽车配件",
    "金穗食品加工",
    "海纳家电",
    "瑞丰纺织",
    "蓝天环保设备",
    "中科软件",
    "宏达建材",
    "美好家居",
    "安泰保险代理",
    "博雅教育咨询",
    "天元医疗器械",
    "顺达快递",
    "新城物业管理",
    "锦绣服饰",
]
TOPICS = {
    "GT": [
        "客户来电咨询产品安装",
        "邮件反馈发票问题",
        "在线咨询退换货流程",
        "电话回访满意度",
        "客户询问维修进度",
        "当面沟通合同续签",
    ],
    "TS": [
        "产品外壳破损投诉",
        "送货延迟投诉",
        "客服人员态度投诉",
        "建议增加夜间服务时段",
        "产品说明书不清晰",
        "售后响应慢投诉",
    ],
    "KH": ["客户基本信息表", "客户组织架构图", "客户联系人信息"],
    "PX": [
        "新员工产品知识培训",
        "投诉处理沟通技巧培训",
        "服务流程规范培训",
        "年度服务礼仪培训",
    ],
}


class Command(BaseCommand):
    help = (
        "Load demo departments, users (one per role), customers, storage and records."
    )

    def add_arguments(self, parser):
        parser.add_argument("--records", type=int, default=300)

    def handle(self, *args, records: int, **options):
        # Reasons written into history use the site's language, as in the UI.
        translation.activate(settings.LANGUAGE_CODE)
        rng = random.Random(2026)
        with transaction.atomic():
            departments = self._departments()
            users = self._users(departments)
            customers = self._customers(rng, departments, users)
            boxes = self._storage(users)
        if ArchiveRecord.objects.filter(
            created_by__username__startswith="cs_"
        ).exists():
            self.stdout.write("Demo records already present; nothing added.")
        else:
            self._records(rng, records, users, customers, boxes)
            self._accepted_when_formed(rng)
        self._owner_dossier(users)
        self._handover_batch(users)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready. Log in as any of: {', '.join(u[0] for u in USERS)} "
                f"with password {DEMO_PASSWORD}"
            )
        )

    def _accepted_when_formed(self, rng):
        """A record formed in an earlier year was accepted then, a few days
        after it was formed: the annual reports of past years have figures."""
        now = timezone.now()
        for record in ArchiveRecord.objects.filter(accepted_at__isnull=False).only(
            "pk", "date_formed"
        ):
            formed = timezone.make_aware(
                datetime.datetime.combine(record.date_formed, datetime.time(10))
            )
            when = formed + datetime.timedelta(days=rng.randint(1, 10))
            if when < now:
                ArchiveRecord.objects.filter(pk=record.pk).update(accepted_at=when)

    def _owner_dossier(self, users):
        """S4's property-management categories and one owner's dossier with
        the family and two records (issue 20, item 6)."""
        if Customer.objects.filter(is_owner=True).exists():
            return
        category_preset_load(name="property")
        archivist, staff = users["archivist"], users["cs_staff"]
        owner = owner_save(
            actor=archivist,
            owner=None,
            data={
                "code": "YZ-3-1201",
                "name": "陈建国",
                "room": "3栋1201",
                "floor_area": "128.50",
                "layout": "三室两厅",
                "purchased_on": datetime.date(2019, 5, 20),
                "id_type": "id_card",
                "id_number": "11010519491231002X",
                "contact": "13812345678",
            },
        )
        family_member_add(
            actor=archivist,
            owner=owner,
            name="李秀英",
            relation="spouse",
            phone="13900001111",
        )
        family_member_add(actor=archivist, owner=owner, name="陈小明", relation="child")
        today = timezone.localdate()
        for code, key, sub, title in (
            ("FY", "fee", "WYF", "2025年度物业费缴纳记录"),
            ("YG", "channel", "DH", "业主来电反映电梯噪音"),
        ):
            category = Category.objects.get(code=code)
            record = services.record_create(
                actor=staff,
                category=category,
                data={
                    "title": title,
                    "customer": owner,
                    "date_formed": today - datetime.timedelta(days=40),
                    "carrier": "electronic",
                    "page_count": 1,
                    "confidentiality": "internal",
                    "keywords": "物业",
                    "description": "",
                },
                subcodes={
                    key: Subcode.objects.get(dimension__category=category, code=sub)
                },
                uploads=[ContentFile(f"{title}\n".encode(), name="记录.txt")],
            )
            services.records_submit(actor=staff, records=[record])
            services.record_accept(
                actor=archivist,
                record=record,
                override_reason="演示数据：病毒扫描服务未运行时仍予接收",
            )

    def _handover_batch(self, users):
        """The sales department checks its submissions first: a month's
        batch checked by its head and handed over, waiting for the archive's
        receipt (issue 20, item 2)."""
        if HandoverBatch.objects.exists():
            return
        staff, head = users["sales_staff"], users["dept_head"]
        department = staff.department
        department.batch_check = True
        department.save(update_fields=["batch_check"])
        category = Category.objects.get(code="PX")
        records = []
        for title in ("销售团队客户沟通技巧培训", "新产品售后政策培训"):
            records.append(
                services.record_create(
                    actor=staff,
                    category=category,
                    data={
                        "title": title,
                        "customer": None,
                        "date_formed": timezone.localdate()
                        - datetime.timedelta(days=10),
                        "carrier": "paper",
                        "page_count": 6,
                        "confidentiality": "internal",
                        "keywords": "培训",
                        "description": "",
                    },
                    subcodes={
                        d.key: d.subcodes.first() for d in category.dimensions.all()
                    },
                )
            )
        services.records_submit(actor=staff, records=records)
        batch = HandoverBatch.objects.get()
        batch_items_check(
            actor=head, batch=batch, items=batch.items.values_list("pk", flat=True)
        )
        batch_hand_over(actor=head, batch=batch)

    def _departments(self):
        return {
            code: Department.objects.get_or_create(
                code=code, defaults={"name": name, "kind": kind}
            )[0]
            for code, name, kind in DEPARTMENTS
        }

    def _users(self, departments):
        users = {}
        for username, name, role, dept, staff in USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "display_name": name,
                    "department": departments[dept],
                    "is_staff": staff,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            user.groups.add(Group.objects.get(name=role))
            users[username] = user
        for staff in ("cs_staff", "cs_staff2"):
            if users[staff].supervisor_id is None:
                users[staff].supervisor = users["cs_supervisor"]
                users[staff].save(update_fields=["supervisor"])
        return users

    def _customers(self, rng, departments, users):
        industries = list(
            Subcode.objects.filter(
                dimension__category__code="KH", dimension__key="industry"
            )
        )
        customers = []
        for index, company in enumerate(COMPANIES, start=1):
            staff = users["cs_staff"] if index % 2 else users["cs_staff2"]
            customer, _ = Customer.objects.get_or_create(
                code=f"C{index:04d}",
                defaults={
                    "name": f"{company}有限公司",
                    "industry": industries[index % len(industries)],
                    "region": rng.choice(Customer.Region.values),
                    "scale": rng.choice(Customer.Scale.values),
                    "responsible_staff": staff,
                    "department": staff.department,
                },
            )
            if not customer.contact_cipher:
                customer.set_contact(f"联系人 138{index:08d}")
                customer.save(update_fields=["contact_cipher", "contact_masked"])
            customers.append(customer)
        return customers

    def _storage(self, users):
        boxes = {}
        for room_code, room_name, codes in [
            ("R1", "第一档案库房", ["KH", "GT"]),
            ("R2", "第二档案库房", ["TS", "PX"]),
        ]:
            room, _ = Storeroom.objects.get_or_create(
                code=room_code, defaults={"name": room_name, "location": "办公楼B座3层"}
            )
            room.authorised.add(users["archivist"], users["archive_head"])
            for shelf_no, code in enumerate(codes, start=1):
                category = Category.objects.get(code=code)
                shelf, _ = Shelf.objects.get_or_create(
                    storeroom=room,
                    code=f"{code}-{shelf_no:02d}",
                    defaults={"category": category},
                )
                for year in (2023, 2024, 2025, 2026):
                    box, _ = Box.objects.get_or_create(
                        code=f"{code}-{year}-001",
                        defaults={
                            "shelf": shelf,
                            "category": category,
                            "year": year,
                            "capacity": 200,
                        },
                    )
                    boxes[(code, year)] = box
        return boxes

    def _records(self, rng, count, users, customers, boxes):
        categories = {c.code: c for c in Category.objects.all()}
        subcodes = {}
        for s in Subcode.objects.select_related("dimension__category"):
            subcodes.setdefault(
                (s.dimension.category.code, s.dimension.key), []
            ).append(s)
        weights = [("GT", 55), ("TS", 20), ("KH", 15), ("PX", 10)]
        # Final statuses: one of each first, then mostly archived.
        every = [
            "draft",
            "submitted",
            "returned",
            "archived",
            "in_viewing",
            "on_loan",
            "appraised",
            "destroyed",
            "lost",
            "damaged",
        ]
        weighted = (
            ["archived"] * 70
            + ["draft"] * 6
            + ["submitted"] * 8
            + ["returned"] * 4
            + ["in_viewing"] * 3
            + ["on_loan"] * 3
            + ["appraised"] * 2
            + ["destroyed"] * 1
            + ["lost"] * 1
            + ["damaged"] * 2
        )
        rng.shuffle(weighted)
        fates = every + weighted
        today = timezone.localdate()
        archivist = users["archivist"]
        for index in range(count):
            code = rng.choices([w[0] for w in weights], [w[1] for w in weights])[0]
            category = categories[code]
            staff = users["cs_staff"] if index % 3 else users["cs_staff2"]
            customer = rng.choice(
                [c for c in customers if c.responsible_staff_id == staff.pk]
            )
            formed = today - datetime.timedelta(days=rng.randint(1, 3 * 365))
            if fates[index % len(fates)] == "destroyed":
                formed = today - datetime.timedelta(
                    days=rng.randint(3 * 365 + 30, 3 * 365 + 200)
                )
            electronic = rng.random() < 0.25
            data = {
                "title": f"{rng.choice(TOPICS[code])}（{customer.name[:4]}）"
                if code != "PX"
                else rng.choice(TOPICS[code]),
                "customer": customer if category.requires_customer else None,
                "date_formed": formed,
                "carrier": "electronic" if electronic else "paper",
                "page_count": rng.randint(1, 12),
                "confidentiality": rng.choice(
                    ["public", "internal", "internal", "confidential"]
                ),
                "keywords": rng.choice(
                    ["售后", "投诉", "回访", "合同", "培训", "发票"]
                ),
                "description": "",
            }
            chosen = {
                key: rng.choice(options)
                for (cat, key), options in subcodes.items()
                if cat == code
            }
            if code == "TS":
                received = timezone.make_aware(
                    datetime.datetime.combine(formed, datetime.time(9, 30))
                )
                handled = chosen["status"].code == "YY"
                data.update(
                    received_at=received,
                    handling_status="handled" if handled else "in_progress",
                    handled_on=min(formed + datetime.timedelta(days=3), today)
                    if handled
                    else None,
                )
            uploads = []
            if electronic:
                uploads.append(
                    ContentFile(
                        f"{data['title']}\n{formed}\n".encode(), name="记录.txt"
                    )
                )
            fate = fates[index % len(fates)]
            with transaction.atomic():
                record = services.record_create(
                    actor=staff,
                    category=category,
                    data=data,
                    subcodes=chosen,
                    uploads=uploads,
                )
                if fate == "draft":
                    continue
                services.records_submit(actor=staff, records=[record])
                if fate == "returned":
                    services.record_return(
                        actor=archivist,
                        record=record,
                        reason="请补充客户签字页和联系电话。",
                    )
                    continue
                if fate == "submitted":
                    continue
                box = None if electronic else boxes[(code, formed.year)]
                record = services.record_accept(
                    actor=archivist,
                    record=record,
                    box=box,
                    # Used only if a check could not be made (no clamd here).
                    override_reason="演示数据：病毒扫描服务未运行时仍予接收",
                )
                # Viewing and loans come from real requests (seed_demo_lending).
                path = {
                    "destroyed": ["appraised", "destroyed"],
                    "in_viewing": [],
                    "on_loan": [],
                }.get(fate, [fate])
                for status in path:
                    if status != "archived":
                        services.record_transition(
                            record=record,
                            to_status=status,
                            actor=archivist,
                            reason="演示数据",
                        )
