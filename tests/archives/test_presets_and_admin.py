"""The S3 annual preset, and number patterns refused in Django admin."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from archives.models import ArchiveRecord
from archives.models import Category
from archives.services.files import file_ingest
from archives.services.records import record_accept
from archives.services.records import records_submit
from tests import samples
from tests.factories import RecordFactory
from tests.factories import UserFactory


def test_annual_preset_numbers_like_s3(staff, archivist):
    out = io.StringIO()
    call_command("load_numbering_preset", "annual", stdout=out)
    call_command("load_numbering_preset", "annual", stdout=out)
    assert Category.objects.filter(scheme="annual").count() == 6
    numbers = []
    for code, codes in [
        ("J", {}),
        ("Y", {"contract": "销售合同"}),
        ("Y", {"contract": "销售合同"}),
        ("G", {"channel": "电话"}),
        ("K", {"feedback": "满意度调查"}),
    ]:
        record = RecordFactory(
            created_by=staff,
            category=Category.objects.get(code=code),
            codes=codes,
            date_formed=datetime.date(2023, 1, 1),
            carrier=ArchiveRecord.Carrier.ELECTRONIC,
        )
        file_ingest(
            record=record, upload=ContentFile(samples.pdf(), name="x.pdf"), actor=staff
        )
        records_submit(actor=staff, records=[record])
        numbers.append(record_accept(actor=archivist, record=record).number)
    assert numbers == [
        "J2023001",
        "Y2023销售合同001",
        "Y2023销售合同002",
        "G2023电话001",
        "K2023满意度调查001",
    ]


@pytest.fixture
def admin_client(client, db):
    admin = UserFactory(role="admin", is_staff=True)
    client.force_login(admin)
    return client


def _category_post(pattern, dimension_key="industry"):
    return {
        "code": "KX",
        "name": "测试类别",
        "number_pattern": pattern,
        "requires_customer": "on",
        "lendable": "on",
        "deadline_anchor": "formed",
        "retention_kind": "years",
        "retention_years": "3",
        "retention_start": "formed",
        "scheme": "default",
        "active": "on",
        "sort_order": "9",
        "dimensions-TOTAL_FORMS": "1",
        "dimensions-INITIAL_FORMS": "0",
        "dimensions-MIN_NUM_FORMS": "0",
        "dimensions-MAX_NUM_FORMS": "1000",
        "dimensions-0-key": dimension_key,
        "dimensions-0-name": "行业",
        "dimensions-0-required": "on",
        "dimensions-0-sort_order": "0",
    }


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("KX{industry}", "needs exactly one {seq:N} sequence"),
        ("KX{seq:3}{industry}", "must come last"),
        ("GT{YYYYMM}{seq:3}", "Category GT already numbers"),
        ("KX{colour}{seq:3}", "is neither a date token nor a sub-code"),
    ],
)
def test_admin_refuses_patterns_that_cannot_give_unique_numbers(
    admin_client, pattern, message
):
    response = admin_client.post(
        reverse("admin:archives_category_add"), _category_post(pattern)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Category.objects.filter(code="KX").exists()


def test_admin_accepts_a_good_pattern_with_its_dimension(admin_client):
    response = admin_client.post(
        reverse("admin:archives_category_add"), _category_post("KX{industry}{seq:4}")
    )
    assert response.status_code == 302
    assert Category.objects.get(code="KX").dimensions.get().key == "industry"


def test_admin_role_does_not_see_records_in_admin(admin_client):
    response = admin_client.get("/admin/archives/archiverecord/")
    assert response.status_code == 403
