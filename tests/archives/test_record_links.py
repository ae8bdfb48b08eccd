"""Related records (issue 20, item 4): the archive links a complaint to its
calls; each record shows the other to whoever may see it, and nobody learns
of a record hidden from them through a link."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from archives.models import RecordLink
from archives.services.links import record_link


def test_linked_records_show_each_other_and_hide_what_one_may_not_see(client, world):
    complaint, call = world.own, world.cs2_record
    client.force_login(world.archivist)
    made = client.post(
        reverse("archives:record-link", args=[complaint.pk]),
        {"link-number": call.number, "link-note": "投诉所涉来电"},
    )
    assert made.status_code == 302
    link = RecordLink.objects.get()
    assert (link.from_record, link.to_record) == (complaint, call)
    for here, there in ((complaint, call), (call, complaint)):
        page = client.get(reverse("archives:record-detail", args=[here.pk]))
        assert there.number in page.content.decode()
        assert "投诉所涉来电" in page.content.decode()

    # The filer of the complaint may not see the other department's call:
    # its record shows no link, and names no number.
    client.force_login(world.staff)
    page = client.get(reverse("archives:record-detail", args=[complaint.pk]))
    assert page.status_code == 200
    assert call.number not in page.content.decode()

    # Either way round, once; never itself; only accepted records.
    for record, number, why in (
        (complaint, call.number, "is linked already"),
        (call, complaint.number, "is linked already"),
        (call, "GT19990101999", "There is no accepted record GT19990101999"),
    ):
        with pytest.raises(ValidationError, match=why):
            record_link(actor=world.archivist, record=record, number=number)
    with pytest.raises(ValidationError, match="not related to itself"):
        record_link(actor=world.archivist, record=call, number=call.number)

    client.force_login(world.archive_head)
    gone = client.post(
        reverse("archives:record-unlink", args=[link.pk]), {"record": call.pk}
    )
    assert gone["Location"] == reverse("archives:record-detail", args=[call.pk])
    assert not RecordLink.objects.exists()
    assert RecordLink.history.filter(history_type="-").exists()


def test_the_form_says_what_is_wrong_and_keeps_the_note(client, world):
    client.force_login(world.archivist)
    response = client.post(
        reverse("archives:record-link", args=[world.own.pk]),
        {"link-number": "KH404", "link-note": "客户档案"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is no accepted record KH404." in text and "客户档案" in text
