"""Who sees what in the catalogue and on record pages (SPEC §6, §13)."""

import pytest
from django.urls import reverse

from archives.models import ArchiveRecord
from archives.permissions import record_grant_view
from archives.services.records import record_accept
from archives.services.records import records_submit
from tests.factories import BoxFactory
from tests.factories import DepartmentFactory
from tests.factories import RecordFactory
from tests.factories import UserFactory
from tests.test_list_query_counts import AUDIT_QUERIES


@pytest.fixture
def archived(staff, archivist, gt_box):
    """Three archived records: two of staff's department, one of another."""
    other_staff = UserFactory(role="cs_staff", department=DepartmentFactory(code="CS2"))
    records = [
        RecordFactory(created_by=staff, title="客户投诉送货延迟"),
        RecordFactory(
            created_by=staff,
            title="电话回访满意度",
            confidentiality=ArchiveRecord.Confidentiality.CONFIDENTIAL,
        ),
        RecordFactory(created_by=other_staff, title="邮件咨询发票"),
    ]
    for record in records:
        records_submit(actor=record.created_by, records=[record])
        record_accept(actor=archivist, record=record, box=gt_box)
    return records


def _titles(client, **params):
    response = client.get(reverse("archives:catalogue"), params)
    assert response.status_code == 200
    return sorted(r.title for r in response.context["page"])


def test_archivist_sees_everything(client, archivist, archived):
    client.force_login(archivist)
    assert len(_titles(client)) == 3


def test_staff_see_what_they_filed_but_not_other_departments(client, staff, archived):
    client.force_login(staff)
    assert _titles(client) == ["客户投诉送货延迟", "电话回访满意度"]


def test_supervisor_sees_own_department_up_to_internal(client, staff, archived):
    supervisor = UserFactory(role="cs_supervisor", department=staff.department)
    client.force_login(supervisor)
    assert _titles(client) == ["客户投诉送货延迟"]


def test_front_desk_and_admin_see_no_records(client, archived):
    for role in ("front_desk", "admin", "executive"):
        client.force_login(UserFactory(role=role))
        assert _titles(client) == []


def test_a_grant_shows_exactly_that_record(client, archived):
    executive = UserFactory(role="executive")
    record_grant_view(record=archived[2], user=executive)
    client.force_login(executive)
    assert _titles(client) == ["邮件咨询发票"]


def test_search_finds_chinese_in_title_and_number(client, archivist, archived):
    client.force_login(archivist)
    assert _titles(client, q="送货") == ["客户投诉送货延迟"]
    assert len(_titles(client, q="GT2023")) == 3
    assert _titles(client, q="GT20230101003") == ["邮件咨询发票"]


def test_traditional_and_simplified_characters_find_each_other(
    client, archivist, archived
):
    """Issue 19, item 15: 投訴 finds 投诉, and a title typed in Traditional
    characters is found by Simplified ones."""
    client.force_login(archivist)
    assert _titles(client, q="投訴") == ["客户投诉送货延迟"]
    assert _titles(client, q="送貨延遲") == ["客户投诉送货延迟"]
    RecordFactory(
        created_by=archivist,
        title="客戶來電諮詢發票",
        status="archived",
        number="GT20230105001",
        number_prefix="GT20230105",
        sequence_number=1,
    )
    assert "客戶來電諮詢發票" in _titles(client, q="咨询发票")
    assert "客戶來電諮詢發票" in _titles(client, q="諮詢")


def test_filters_combine(client, archivist, archived, gt_box):
    client.force_login(archivist)
    department = archived[2].source_department
    assert _titles(client, department=department.pk) == ["邮件咨询发票"]
    assert len(_titles(client, box=gt_box.code, status="archived")) == 3
    assert _titles(client, date_from="2023-01-02") == []


def test_inverted_date_range_is_explained_and_kept(client, archivist, archived):
    client.force_login(archivist)
    response = client.get(
        reverse("archives:catalogue"),
        {"date_from": "2023-02-01", "date_to": "2023-01-01", "q": "送货"},
    )
    assert "The end date is before the start date." in response.content.decode()
    assert 'value="送货"' in response.content.decode()


def test_the_unchosen_filters_come_from_the_cache_in_each_language(
    client, archivist, archived
):
    """Issue 22: rendered once per language; what a person chose is theirs;
    a new category shows at once."""
    from archives.models import Category

    client.force_login(archivist)
    url = reverse("archives:catalogue")
    first = client.get(url, {"q": "送货"}).content.decode()
    assert "All categories" in first
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get(url).content.decode()
    assert "全部类别" in chinese and "All categories" not in chinese
    client.cookies["django_language"] = "en"
    gt = Category.objects.get(code="GT")
    chosen = client.get(url, {"category": gt.pk}).content.decode()
    assert f'<option value="{gt.pk}" selected>' in chosen
    again = client.get(url).content.decode()
    assert f'<option value="{gt.pk}" selected>' not in again
    Category.objects.create(code="ZZ", name="新增类别", sort_order=99)
    assert "ZZ 新增类别" in client.get(url).content.decode()


