"""Appraisal and destruction (SPEC §9): no step skipped, nothing on loan or
held touched, files really erased, the number kept as a tombstone."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.utils import timezone

from accounts.models import Notification
from archives.models import ArchiveRecord
from archives.models import CustodyEvent
from core.errors import ArchiveError
from core.errors import NotAllowed
from retention.models import Appraisal
from retention.models import AppraisalItem
from retention.selectors import records_due_for_disposal
from retention.services import appraisals as s
from retention.services.holds import hold_place
from retention.services.incidents import incident_open
from tests.lending.test_lending import _out_loan
from tests.lending.test_lending import monday  # noqa: F401 - a fixture

Status = ArchiveRecord.Status


def opened(world, records):
    return s.appraisal_open(
        actor=world.archive_head,
        title="2026年度到期档案鉴定",
        members=[world.supervisor, world.archivist],
        records=records,
    )


def decide_all(world, appraisal, keep=()):
    for item in appraisal.items.select_related("record"):
        if item.record in keep:
            s.appraisal_item_decide(
                actor=world.supervisor,
                item=item,
                decision="keep",
                reason="客户仍有争议，继续保存",
                keep_until=timezone.localdate() + datetime.timedelta(days=365),
            )
    s.appraisal_list_undecided(actor=world.archive_head, appraisal=appraisal)


def execute(world, appraisal, **overrides):
    arguments = {
        "actor": world.archivist,
        "appraisal": appraisal,
        "executor": world.archivist,
        "witnesses": [world.archivist2, world.auditor],
        "place": "档案室碎纸间",
        "executed_at": timezone.now(),
        "paper_method": "shredding",
    }
    return s.destruction_execute(**{**arguments, **overrides})


def test_due_list_shows_only_records_past_their_date(world):
    due = set(records_due_for_disposal(today=timezone.localdate()))
    assert {world.own, world.confidential, world.cs2_record} <= due
    assert not set(records_due_for_disposal(today=datetime.date(2025, 12, 31))), (
        "nothing of 2023 is due before 2026"
    )


def test_a_whole_appraisal_through_to_the_certificate(
    world, electronic, django_capture_on_commit_callbacks
):
    name = electronic.files.get().file.name
    assert storages["default"].exists(name) and storages["backup"].exists(name)
    appraisal = opened(world, [world.own, world.cs2_record, electronic])
    decide_all(world, appraisal, keep=[world.cs2_record])
    world.own.refresh_from_db()
    assert world.own.status == Status.APPRAISED
    s.appraisal_submit(actor=world.archive_head, appraisal=appraisal)
    assert Notification.objects.filter(
        user=world.executive, key="destruction_waiting"
    ).exists()
    s.appraisal_approve(actor=world.executive, appraisal=appraisal, note="同意")
    with django_capture_on_commit_callbacks(execute=True):
        execute(world, appraisal)
    appraisal.refresh_from_db()
    assert appraisal.status == Appraisal.Status.EXECUTED
    for record in (world.own, electronic):
        record.refresh_from_db()
        assert record.status == Status.DESTROYED
        assert record.number, "the tombstone keeps its number"
        assert record.box is None
    assert not storages["default"].exists(name)
    assert not storages["backup"].exists(name)
    assert electronic.files.get().erased_at is not None
    assert CustodyEvent.objects.filter(
        record=world.own, kind="sent_for_destruction", holder=world.archivist
    ).exists()
    kept = ArchiveRecord.objects.get(pk=world.cs2_record.pk)
    assert kept.status == Status.ARCHIVED
    assert kept.disposal_due_on == timezone.localdate() + datetime.timedelta(days=365)
    s.destruction_witness_confirm(actor=world.archivist2, appraisal=appraisal)
    appraisal.refresh_from_db()
    assert appraisal.status == Appraisal.Status.EXECUTED
    s.destruction_witness_confirm(actor=world.auditor, appraisal=appraisal)
    appraisal.refresh_from_db()
    assert appraisal.status == Appraisal.Status.COMPLETED


def test_no_step_can_be_skipped(world):
    appraisal = opened(world, [world.own, world.other_own])
    with pytest.raises(ArchiveError, match="not decided yet"):
        s.appraisal_submit(actor=world.archive_head, appraisal=appraisal)
    with pytest.raises(ArchiveError, match="“Appraising”"):
        s.appraisal_approve(actor=world.executive, appraisal=appraisal)
    decide_all(world, appraisal)
    with pytest.raises(ArchiveError, match="“Appraising”"):
        execute(world, appraisal)
    s.appraisal_submit(actor=world.archive_head, appraisal=appraisal)
    with pytest.raises(ArchiveError, match="“Waiting for approval”"):
        execute(world, appraisal)
    with pytest.raises(NotAllowed, match="You may not approve destruction lists"):
        s.appraisal_approve(actor=world.archive_head2, appraisal=appraisal)
    s.appraisal_approve(actor=world.executive, appraisal=appraisal)
    with pytest.raises(ValidationError) as error:
        execute(world, appraisal, witnesses=[world.archivist2])
    assert error.value.message_dict["witnesses"] == ["Name at least 2 witnesses."]
    with pytest.raises(ValidationError) as error:
        execute(world, appraisal, witnesses=[world.archivist, world.auditor])
    assert error.value.message_dict["witnesses"] == [
        "The executor cannot also be a witness."
    ]
    with pytest.raises(NotAllowed, match="You may not carry out destruction"):
        execute(world, appraisal, actor=world.staff)
    world.own.refresh_from_db()
    assert world.own.status == Status.APPRAISED


def test_the_executive_can_reject_with_reasons_and_keeps_stand(world):
    appraisal = opened(world, [world.own, world.cs2_record])
    decide_all(world, appraisal, keep=[world.cs2_record])
    s.appraisal_submit(actor=world.archive_head, appraisal=appraisal)
    with pytest.raises(
        ValidationError, match="Give the reasons for rejecting the list"
    ):
        s.appraisal_reject(actor=world.executive, appraisal=appraisal, reason=" ")
    s.appraisal_reject(
        actor=world.executive, appraisal=appraisal, reason="GT记录需与法务核对"
    )
    appraisal.refresh_from_db()
    assert appraisal.status == Appraisal.Status.OPEN
    assert appraisal.decision_note == "GT记录需与法务核对"
    decisions = dict(appraisal.items.values_list("record_id", "decision"))
    assert decisions == {world.own.pk: "pending", world.cs2_record.pk: "keep"}
    world.own.refresh_from_db()
    assert world.own.status == Status.ARCHIVED


def test_a_keep_is_never_swept_into_destruction(world):
    appraisal = opened(world, [world.own, world.cs2_record])
    decide_all(world, appraisal, keep=[world.cs2_record])
    kept = appraisal.items.get(record=world.cs2_record)
    with pytest.raises(ArchiveError, match="that decision stands"):
        s.appraisal_item_decide(actor=world.archive_head, item=kept, decision="destroy")
    assert (
        s.appraisal_list_undecided(actor=world.archive_head, appraisal=appraisal) == 0
    )
    kept.refresh_from_db()
    assert kept.decision == "keep"


@pytest.mark.usefixtures("monday")
def test_records_on_loan_or_held_cannot_be_destroyed(world):
    _out_loan(world)
    with pytest.raises(ArchiveError, match="is “On loan”"):
        opened(world, [world.own])

    appraisal = opened(world, [world.cs2_record, world.other_own])
    decide_all(world, appraisal)
    s.appraisal_submit(actor=world.archive_head, appraisal=appraisal)
    s.appraisal_approve(actor=world.executive, appraisal=appraisal)
    # Held after approval: execution checks holds again, and destroys nothing.
    hold_place(actor=world.archive_head, record=world.cs2_record, reason="客户诉讼中")
    with pytest.raises(ArchiveError, match=r"cs2|it is held") as error:
        execute(world, appraisal)
    assert world.cs2_record.number in error.value.message
    assert ArchiveRecord.objects.filter(status=Status.DESTROYED).count() == 0


def test_an_open_incident_stops_listing(world):
    incident_open(
        actor=world.archivist,
        kind="flood",
        summary="库房漏水",
        description="B架底层受潮",
        records=[world.other_own],
        effect="damaged",
        told=[],
    )
    appraisal = opened(world, [])
    s.appraisal_add_candidates(
        actor=world.archive_head,
        appraisal=appraisal,
        records=[ArchiveRecord.objects.get(pk=world.other_own.pk)],
        ground="damaged",
        reason="水浸无法修复",
    )
    item = appraisal.items.get()
    with pytest.raises(ArchiveError, match="an incident about it is open"):
        s.appraisal_item_decide(actor=world.archive_head, item=item, decision="destroy")


def test_held_records_cannot_be_listed(world):
    hold_place(actor=world.archive_head, record=world.own, reason="审计抽查")
    with pytest.raises(ArchiveError, match="is held"):
        opened(world, [world.own])
    assert world.own not in records_due_for_disposal(today=timezone.localdate())


def test_candidates_must_be_due_unless_another_ground_is_given(world):
    appraisal = opened(world, [])
    young = ArchiveRecord.objects.get(pk=world.own.pk)
    young.disposal_due_on = timezone.localdate() + datetime.timedelta(days=30)
    young.save()
    with pytest.raises(ArchiveError, match="has not reached its disposal date"):
        s.appraisal_add_candidates(
            actor=world.archive_head, appraisal=appraisal, records=[young]
        )
    with pytest.raises(ValidationError, match="Say why these records should go"):
        s.appraisal_add_candidates(
            actor=world.archive_head,
            appraisal=appraisal,
            records=[young],
            ground="not_needed",
        )
    s.appraisal_add_candidates(
        actor=world.archive_head,
        appraisal=appraisal,
        records=[young],
        ground="not_needed",
        reason="业务部门确认不再需要",
    )
    assert appraisal.items.get().ground == AppraisalItem.Ground.NOT_NEEDED


def test_an_incident_on_another_record_does_not_block_or_break(world):
    incident_open(
        actor=world.archivist,
        kind="loss",
        summary="一盒待查",
        description="",
        records=[world.other_own, world.own],
        effect="none",
        told=[],
    )
    appraisal = opened(world, [world.cs2_record])
    assert (
        s.appraisal_list_undecided(actor=world.archive_head, appraisal=appraisal) == 1
    )


def test_damaged_records_can_be_added_by_number_on_the_page(world, client):
    incident_open(
        actor=world.archivist,
        kind="flood",
        summary="库房漏水",
        description="",
        records=[world.other_own],
        effect="damaged",
        told=[],
    )
    appraisal = opened(world, [])
    client.force_login(world.archive_head)
    response = client.post(
        f"/retention/appraisals/{appraisal.pk}/add/",
        {"numbers": world.other_own.number, "ground": "damaged", "reason": "水浸"},
    )
    assert response.status_code == 302
    assert appraisal.items.get().record_id == world.other_own.pk
