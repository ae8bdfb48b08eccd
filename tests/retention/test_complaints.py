"""Complaints about the archive's own work (issue 20, item 7; S4 监督与考核):
staff report them, the front desk an owner's; the head of archives follows
each to closure and whoever complained is told the answer; the statistics
count them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from audit.models import AuditEntry
from reports.figures import statistics_tables
from reports.selectors import Period
from reports.selectors import statistics_for
from retention.models import Complaint
from retention.services.complaints import complaint_close
from retention.services.complaints import complaint_report
from retention.services.complaints import complaint_take


def test_a_complaint_is_followed_to_its_answer_and_counted(client, world):
    complaint = complaint_report(
        actor=world.staff,
        source="staff",
        topic="delay",
        summary="借阅审批等了两周",
        description="申请 3 月 1 日提交，3 月 15 日才批。",
        record_number=world.own.number,
    )
    assert complaint.record == world.own and complaint.status == "open"
    heads = Notification.objects.filter(key="complaint_reported")
    assert set(heads.values_list("user", flat=True)) == {
        world.archive_head.pk,
        world.archive_head2.pk,
    }

    complaint_take(actor=world.archive_head, complaint=complaint)
    complaint.refresh_from_db()
    assert complaint.status == "handling" and complaint.handled_by == world.archive_head
    with pytest.raises(ValidationError) as refused:
        complaint_close(
            actor=world.archive_head, complaint=complaint, findings="", answer=""
        )
    assert set(refused.value.message_dict) == {"findings", "answer"}
    complaint_close(
        actor=world.archive_head,
        complaint=complaint,
        findings="审批人出差，未指定代理人。",
        answer="已规定出差须指定代理审批人，向您致歉。",
    )
    complaint.refresh_from_db()
    assert complaint.status == "closed" and complaint.closed_at
    told = Notification.objects.get(key="complaint_answered")
    assert told.user == world.staff
    assert "已规定出差须指定代理审批人" in str(told)
    assert complaint.history.count() == 3  # reported, taken, closed

    # The reporter reads the answer; another member of staff sees nothing.
    client.force_login(world.staff)
    page = client.get(reverse("retention:complaint-detail", args=[complaint.pk]))
    assert "已规定出差须指定代理审批人" in page.content.decode()
    client.force_login(world.staff2)
    assert (
        client.get(
            reverse("retention:complaint-detail", args=[complaint.pk])
        ).status_code
        == 404
    )

    today = timezone.localdate()
    figures = statistics_for(Period(today.replace(day=1), today))
    assert figures["archive_complaints"]["made"] == 1
    assert figures["archive_complaints"]["closed"] == 1
    table = next(t for t in statistics_tables(figures) if t.key == "archive_complaints")
    assert ["Slow handling", 1] in table.rows


def test_an_owners_complaint_at_the_desk_keeps_the_contact_masked(client, world):
    complaint = complaint_report(
        actor=world.front_desk,
        source="owner",
        topic="privacy",
        summary="查阅时旁人可看到我的资料",
        owner_name="黄业主",
        owner_contact="13812345678",
    )
    assert complaint.owner_contact_masked == "138****5678"
    assert "13812345678" not in complaint.owner_contact_cipher
    client.force_login(world.archive_head)
    url = reverse("retention:complaint-detail", args=[complaint.pk])
    page = client.get(url).content.decode()
    assert "138****5678" in page and "13812345678" not in page
    shown = client.post(reverse("retention:complaint-contact", args=[complaint.pk]))
    assert "13812345678" in shown.content.decode()
    assert AuditEntry.objects.filter(
        action="personal_data_shown", details__field="owner_contact"
    ).exists()

    # Staff report their own complaints; an owner's is taken at the desk.
    with pytest.raises(ValidationError) as refused:
        complaint_report(
            actor=world.staff,
            source="owner",
            topic="other",
            summary="x",
            owner_name="y",
            owner_contact="z",
        )
    assert "source" in refused.value.message_dict
    assert Complaint.objects.count() == 1


def test_the_form_keeps_what_was_typed_and_says_what_is_wrong(client, world):
    client.force_login(world.staff)
    response = client.post(
        reverse("retention:complaint-create"),
        {
            "source": "staff",
            "topic": "record",
            "summary": "档号不存在",
            "record_number": "GT19990101999",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is no record GT19990101999." in text
    assert "档号不存在" in text
    assert not Complaint.objects.exists()