@pytest.mark.parametrize("per_page", [20, 100])
def test_catalogue_query_count_does_not_grow_with_rows(
    client, archivist, staff, django_assert_max_num_queries, per_page
):
    box = BoxFactory(capacity=500)
    for _ in range(per_page):
        record = RecordFactory(created_by=staff)
        records_submit(actor=staff, records=[record])
        record_accept(actor=archivist, record=record, box=box)
    client.force_login(archivist)
    # The first page fills the cache (filter choices, header badges).
    client.get(reverse("archives:catalogue"))
    # 10, and the audit entry of the list read (tests/test_list_query_counts.py).
    with django_assert_max_num_queries(10 + AUDIT_QUERIES):
        response = client.get(reverse("archives:catalogue"), {"per_page": per_page})
    assert len(response.context["page"]) == per_page


def test_each_row_shows_its_place_and_its_department(
    client, archivist, archived, gt_box
):
    client.force_login(archivist)
    box = gt_box
    place = f"{box.shelf.storeroom.code}-{box.shelf.code}-{box.code}"
    response = client.get(reverse("archives:catalogue"))
    html = response.content.decode()
    # Three rows in the one box, each with its place and its department.
    assert html.count(f"<td>{place}</td>") == 3
    assert f"<td>{archived[2].source_department.name}</td>" in html
    assert [row.place for row in response.context["page"]] == [place] * 3


def test_each_row_names_its_department_in_the_readers_language(
    client, archivist, archived
):
    department = archived[0].source_department
    department.names = {"en": "Service Desk One"}
    department.save()
    client.force_login(archivist)
    english = client.get(reverse("archives:catalogue"), HTTP_ACCEPT_LANGUAGE="en")
    assert "<td>Service Desk One</td>" in english.content.decode()
    chinese = client.get(reverse("archives:catalogue"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert f"<td>{department.name}</td>" in chinese.content.decode()
    assert "Service Desk One" not in chinese.content.decode()


def test_record_page_is_404_for_those_who_may_not_see_it(client, archived):
    client.force_login(UserFactory(role="cs_staff"))
    response = client.get(archived[0].get_absolute_url())
    assert response.status_code == 404


def test_record_page_shows_number_location_retention_and_history(
    client, staff, archived
):
    client.force_login(staff)
    response = client.get(archived[0].get_absolute_url())
    html = response.content.decode()
    assert "GT20230101001" in html
    assert "GT-2023-001" in html
    assert "2026-01-01" in html  # disposal due: 3 years from the date formed
    assert 'data-testid="history-panel"' in html  # opened on request
    panel = client.get(
        reverse("archives:record-history", args=[archived[0].pk]),
        HTTP_HX_REQUEST="true",
    )
    history = [e.reason for e in panel.context["history"]]
    assert "Accepted as GT20230101001" in history
    assert "<html" not in panel.content.decode()  # the panel alone


def test_anonymous_visitors_are_sent_to_login(client, archived):
    response = client.get(archived[0].get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_filter_by_sub_code(client, archivist, staff, gt_box):
    from tests.factories import subcode

    email = RecordFactory(created_by=staff, title="邮件记录", codes={"channel": "YJ"})
    phone = RecordFactory(created_by=staff, title="电话记录", codes={"channel": "DH"})
    for record in (email, phone):
        records_submit(actor=staff, records=[record])
        record_accept(actor=archivist, record=record, box=gt_box)
    client.force_login(archivist)
    assert _titles(client, subcode=subcode("GT", "channel", "YJ").pk) == ["邮件记录"]
    page = client.get(reverse("archives:catalogue")).content.decode()
    assert "GT · Channel · YJ E-mail" in page


def test_records_indexed_before_the_folding_are_folded_by_the_migration(
    client, archivist, archived
):
    from importlib import import_module
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    from archives import search

    record = archived[0]
    # As the columns were kept before: Traditional characters as typed.
    ArchiveRecord.objects.filter(pk=record.pk).update(
        search_text="客戶投訴送貨延遲",
        search_grams=search.document_grams("客戶投訴送貨延遲"),
    )
    client.force_login(archivist)
    assert _titles(client, q="投诉") == []
    migration = import_module("archives.migrations.0009_search_folds_traditional")
    migration.fold_search(apps, SimpleNamespace(connection=connection))
    assert _titles(client, q="投诉") == ["客户投诉送货延迟"]
    assert _titles(client, q="投訴") == ["客户投诉送货延迟"]
