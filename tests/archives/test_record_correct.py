"""Catalogue corrections after acceptance (issue 20, item 4): the archivist
corrects fields with a reason; the number never changes; the history and the
audit log keep the old values."""

from __future__ import annotations

from django.urls import reverse

from archives.models import ArchiveRecord
from audit.models import AuditEntry


def _form(record, **changes) -> dict:
    data = {
        "title": record.title,
        "customer": record.customer_id or "",
        "source_department": record.source_department_id,
        "responsible_person": record.responsible_person_id,
        "carrier": record.carrier,
        "page_count": record.page_count,
        "keywords": record.keywords,
        "description": record.description,
    }
    return {**data, **changes}


def test_the_archivist_corrects_the_catalogue_with_a_reason(client, world):
    record = world.own
    number, title = record.number, record.title
    client.force_login(world.archivist)
    url = reverse("archives:record-correct", args=[record.pk])
    assert client.get(url).status_code == 200
    assert AuditEntry.objects.filter(
        action="record_viewed", actor=world.archivist, target_id=str(record.pk)
    ).exists()  # the form shows the whole entry: a reading
    without = client.post(url, _form(record, title="客户投诉送货严重延迟"))
    assert without.status_code == 400
    assert "This field is required." in without.content.decode()
    done = client.post(
        url,
        _form(
            record,
            title="客户投诉送货严重延迟",
            page_count=3,
            reason="题名漏写“严重”，页数按原件核对",
        ),
    )
    assert done.status_code == 302, done.content.decode()[:3000]
    record = ArchiveRecord.objects.get(pk=record.pk)
    assert record.number == number  # a number never changes
    assert (record.title, record.page_count) == ("客户投诉送货严重延迟", 3)
    latest = record.history.first()
    assert latest.history_change_reason == "题名漏写“严重”，页数按原件核对"
    assert latest.prev_record.title == title
    entry = AuditEntry.objects.get(action="record_corrected")
    assert entry.details["before"]["title"] == title
    page = client.get(reverse("archives:record-history", args=[record.pk]))
    assert "题名漏写“严重”" in page.content.decode()  # the history shows why


def test_only_the_archive_corrects_and_only_what_changed(client, world):
    client.force_login(world.staff)  # the filer
    url = reverse("archives:record-correct", args=[world.own.pk])
    assert client.get(url).status_code == 403
    client.force_login(world.archivist)
    same = client.post(url, _form(world.own, reason="核对"))
    assert same.status_code == 400
    assert "Nothing was changed." in same.content.decode()
    assert not AuditEntry.objects.filter(action="record_corrected").exists()
