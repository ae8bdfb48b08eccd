"""Demo viewing, lending and front-desk cases, through the real services.

Run after ``seed_demo``. Each queue of the demo users then has something in
it: the archivist's and the head's approvals, the desk, an overdue loan, an
owner waiting for the supervisor. Running it again adds nothing.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from django.utils import translation

from accounts.models import User
from archives.management.commands.seed_demo import DEMO_PASSWORD
from archives.models import ArchiveRecord
from lending.models import AccessRequest
from lending.services import owners
from lending.services.approvals import step_decide
from lending.services.circulation import hand_over
from lending.services.requests import access_request_create
from lending.services.requests import end_of_day
from lending.services.workdays import add_working_days


class Command(BaseCommand):
    help = "Load demo viewing and lending requests and owners at the front desk."

    def handle(self, *args, **options):
        translation.activate(settings.LANGUAGE_CODE)
        if AccessRequest.objects.exists():
            self.stdout.write("Demo requests already present; nothing added.")
            return
        people = {u.username: u for u in User.objects.filter(is_active=True)}
        missing = {"cs_staff", "sales_staff", "archivist", "archive_head"} - set(people)
        if missing:
            raise CommandError(f"Run seed_demo first (missing {sorted(missing)}).")
        with transaction.atomic():
            self._seed(people)
            self._partner(people)
        self.stdout.write(self.style.SUCCESS("Demo requests ready."))

    def _partner(self, people):
        """A law firm under a confidentiality agreement covering the GT
        records for a year, with one person who may ask (issue 20, item 1)."""
        from django.contrib.auth.models import Group
        from django.core.files.base import ContentFile
        from reportlab.platypus import Paragraph

        from archives.models import Category
        from core.pdfdoc import build
        from core.pdfdoc import styles
        from lending.services.partners import agreement_register
        from lending.services.partners import partner_member_add
        from lending.services.partners import partner_save

        head = people["archive_head"]
        person, created = User.objects.get_or_create(
            username="partner", defaults={"display_name": "刘律师（华信律所）"}
        )
        if created:
            person.set_password(DEMO_PASSWORD)
            person.save()
        person.groups.add(Group.objects.get(name="partner"))
        partner = partner_save(
            actor=head,
            partner=None,
            data={
                "code": "P01",
                "name": "华信律师事务所",
                "contact": "刘律师",
                "department": people["cs_staff"].department,
            },
        )
        partner_member_add(actor=head, partner=partner, person=person)
        today = timezone.localdate()
        text = build(
            [
                Paragraph(
                    "保密协议 BM-2026-01：华信律师事务所（演示）", styles()["title"]
                )
            ],
            "保密协议",
        )
        agreement_register(
            actor=head,
            partner=partner,
            number="BM-2026-01",
            valid_from=today,
            valid_until=today + datetime.timedelta(days=365),
            categories=[Category.objects.get(code="GT")],
            signed_file=ContentFile(text, name="agreement.pdf"),
        )

    def _shelf(self, **filters):
        return (
            ArchiveRecord.objects.filter(
                status="archived", box__isnull=False, **filters
            )
            .select_related("customer")
            .order_by("number_prefix", "sequence_number")
        )

    def _seed(self, p):
        now = timezone.now()
        today = timezone.localdate()
        tz = timezone.get_current_timezone()
        tomorrow = add_working_days(today, 1)
        morning = datetime.datetime.combine(tomorrow, datetime.time(9), tz)
        afternoon = datetime.datetime.combine(tomorrow, datetime.time(17), tz)
        cs1 = p["cs_staff"].department_id
        own = self._shelf(
            customer__responsible_staff=p["cs_staff"], confidentiality="internal"
        )
        cs1_records = self._shelf(source_department_id=cs1, confidentiality="internal")
        cs2_records = self._shelf(source_department=p["cs_staff2"].department)

        def ask(person, records, kind="viewing", **extra):
            return access_request_create(
                requester=person,
                kind=kind,
                numbers=" ".join(r.number for r in records),
                purpose=extra.pop("purpose"),
                starts_at=extra.pop("starts_at", morning),
                ends_at=extra.pop("ends_at", afternoon),
                **extra,
            )

        def sign(request, *people):
            for step, person in zip(request.steps.all(), people, strict=True):
                step_decide(step_id=step.pk, actor=person, approve=True)
            request.refresh_from_db()
            return request

        # 1. cs_staff asks for a record of their own customer: the archivist signs.
        ask(p["cs_staff"], own[:1], purpose="客户来电核实历史报修记录")
        # 2. A salesperson (another department): their head signed, the head of
        #    archives has not yet; the viewing will be accompanied.
        sign_first = ask(
            p["sales_staff"], cs1_records[1:3], purpose="续约前了解客户投诉情况"
        )
        step_decide(
            step_id=sign_first.steps.first().pk, actor=p["dept_head"], approve=True
        )
        # 3. The supervisor views another department's record today: approved,
        #    waiting at the desk.
        # Half an hour ago, but today: a loan cannot start yesterday (a
        # demo loaded just after midnight).
        midnight = timezone.localtime(now).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        start = max(now - datetime.timedelta(minutes=30), midnight)
        sign(
            ask(
                p["cs_supervisor"],
                cs2_records[:1],
                purpose="跨部门投诉协查",
                starts_at=start,
                ends_at=now + datetime.timedelta(hours=6),
            ),
            p["archive_head"],
        )
        # 4. The executive borrows two records; they are out.
        loan = sign(
            ask(
                p["executive"],
                cs1_records[3:5],
                kind="lending",
                purpose="季度经营会议材料",
                starts_at=start,
                due_on=add_working_days(today, 3),
            ),
            p["archive_head"],
        )
        hand_over(access_request=loan, actor=p["archivist"], receiver_confirmed=True)
        # 5. cs_staff2's loan is two days overdue (dates set back for the demo).
        late = sign(
            ask(
                p["cs_staff2"],
                cs2_records[1:2],
                kind="lending",
                purpose="整理年度服务报告",
                starts_at=start,
                due_on=add_working_days(today, 1),
            ),
            p["archive_head"],
        )
        hand_over(access_request=late, actor=p["archivist"], receiver_confirmed=True)
        overdue = today - datetime.timedelta(days=2)
        AccessRequest.objects.filter(pk=late.pk).update(
            due_on=overdue, ends_at=end_of_day(overdue)
        )
        # 6. Owners at the front desk: one waits for the supervisor, one for
        #    the archivist.
        base = {
            "id_type": "id_card",
            "proof_checked": True,
            "proof_description": "不动产权证书",
            "purpose": "核对房屋维修记录",
        }
        owners.owner_request_register(
            actor=p["front_desk"],
            data={
                **base,
                "owner_name": "刘建国",
                "id_number": "110101199003074514",
                "phone": "13800001111",
                "property_unit": "3栋1202室",
                "records_wanted": "2024年报修及回访记录",
            },
        )
        approved = owners.owner_request_register(
            actor=p["front_desk"],
            data={
                **base,
                "owner_name": "黄丽",
                "id_number": "440305198807120019",
                "phone": "13900002222",
                "property_unit": "5栋0801室",
                "records_wanted": "物业费争议投诉处理记录",
            },
        )
        owners.owner_request_decide(
            owner_request=approved, actor=p["cs_supervisor"], approve=True
        )
