"""Issue 19, items 7 and 8: the review queue pages, filters and accepts a
selection; a new box is offered in place; the archivist manages storerooms,
shelves and boxes in the archive's own pages."""

import datetime

import pytest
from django.urls import reverse

from archives.models import ArchiveRecord
from archives.models import Box
from archives.models import CustodyEvent
from archives.models import Shelf
from archives.models import Storeroom
from archives.services.records import record_accept
from archives.services.records import records_submit
from tests.factories import BoxFactory
from tests.factories import RecordFactory
from tests.factories import ShelfFactory
from tests.factories import UserFactory


def _submitted(staff, *dates, **kwargs):
    records = [
        RecordFactory(created_by=staff, date_formed=day, **kwargs) for day in dates
    ]
    records_submit(actor=staff, records=records)
    return records


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def gt_shelf(db):
    from archives.models import Category

    return ShelfFactory(code="GT-01", category=Category.objects.get(code="GT"))


def test_the_queue_pages_and_filters(client, staff, archivist):
    _submitted(staff, *[datetime.date(2023, 1, 1)] * 23)
    ts = RecordFactory(
        created_by=staff,
        category=ArchiveRecord.category.field.related_model.objects.get(code="TS"),
        title="投诉物业维修迟缓",
        codes={"nature": "ZL", "status": "YY"},
    )
    records_submit(actor=staff, records=[ts])
    client.force_login(archivist)
    first = client.get(reverse("archives:review-queue"), {"per_page": 20})
    assert len(first.context["page"]) == 20
    assert 'data-testid="pager"' in first.content.decode()
    only_ts = client.get(
        reverse("archives:review-queue"),
        {"category": ts.category_id},
    )
    assert [r.pk for r in only_ts.context["page"]] == [ts.pk]
    by_words = client.get(reverse("archives:review-queue"), {"q": "物业 维修"})
    assert [r.pk for r in by_words.context["page"]] == [ts.pk]
    # Traditional characters find the Simplified title (item 15).
    traditional = client.get(reverse("archives:review-queue"), {"q": "物業維修"})
    assert [r.pk for r in traditional.context["page"]] == [ts.pk]
    by_filer = client.get(reverse("archives:review-queue"), {"q": "zhang"})
    assert len(by_filer.context["page"]) == 24 or by_filer.context["page"].has_next
    none = client.get(reverse("archives:review-queue"), {"q": "没有这样的标题"})
    assert "No submission matches." in none.content.decode()
    bad = client.get(reverse("archives:review-queue"), {"category": "x"})
    assert bad.status_code == 400


def test_a_selection_is_accepted_into_new_boxes_in_the_queues_order(
    client, staff, archivist, gt_shelf
):
    old = _submitted(staff, datetime.date(2019, 9, 1), datetime.date(2019, 9, 1))
    new = _submitted(staff, datetime.date(2023, 1, 1))
    client.force_login(archivist)
    response = client.post(
        reverse("archives:review-accept-bulk"),
        {"record": [r.pk for r in old + new], "new_box_shelf": gt_shelf.pk},
        follow=True,
    )
    said = _messages(response)
    assert "Accepted 3 records: GT20190901001 to GT20230101001." in said
    # Both 2019 records were past their retention already: said, not hidden.
    assert any("past their retention" in m for m in said)
    numbers = {
        r.pk: (r.number, r.box.code)
        for r in ArchiveRecord.objects.select_related("box").filter(
            pk__in=[r.pk for r in old + new]
        )
    }
    assert numbers == {
        old[0].pk: ("GT20190901001", "GT-2019-001"),
        old[1].pk: ("GT20190901002", "GT-2019-001"),
        new[0].pk: ("GT20230101001", "GT-2023-001"),
    }
    assert set(Box.objects.values_list("shelf", flat=True)) == {gt_shelf.pk}
    assert not response.context["page"]


