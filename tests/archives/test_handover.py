"""The supervisor's batch check and the month-end hand-over (issue 20, item
2; S1 §4.1, S4): submissions of a department that checks first wait in its
batch; the supervisor checks week by week, returns what needs correcting and
hands the batch over with the list both sign; the archive's receipt puts the
records in the review queue, where one can still be returned."""

from __future__ import annotations

import subprocess

import pytest
from django.urls import reverse

from accounts.models import Notification
from archives.models import ArchiveRecord
from archives.models import HandoverBatch
from archives.selectors import review_queue
from archives.services import handover
from archives.services.records import record_accept
from archives.services.records import record_return
from archives.services.records import records_submit
from audit.models import AuditEntry
from core.errors import ArchiveError
from core.errors import NotAllowed
from tests.factories import RecordFactory

pytestmark = pytest.mark.usefixtures("reference_data")
Status = HandoverBatch.Status


def _submitted(world, title):
    record = RecordFactory(
        created_by=world.staff, customer=world.own.customer, title=title
    )
    records_submit(actor=world.staff, records=[record])
    return record


@pytest.fixture
def checked_department(world):
    world.cs1.batch_check = True
    world.cs1.save()
    return world.cs1


def test_a_month_of_submissions_goes_through_the_supervisor(
    client, world, checked_department, tmp_path
):
    first = _submitted(world, "客户来电咨询保修期")
    second = _submitted(world, "客户投诉安装延误")
    batch = HandoverBatch.objects.get()
    assert (batch.department, batch.status) == (world.cs1, Status.OPEN)
    assert batch.items.count() == 2
    # Not yet the archive's: out of the queue, and refused if tried.
    assert not review_queue(user=world.archivist).filter(pk=first.pk).exists()
    with pytest.raises(ArchiveError, match="still in its department's hand-over"):
        record_accept(actor=world.archivist, record=first, box=world.own.box)
    with pytest.raises(ArchiveError, match="still in its department's hand-over"):
        record_return(actor=world.archivist, record=first, reason="缺页")
    # Only this department's supervisor or head signs.
    with pytest.raises(NotAllowed, match="Only the supervisor or head"):
        handover.batch_items_check(
            actor=world.cs2_supervisor, batch=batch, items=[batch.items.first().pk]
        )
    # The supervisor returns one record to its filer.
    item = second.handover_item
    handover.batch_record_return(
        actor=world.supervisor, item=item, reason="请补充工单号"
    )
    second.refresh_from_db()
    assert second.status == ArchiveRecord.Status.RETURNED
    assert Notification.objects.filter(user=world.staff, key="record_returned").exists()
    with pytest.raises(ArchiveError, match="not checked yet"):
        handover.batch_hand_over(actor=world.supervisor, batch=batch)
    handover.batch_items_check(
        actor=world.supervisor, batch=batch, items=[first.handover_item.pk]
    )
    handover.batch_hand_over(actor=world.cs1_head, batch=batch)
    batch.refresh_from_db()
    assert batch.status == Status.HANDED_OVER
    told = Notification.objects.filter(key="batch_handed_over")
    assert {n.user for n in told} == {world.archivist, world.archivist2}
    # The returned record, corrected and submitted again, waits in a new batch.
    records_submit(actor=world.staff, records=[second])
    assert second.handover_item.batch != batch
    assert second.handover_item.batch.status == Status.OPEN
    # The archive receives the batch: its record joins the queue.
    client.force_login(world.archivist)
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "客户来电咨询保修期" in page
    done = client.post(
        reverse("archives:batch-receive", args=[batch.pk]),
        {"note": "1件1页，与清单相符"},
    )
    assert done.status_code == 302
    batch.refresh_from_db()
    assert (batch.status, batch.received_by) == (Status.RECEIVED, world.archivist)
    assert review_queue(user=world.archivist).filter(pk=first.pk).exists()
    assert not review_queue(user=world.archivist).filter(pk=second.pk).exists()
    record_accept(actor=world.archivist, record=first, box=world.own.box)
    assert AuditEntry.objects.filter(action="batch_received").exists()
    # The hand-over list, signed by both.
    pdf = client.get(reverse("archives:batch-pdf", args=[batch.pk])).content
    path = tmp_path / "list.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True
    ).stdout
    assert batch.reference in text and "客户来电咨询保修期" in text
    assert "1件1页，与清单相符" in text and "Received by" in text


def test_a_department_without_the_check_submits_straight_to_the_archive(world):
    record = _submitted(world, "客户来电咨询发票")
    assert not HandoverBatch.objects.exists()
    assert review_queue(user=world.archivist).filter(pk=record.pk).exists()


def test_pages_refuse_what_cannot_be_done(client, world, checked_department):
    record = _submitted(world, "客户来电咨询保修期")
    batch = record.handover_item.batch
    client.force_login(world.supervisor)
    empty = client.post(reverse("archives:batch-check", args=[batch.pk]), follow=True)
    assert "Tick the records you have checked." in empty.content.decode()
    early = client.post(
        reverse("archives:batch-hand-over", args=[batch.pk]), follow=True
    )
    assert "not checked yet" in early.content.decode()
    no_reason = client.post(
        reverse("archives:batch-item-return", args=[record.handover_item.pk]),
        {"reason": ""},
    )
    assert no_reason.status_code == 400
    client.force_login(world.archivist)
    receive = client.post(
        reverse("archives:batch-receive", args=[batch.pk]), follow=True
    )
    assert "Only a batch handed over is received." in receive.content.decode()
    client.force_login(world.cs2_supervisor)  # another department's batch
    assert client.get(batch.get_absolute_url()).status_code == 404
