"""Fixtures: a small company for the viewing and lending tests.

Two customer-service departments (CS1, CS2), an "other" department (finance),
the archive, one person per role, and archived records of each department.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from accounts.models import Department
from archives.models import ArchiveRecord
from archives.services.records import record_accept
from archives.services.records import records_submit
from tests.factories import BoxFactory
from tests.factories import CustomerFactory
from tests.factories import DepartmentFactory
from tests.factories import RecordFactory
from tests.factories import UserFactory

Level = ArchiveRecord.Confidentiality


@dataclass
class World:
    cs1: Department
    cs2: Department
    finance: Department
    staff: object  # cs_staff of CS1, responsible for `customer`
    staff2: object  # cs_staff of CS1, responsible for nobody
    supervisor: object  # cs_supervisor of CS1
    cs2_supervisor: object
    finance_clerk: object  # cs_staff role is not needed: other department
    finance_head: object  # dept_head of finance
    cs1_head: object  # dept_head of CS1
    archivist: object
    archivist2: object
    archive_head: object
    archive_head2: object
    executive: object
    front_desk: object
    auditor: object
    admin: object
    own: ArchiveRecord  # CS1, internal, customer of staff
    confidential: ArchiveRecord  # CS1, confidential, customer of staff
    cs2_record: ArchiveRecord  # CS2, internal
    other_own: ArchiveRecord  # CS1, internal, another customer


def _archived(*, filer, archivist, box, **fields):
    record = RecordFactory(created_by=filer, **fields)
    records_submit(actor=filer, records=[record])
    return record_accept(actor=archivist, record=record, box=box)


@pytest.fixture
def world(db):
    return build_world()


def build_world() -> World:
    """The people and records of ``world``, for a fixture of another scope."""
    cs1 = DepartmentFactory(code="CS1", name="客服一部")
    cs2 = DepartmentFactory(code="CS2", name="客服二部")
    finance = DepartmentFactory(code="FIN", name="财务部", kind="other")
    archive = DepartmentFactory(code="ARC", name="档案室", kind="archive")
    management = DepartmentFactory(code="MGT", name="总经办", kind="management")

    def person(username, name, role, department):
        return UserFactory(
            username=username,
            display_name=name,
            role=role,
            department=department,
            email=f"{username}@example.com",
        )

    staff = person("zhang", "张敏", "cs_staff", cs1)
    supervisor = person("wang", "王主管", "cs_supervisor", cs1)
    staff.supervisor = supervisor
    staff.save()
    archivist = person("li", "李档案", "archivist", archive)
    box = BoxFactory(code="GT-2023-001")
    customer = CustomerFactory(name="华东机械", responsible_staff=staff)
    filer2 = person("qian", "钱二", "cs_staff", cs2)
    w = World(
        cs1=cs1,
        cs2=cs2,
        finance=finance,
        staff=staff,
        staff2=person("zhao", "赵静", "cs_staff", cs1),
        supervisor=supervisor,
        cs2_supervisor=person("sun", "孙主管", "cs_supervisor", cs2),
        finance_clerk=person("zhou", "周会计", "cs_staff", finance),
        finance_head=person("wu", "吴部长", "dept_head", finance),
        cs1_head=person("zheng", "郑经理", "dept_head", cs1),
        archivist=archivist,
        archivist2=person("chen", "陈档案", "archivist", archive),
        archive_head=person("lin", "林主任", "archive_head", archive),
        archive_head2=person("he", "何副主任", "archive_head", archive),
        executive=person("gao", "高总", "executive", management),
        front_desk=person("xu", "许前台", "front_desk", cs1),
        auditor=person("shen", "沈审计", "auditor", management),
        admin=person("root", "管理员", "admin", management),
        own=_archived(
            filer=staff,
            archivist=archivist,
            box=box,
            customer=customer,
            title="客户投诉送货延迟",
        ),
        confidential=_archived(
            filer=staff,
            archivist=archivist,
            box=box,
            customer=customer,
            title="大客户合同纠纷",
            confidentiality=Level.CONFIDENTIAL,
        ),
        cs2_record=_archived(
            filer=filer2, archivist=archivist, box=box, title="邮件咨询发票"
        ),
        other_own=_archived(
            filer=supervisor, archivist=archivist, box=box, title="电话回访满意度"
        ),
    )
    return w


@pytest.fixture
def window():
    """Tomorrow from 09:00 to 17:00, local time."""
    day = timezone.localdate() + datetime.timedelta(days=1)
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(day, datetime.time(9), tz),
        datetime.datetime.combine(day, datetime.time(17), tz),
    )
