"""Issue 19, item 5: hand-over and take-back by scanning labels, the
accompanying archivist named already, and partial returns."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from lending.models import AccessRequest
from lending.services.approvals import step_decide
from lending.services.circulation import take_back
from tests.lending.test_lending import MONDAY
from tests.lending.test_lending import at
from tests.lending.test_lending import borrow


@pytest.fixture
def monday():
    with time_machine.travel(at(MONDAY, 8), tick=False):
        yield MONDAY


@pytest.fixture
def loan(world, monday):
    loan = borrow(
        world.staff, [world.own, world.other_own], due_on=datetime.date(2026, 11, 27)
    )
    for step in loan.steps.all():
        step_decide(step_id=step.pk, actor=world.archive_head, approve=True)
    loan.refresh_from_db()
    assert loan.status == AccessRequest.Status.APPROVED
    return loan


def _scan(client, code, state=None):
    params = {"code": code, **(state or {})}
    return client.get(reverse("lending:scan"), params)


def _state(response) -> dict:
    context = response.context
    return {
        "request": context["current"].pk if context["current"] else "",
        "scanned": context["scanned"],
    }


def test_hand_over_by_scanning_the_request_then_each_record(client, world, loan):
    client.force_login(world.archivist)
    page = _scan(client, loan.reference.lower())
    assert page.context["current"] == loan
    assert [i.record.number for i in page.context["to_scan"]] == sorted(
        [world.own.number, world.other_own.number]
    )
    # A record of another request is refused with a reason; nothing is lost.
    wrong = _scan(client, world.cs2_record.number, _state(page))
    assert wrong.status_code == 400
    assert f"{world.cs2_record.number} is not part of {loan.reference}." in (
        wrong.content.decode()
    )
    assert wrong.context["current"] == loan
    page = _scan(client, world.own.number, _state(page))
    assert len(page.context["scanned_items"]) == 1
    # Handing over before every record is scanned is refused.
    early = client.post(
        reverse("lending:scan"),
        {**_state(page), "action": "hand_over", "receiver_confirmed": "on"},
    )
    assert early.status_code == 400
    assert f"still to scan: {world.other_own.number}" in early.content.decode()
    page = _scan(client, world.other_own.number, _state(page))
    again = _scan(client, world.other_own.number, _state(page))
    assert len(again.context["scanned_items"]) == 2
    done = client.post(
        reverse("lending:scan"),
        {**_state(page), "action": "hand_over", "receiver_confirmed": "on"},
        follow=True,
    )
    assert f"{loan.reference} is handed over to 张敏." in done.content.decode()
    loan.refresh_from_db()
    assert loan.status == AccessRequest.Status.OUT


def test_a_person_scanned_finds_their_request_and_unknown_codes_are_said(
    client, world, loan
):
    client.force_login(world.archivist)
    page = _scan(client, "ZHANG")
    assert page.context["current"] == loan
    nobody = _scan(client, "NO-SUCH-THING")
    assert nobody.status_code == 400
    assert "Nothing has the code NO-SUCH-THING." in nobody.content.decode()
    first = _scan(client, world.own.number)
    assert "Scan the request or the person first" in first.content.decode()
    idle = _scan(client, world.supervisor.username)
    assert "has nothing to collect or return" in idle.content.decode()


def test_a_partial_return_by_scanning_keeps_the_rest_out(client, world, loan):
    from lending.services.circulation import hand_over

    hand_over(access_request=loan, actor=world.archivist, receiver_confirmed=True)
    client.force_login(world.archivist)
    page = _scan(client, loan.reference)
    page = _scan(client, world.own.number, _state(page))
    assert "Take back 1 record; the others stay out" in page.content.decode()
    item = page.context["scanned_items"][0]
    back = client.post(
        reverse("lending:scan"),
        {
            **_state(page),
            "action": "take_back",
            f"condition_{item.pk}": "intact",
            f"note_{item.pk}": "",
        },
        follow=True,
    )
    assert f"{loan.reference}: 1 record is back; 1 still out." in (
        back.content.decode()
    )
    loan.refresh_from_db()
    world.own.refresh_from_db()
    world.other_own.refresh_from_db()
    assert loan.status == AccessRequest.Status.OUT
    assert (world.own.status, world.other_own.status) == ("archived", "on_loan")
    # The last one back closes the request.
    page = _scan(client, "zhang")
    assert [i.record for i in page.context["items"]] == [world.other_own]
    page = _scan(client, world.other_own.number, _state(page))
    last = page.context["scanned_items"][0]
    client.post(
        reverse("lending:scan"),
        {**_state(page), "action": "take_back", f"condition_{last.pk}": "intact"},
    )
    loan.refresh_from_db()
    assert loan.status == AccessRequest.Status.CLOSED


def test_a_partial_return_on_the_request_page_and_by_the_service(world, loan):
    from django.core.exceptions import ValidationError

    from lending.services.circulation import hand_over

    hand_over(access_request=loan, actor=world.archivist, receiver_confirmed=True)
    items = {i.record_id: i for i in loan.items.all()}
    with pytest.raises(ValidationError, match="Check every record"):
        take_back(
            access_request=loan,
            actor=world.archivist,
            conditions={items[world.own.pk].pk: ("intact", "")},
        )
    with pytest.raises(ValidationError, match="at least one"):
        take_back(
            access_request=loan, actor=world.archivist, conditions={}, partial=True
        )
    take_back(
        access_request=loan,
        actor=world.archivist,
        conditions={items[world.own.pk].pk: ("intact", "")},
        partial=True,
    )
    loan.refresh_from_db()
    assert loan.status == AccessRequest.Status.OUT
    assert list(loan.items.filter(is_out=True).values_list("record", flat=True)) == [
        world.other_own.pk
    ]


def test_the_accompanying_archivist_is_named_already(client, world, monday, window):
    from lending.services.requests import access_request_create

    viewing = access_request_create(
        requester=world.finance_clerk,
        kind="viewing",
        numbers=world.own.number,
        purpose="核对",
        starts_at=window[0],
        ends_at=window[1],
    )
    for step in viewing.steps.all():
        step_decide(step_id=step.pk, actor=_signer(world, step), approve=True)
    viewing.refresh_from_db()
    assert viewing.accompanied
    client.force_login(world.archivist)
    page = client.get(reverse("lending:request-detail", args=[viewing.pk]))
    form = page.context["hand_over_form"]
    assert form.initial["accompanied_by"] == world.archivist.pk


def _signer(world, step):
    return {
        "dept_head": world.finance_head,
        "archive_head": world.archive_head,
        "cs_supervisor": world.supervisor,
    }[step.role]