def test_a_refused_record_stays_in_the_queue_with_its_reason(
    client, staff, archivist, gt_box
):
    mine = RecordFactory(created_by=archivist, responsible_person=staff)
    records_submit(actor=archivist, records=[mine])
    others = _submitted(staff, datetime.date(2023, 1, 2))
    client.force_login(archivist)
    response = client.post(
        reverse("archives:review-accept-bulk"),
        {"record": [mine.pk, others[0].pk], "box": gt_box.pk},
        follow=True,
    )
    said = _messages(response)
    assert "Accepted 1 record: GT20230102001." in said
    assert (
        f"Not accepted: {mine.title}. You cannot accept a record you filed yourself."
        in said
    )
    assert [r.pk for r in response.context["page"]] == [mine.pk]


def test_a_full_box_refuses_the_rest_and_nothing_is_selected_says_so(
    client, staff, archivist
):
    box = BoxFactory(code="GT-2023-009", capacity=1)
    records = _submitted(staff, datetime.date(2023, 1, 1), datetime.date(2023, 1, 1))
    client.force_login(archivist)
    response = client.post(
        reverse("archives:review-accept-bulk"),
        {"record": [r.pk for r in records], "box": box.pk},
        follow=True,
    )
    said = _messages(response)
    assert "Accepted 1 record: GT20230101001." in said
    assert any("Box GT-2023-009 is full." in m for m in said)
    nothing = client.post(reverse("archives:review-accept-bulk"), {}, follow=True)
    assert "Select the records to accept." in _messages(nothing)


def test_the_review_page_offers_a_new_box_when_none_fits(
    client, staff, archivist, gt_shelf, gt_box
):
    (record,) = _submitted(staff, datetime.date(2019, 9, 1))
    client.force_login(archivist)
    page = client.get(reverse("archives:review-record", args=[record.pk]))
    form = page.context["accept_form"]
    assert form.no_box_fits
    assert form.initial["new_box_shelf"] == gt_shelf.pk
    assert "No GT box for 2019 has room" in page.content.decode()
    empty = client.post(reverse("archives:review-accept", args=[record.pk]), {})
    assert empty.status_code == 400
    text = empty.content.decode()
    assert "No GT box for 2019 has room: choose the shelf for a new box." in text
    assert "This field is required." not in text
    client.post(
        reverse("archives:review-accept", args=[record.pk]),
        {"new_box_shelf": gt_shelf.pk},
    )
    record.refresh_from_db()
    assert (record.number, record.box.code, record.box.year) == (
        "GT20190901001",
        "GT-2019-001",
        2019,
    )
    assert record.box.shelf == gt_shelf


def test_a_box_of_the_year_is_preselected_and_full_boxes_are_not_offered(
    client, staff, archivist, gt_box
):
    BoxFactory(code="GT-2023-FULL", capacity=1)
    full = Box.objects.get(code="GT-2023-FULL")
    (first,) = _submitted(staff, datetime.date(2023, 1, 1))
    record_accept(actor=archivist, record=first, box=full)
    (record,) = _submitted(staff, datetime.date(2023, 1, 1))
    client.force_login(archivist)
    form = client.get(reverse("archives:review-record", args=[record.pk])).context[
        "accept_form"
    ]
    offered = list(form.fields["box"].queryset.values_list("code", flat=True))
    assert "GT-2023-FULL" not in offered
    assert form.initial["box"] == gt_box.pk


