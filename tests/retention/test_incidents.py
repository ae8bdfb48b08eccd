"""Incidents (SPEC §11): affected records change status, actions are kept,
records come back when repaired or found, and the incident is closed."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Notification
from archives.models import ArchiveRecord
from core.errors import ArchiveError
from retention.services.incidents import incident_act
from retention.services.incidents import incident_close
from retention.services.incidents import incident_open


def fire(world):
    return incident_open(
        actor=world.archivist,
        kind="fire",
        summary="A库房电线起火",
        description="东侧两盒受损，已用灭火器扑灭",
        records=[world.own, world.cs2_record],
        effect="damaged",
        told=[world.supervisor],
        told_outside="消防队、保险公司",
    )


def test_an_incident_marks_records_and_tells_people(world):
    incident = fire(world)
    statuses = set(
        ArchiveRecord.objects.filter(incidents=incident).values_list(
            "status", flat=True
        )
    )
    assert statuses == {"damaged"}
    told = set(
        Notification.objects.filter(key="incident_opened").values_list(
            "user__username", flat=True
        )
    )
    assert told == {world.supervisor.username, "lin", "he"}
    assert world.own.history.first().history_change_reason == "A库房电线起火"


def test_repair_puts_records_back_and_closing_needs_an_outcome(world):
    incident = fire(world)
    incident_act(
        actor=world.archivist,
        incident=incident,
        kind="transfer",
        description="转移至B库房临时存放",
        records=[world.own, world.cs2_record],
    )
    assert ArchiveRecord.objects.get(pk=world.own.pk).status == "damaged"
    incident_act(
        actor=world.archivist,
        incident=incident,
        kind="repair",
        description="晾干压平，修复完毕",
        records=[world.own],
    )
    assert ArchiveRecord.objects.get(pk=world.own.pk).status == "archived"
    assert ArchiveRecord.objects.get(pk=world.cs2_record.pk).status == "damaged"
    with pytest.raises(ValidationError, match="Not records of this incident"):
        incident_act(
            actor=world.archivist,
            incident=incident,
            kind="repair",
            description="x",
            records=[world.other_own],
        )
    with pytest.raises(ValidationError, match="Say how the incident ended"):
        incident_close(actor=world.archivist, incident=incident, outcome="")
    incident_close(
        actor=world.archivist, incident=incident, outcome="一件修复，一件待鉴定"
    )
    with pytest.raises(ArchiveError, match="closed"):
        incident_act(
            actor=world.archivist, incident=incident, kind="other", description="x"
        )
    assert [a.kind for a in incident.actions.all()] == ["transfer", "repair"]


def test_only_those_allowed_record_incidents(world):
    from core.errors import NotAllowed

    with pytest.raises(NotAllowed, match="You may not record incidents"):
        incident_open(
            actor=world.staff,
            kind="loss",
            summary="x",
            description="",
            records=[],
            effect="none",
            told=[],
        )


def test_incident_pages(world, client):
    client.force_login(world.archivist)
    response = client.post(
        "/retention/incidents/new/",
        {
            "kind": "flood",
            "summary": "",
            "description": "地面积水",
            "numbers": "GT20230101001 NOPE999",
            "effect": "damaged",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "地面积水" in body, "what was typed stays"
    response = client.post(
        "/retention/incidents/new/",
        {
            "kind": "flood",
            "summary": "库房漏水",
            "description": "地面积水",
            "numbers": "NOPE999",
            "effect": "damaged",
        },
    )
    assert response.status_code == 400
    assert "No record has the number NOPE999." in response.content.decode()
    response = client.post(
        "/retention/incidents/new/",
        {
            "kind": "flood",
            "summary": "库房漏水",
            "description": "地面积水",
            "numbers": world.own.number,
            "effect": "damaged",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "库房漏水" in response.content.decode()
    client.force_login(world.staff)
    assert client.get("/retention/incidents/").status_code == 403
