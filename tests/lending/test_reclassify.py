"""密级变更/解密 (issue 20, item 4): the head of archives changes a record's
confidentiality with a reason; the requests not yet handed over follow the
new level at once."""

from __future__ import annotations

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from accounts.models import Notification
from archives.models import ArchiveRecord
from archives.services.records import record_reclassify
from audit.models import AuditEntry
from core.errors import NotAllowed
from lending.models import AccessRequest
from tests.lending.test_viewing import ask
from tests.lending.test_viewing import chain
from tests.lending.test_viewing import own_record_out
from tests.lending.test_viewing import sees
from tests.lending.test_viewing import sign_all

Level = ArchiveRecord.Confidentiality
Status = AccessRequest.Status


def test_raising_the_level_sends_an_approved_request_back_for_the_new_signature(
    world, window
):
    request = sign_all(
        ask(world.finance_clerk, [world.own], window),
        world.finance_head,
        world.archive_head,
    )
    assert request.status == Status.APPROVED
    with time_machine.travel(window[0]):
        assert sees(world.finance_clerk, world.own)
    effects = record_reclassify(
        actor=world.archive_head2,
        record=world.own,
        level=Level.CONFIDENTIAL,
        reason="涉及客户身份信息，升为秘密",
    )
    assert effects == {"reopened": 1}
    request.refresh_from_db()
    assert request.status == Status.PENDING
    assert chain(request)[-1] == ("executive", None)  # what confidential needs
    with time_machine.travel(window[0]):
        assert not sees(world.finance_clerk, world.own)  # reading stops
    told = Notification.objects.get(user=world.finance_clerk, key="request_reopened")
    assert told.params["number"] == world.own.number
    # The executive signs the added step: approved again, reading again.
    step = request.steps.get(decision="pending")
    from lending.services.approvals import step_decide

    step_decide(step_id=step.pk, actor=world.executive, approve=True)
    request.refresh_from_db()
    assert request.status == Status.APPROVED
    with time_machine.travel(window[0]):
        assert sees(world.finance_clerk, world.own)
    world.own.refresh_from_db()
    assert world.own.confidentiality == Level.CONFIDENTIAL
    latest = world.own.history.first()
    assert latest.history_change_reason == "涉及客户身份信息，升为秘密"
    assert latest.prev_record.confidentiality == Level.INTERNAL
    entry = AuditEntry.objects.get(action="record_reclassified")
    assert (entry.details["before"], entry.details["after"]) == (
        "internal",
        "confidential",
    )


def test_declassifying_drops_the_signature_no_longer_needed(world, window):
    request = ask(world.staff, [world.confidential], window)
    assert chain(request) == [("archivist", None), ("executive", None)]
    from lending.services.approvals import step_decide

    step_decide(step_id=request.steps.first().pk, actor=world.archivist, approve=True)
    effects = record_reclassify(
        actor=world.archive_head,
        record=world.confidential,
        level=Level.INTERNAL,
        reason="解密：事件已结案",
    )
    assert effects == {"approved": 1}
    request.refresh_from_db()
    assert request.status == Status.APPROVED
    assert [s.decision for s in request.steps.all()] == ["approved", "skipped"]
    assert Notification.objects.filter(
        user=world.staff, key="request_approved"
    ).exists()


@override_settings(ARCHIVE_CONFIDENTIAL_VIEWING_CLOSED=True)
def test_a_record_no_longer_offered_leaves_the_request(world, window):
    both = ask(world.finance_clerk, [world.own, world.other_own], window)
    alone = ask(world.finance_head, [world.own], window)
    effects = record_reclassify(
        actor=world.archive_head,
        record=world.own,
        level=Level.SECRET,
        reason="列为机密",
    )
    assert effects == {"removed": 2, "refused": 1}
    both.refresh_from_db()
    alone.refresh_from_db()
    assert [i.record for i in both.items.all()] == [world.other_own]
    assert both.status == Status.PENDING
    assert Notification.objects.filter(
        user=world.finance_clerk, key="request_item_removed"
    ).exists()
    assert alone.status == Status.REJECTED
    assert alone.rejection_reason == "列为机密"


def test_a_record_already_out_stays_out_and_the_archivists_are_told(world, window):
    request = own_record_out(world, window)
    effects = record_reclassify(
        actor=world.archive_head, record=world.own, level=Level.SECRET, reason="升密"
    )
    assert effects == {"out": 1}
    request.refresh_from_db()
    assert request.status == Status.OUT
    assert Notification.objects.filter(
        user=world.archivist, key="level_raised_out"
    ).exists()


def test_only_the_head_of_archives_and_only_with_a_reason(client, world):
    with pytest.raises(NotAllowed, match="Only the head of archives"):
        record_reclassify(
            actor=world.archivist, record=world.own, level=Level.PUBLIC, reason="x"
        )
    url = reverse("archives:record-reclassify", args=[world.own.pk])
    client.force_login(world.archivist)
    assert client.get(url).status_code == 403
    detail = client.get(reverse("archives:record-detail", args=[world.own.pk]))
    assert url not in detail.content.decode()
    client.force_login(world.archive_head)
    assert (
        url
        in client.get(
            reverse("archives:record-detail", args=[world.own.pk])
        ).content.decode()
    )
    missing = client.post(url, {"level": "public", "reason": ""})
    assert missing.status_code == 400
    same = client.post(url, {"level": "internal", "reason": "核对"})
    assert "The record already has this level." in same.content.decode()
    done = client.post(url, {"level": "public", "reason": "对外公开的服务承诺"})
    assert done.status_code == 302
    page = client.get(done["Location"])
    assert "No open request asked for it." in page.content.decode()
    world.own.refresh_from_db()
    assert world.own.confidentiality == Level.PUBLIC