def test_the_archivist_sets_up_storage_in_the_archives_own_pages(client, archivist):
    client.force_login(archivist)
    listing = client.get(reverse("archives:storeroom-list")).content.decode()
    assert "New storeroom" in listing
    client.post(
        reverse("archives:storeroom-create"),
        {"code": "R9", "name": "第九库房", "location": "B座4层"},
    )
    room = Storeroom.objects.get(code="R9")
    twice = client.post(
        reverse("archives:storeroom-create"), {"code": "R9", "name": "重复"}
    )
    assert twice.status_code == 400
    assert "A storeroom with the code R9 exists already." in twice.content.decode()
    client.post(
        reverse("archives:storeroom-edit", args=[room.pk]),
        {"code": "CHANGED", "name": "第九档案库房", "location": ""},
    )
    room.refresh_from_db()
    assert (room.code, room.name) == ("R9", "第九档案库房")
    gt = ArchiveRecord.category.field.related_model.objects.get(code="GT")
    client.post(
        reverse("archives:shelf-create", args=[room.pk]),
        {"code": "A1", "category": gt.pk},
    )
    shelf = Shelf.objects.get(storeroom=room, code="A1")
    response = client.post(
        reverse("archives:box-create", args=[shelf.pk]),
        {"category": gt.pk, "year": 2024, "capacity": 50, "code": ""},
    )
    box = Box.objects.get(shelf=shelf)
    assert response.url == reverse("archives:box-detail", args=[box.pk])
    assert (box.code, box.capacity, box.year) == ("GT-2024-001", 50, 2024)
    client.post(
        reverse("archives:box-create", args=[shelf.pk]),
        {"category": gt.pk, "year": 2024, "capacity": 50},
    )
    assert Box.objects.filter(code="GT-2024-002").exists()
    ts = ArchiveRecord.category.field.related_model.objects.get(code="TS")
    wrong = client.post(
        reverse("archives:box-create", args=[shelf.pk]),
        {"category": ts.pk, "year": 2024, "capacity": 50},
    )
    assert wrong.status_code == 400


def test_a_box_is_emptied_into_another_in_one_go(client, staff, archivist, gt_box):
    records = _submitted(staff, *[datetime.date(2023, 1, 1)] * 3)
    for record in records:
        record_accept(actor=archivist, record=record, box=gt_box)
    small = BoxFactory(code="GT-2023-SMALL", capacity=2)
    roomy = BoxFactory(code="GT-2023-ROOMY", capacity=10)
    client.force_login(archivist)
    page = client.get(reverse("archives:box-detail", args=[gt_box.pk])).content.decode()
    assert '<option value="GT-2023-ROOMY">' in page
    refused = client.post(
        reverse("archives:box-empty", args=[gt_box.pk]), {"into": small.code}
    )
    assert refused.status_code == 400
    assert (
        "Box GT-2023-SMALL has room for 2 more; this box holds 3."
        in refused.content.decode()
    )
    assert gt_box.records.count() == 3
    moved = client.post(
        reverse("archives:box-empty", args=[gt_box.pk]),
        {"into": roomy.code, "note": "旧盒破损"},
    )
    assert moved.url == reverse("archives:box-detail", args=[roomy.pk])
    assert roomy.records.count() == 3 and gt_box.records.count() == 0
    events = CustodyEvent.objects.filter(kind=CustodyEvent.Kind.MOVED)
    assert sorted(events.values_list("record", flat=True)) == sorted(
        r.pk for r in records
    )
    assert set(events.values_list("from_box", "to_box", "note")) == {
        (gt_box.pk, roomy.pk, "旧盒破损")
    }
    fewer = client.post(
        reverse("archives:box-edit", args=[roomy.pk]),
        {"shelf": roomy.shelf_id, "capacity": 2},
    )
    assert "it cannot take fewer" in fewer.content.decode()


@pytest.mark.parametrize("role", ["auditor", "cs_staff"])
def test_only_the_archive_manages_storage(client, role, gt_box):
    client.force_login(UserFactory(role=role))
    for name, args in [
        ("storeroom-create", []),
        ("shelf-create", [gt_box.shelf.storeroom_id]),
        ("shelf-edit", [gt_box.shelf_id]),
        ("box-create", [gt_box.shelf_id]),
        ("box-edit", [gt_box.pk]),
    ]:
        assert client.get(reverse(f"archives:{name}", args=args)).status_code == 403
    assert (
        client.post(reverse("archives:box-empty", args=[gt_box.pk])).status_code == 403
    )
    listing = client.get(reverse("archives:storeroom-list"))
    if role == "auditor":
        assert "New storeroom" not in listing.content.decode()
