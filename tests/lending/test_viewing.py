"""Viewing requests: the approval chains of SPEC §6, grants and hand-over."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from archives.models import ArchiveRecord
from archives.models import RecordUserObjectPermission
from archives.selectors import record_list_visible_to
from core.errors import ArchiveError
from core.errors import NotAllowed
from lending.models import AccessRequest
from lending.services.approvals import step_decide
from lending.services.circulation import daily_run
from lending.services.circulation import hand_over
from lending.services.circulation import take_back
from lending.services.requests import access_request_create
from retention.models import Incident


def ask(person, records, window, kind="viewing", **extra):
    return access_request_create(
        requester=person,
        kind=kind,
        numbers=" ".join(r.number for r in records),
        purpose="核对客户投诉处理经过",
        starts_at=window[0],
        ends_at=window[1],
        **extra,
    )


def chain(access_request):
    return [
        (s.role, s.department.code if s.department else None)
        for s in access_request.steps.all()
    ]


def sign_all(access_request, *people):
    for person, step in zip(people, access_request.steps.all(), strict=True):
        step_decide(step_id=step.pk, actor=person, approve=True)
    access_request.refresh_from_db()
    return access_request


def sees(person, record):
    return record_list_visible_to(user=person).filter(pk=record.pk).exists()


@pytest.mark.parametrize(
    "who, record, expected, accompanied",
    [
        # 1. cs_staff, their own customer's record → the archivist.
        ("staff", "own", [("archivist", None)], False),
        # 2. cs_supervisor, another department's record → archive_head.
        ("supervisor", "cs2_record", [("archive_head", None)], False),
        # 3. other department: their dept_head first, then archive_head, accompanied.
        ("finance_clerk", "own", [("dept_head", "FIN"), ("archive_head", None)], True),
        # 4. executive → archive_head.
        ("executive", "cs2_record", [("archive_head", None)], False),
        # 5. confidential: the executive signs too.
        ("staff", "confidential", [("archivist", None), ("executive", None)], False),
        # cs_staff asking for a record of a colleague's customer: the general route.
        ("staff2", "own", [("dept_head", "CS1"), ("archive_head", None)], True),
    ],
)
def test_chain_follows_spec(world, window, who, record, expected, accompanied):
    request = ask(getattr(world, who), [getattr(world, record)], window)
    assert chain(request) == expected
    assert request.accompanied is accompanied


def test_one_request_collects_every_needed_signature_once(world, window):
    request = ask(
        world.staff, [world.own, world.confidential, world.cs2_record], window
    )
    assert chain(request) == [
        ("dept_head", "CS1"),
        ("archivist", None),
        ("archive_head", None),
        ("executive", None),
    ]


@override_settings(ARCHIVE_CONFIDENTIAL_VIEWING_CLOSED=True)
def test_a_setting_closes_confidential_records(world, window):
    with pytest.raises(ArchiveError, match="not offered"):
        ask(world.staff, [world.confidential], window)


def test_rules_are_data(world, window):
    """A rule that refuses makes the record unavailable to that requester.

    The executive may not see the record, so the refusal is not named to them
    (it would tell that the record exists): the archive sees it unavailable.
    """
    from lending.models import ApprovalRule
    from lending.selectors import request_disclosure

    rule = ApprovalRule.objects.get(kind="viewing", requester_role="executive")
    rule.refuse = True
    rule.save()
    request = ask(world.executive, [world.own], window)
    assert not request.items.exists()
    seen = request_disclosure(user=world.archivist, access_request=request)
    assert [(r.number, r.available) for r in seen.rows] == [(world.own.number, False)]
    # A record the requester may see is refused by name, as before.
    world.cs2_record.responsible_person = world.executive
    world.cs2_record.save()
    with pytest.raises(ArchiveError, match="cannot be requested"):
        ask(world.executive, [world.cs2_record], window)


def test_approval_grants_exactly_those_records_for_the_window(world, window):
    request = ask(world.finance_clerk, [world.own], window)
    assert not sees(world.finance_clerk, world.own)
    sign_all(request, world.finance_head, world.archive_head)
    assert request.status == AccessRequest.Status.APPROVED
    with time_machine.travel(window[0] + datetime.timedelta(hours=1)):
        assert sees(world.finance_clerk, world.own)
        assert not sees(world.finance_clerk, world.other_own)
    # Before the window and after it the grant is not honoured, task or not.
    assert not sees(world.finance_clerk, world.own)
    with time_machine.travel(window[1] + datetime.timedelta(minutes=1)):
        assert not sees(world.finance_clerk, world.own)
        assert daily_run()["requests_expired"] == 1
        assert not RecordUserObjectPermission.objects.exists()
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.EXPIRED


def test_signatures_come_in_order_and_from_the_right_people(world, window):
    request = ask(world.finance_clerk, [world.own], window)
    first, second = request.steps.all()
    with pytest.raises(ArchiveError, match="earlier signature"):
        step_decide(step_id=second.pk, actor=world.archive_head, approve=True)
    with pytest.raises(NotAllowed, match="This step waits for another approver"):
        # The head of another department cannot sign for finance.
        step_decide(step_id=first.pk, actor=world.cs1_head, approve=True)
    step_decide(step_id=first.pk, actor=world.finance_head, approve=True)
    with pytest.raises(ArchiveError, match="already decided"):
        step_decide(step_id=first.pk, actor=world.finance_head, approve=True)


def test_nobody_approves_their_own_request(world, window):
    due = timezone.localdate() + datetime.timedelta(days=2)
    while due.weekday() >= 5:
        due += datetime.timedelta(days=1)
    request = ask(world.archive_head2, [world.own], window, kind="lending", due_on=due)
    step = request.steps.get(role="archive_head")
    with pytest.raises(NotAllowed, match="own request"):
        step_decide(step_id=step.pk, actor=world.archive_head2, approve=True)
    step_decide(step_id=step.pk, actor=world.archive_head, approve=True)
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.APPROVED


def test_a_department_heads_own_request_goes_to_the_head_of_archives(world, window):
    """Issue 19, item 3: the chain asked the requester's department head
    first, who is the requester, whom nobody may stand in for: it never got
    its first signature. Their department's signature is their own; the head
    of archives decides."""
    request = ask(world.finance_head, [world.own], window)
    assert chain(request) == [("archive_head", None)]
    assert request.accompanied is True  # the rule's other parts still hold
    sign_all(request, world.archive_head)
    assert request.status == AccessRequest.Status.APPROVED


def test_rejection_needs_a_reason_and_grants_nothing(world, window):
    request = ask(world.supervisor, [world.cs2_record], window)
    step = request.steps.get()
    with pytest.raises(ArchiveError, match="reason"):
        step_decide(step_id=step.pk, actor=world.archive_head, approve=False)
    step_decide(
        step_id=step.pk, actor=world.archive_head, approve=False, comment="与工作无关"
    )
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.REJECTED
    assert request.rejection_reason == "与工作无关"
    with time_machine.travel(window[0] + datetime.timedelta(hours=1)):
        assert not sees(world.supervisor, world.cs2_record)
    assert world.supervisor.notifications.filter(key="request_rejected").exists()


def test_approvers_are_told_in_turn(world, window, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = ask(world.finance_clerk, [world.own], window)
    assert world.finance_head.notifications.filter(key="request_waiting").exists()
    assert not world.archive_head.notifications.exists()
    with django_capture_on_commit_callbacks(execute=True):
        step_decide(
            step_id=request.steps.first().pk, actor=world.finance_head, approve=True
        )
    assert world.archive_head.notifications.filter(key="request_waiting").exists()


def test_unknown_numbers_are_named_to_the_archive_and_nothing_is_saved(world, window):
    """The archive sees every record, so a missing number tells it nothing
    hidden: it is named at once. (A requester who may not see every record
    gets no such answer: tests/security/test_request_leaks.py.)"""
    with pytest.raises(ValidationError) as error:
        access_request_create(
            requester=world.archivist,
            kind="viewing",
            numbers=f"{world.own.number} GT20990101999",
            purpose="x",
            starts_at=window[0],
            ends_at=window[1],
        )
    assert "GT20990101999" in str(error.value)
    assert not AccessRequest.objects.exists()


def _approved_viewing(world, window):
    request = ask(world.finance_clerk, [world.own, world.other_own], window)
    return sign_all(request, world.finance_head, world.archive_head)


def test_hand_over_and_return_with_an_incident_for_damage(world, window):
    request = _approved_viewing(world, window)
    with time_machine.travel(window[0]):
        with pytest.raises(ValidationError, match="name the archivist"):
            hand_over(
                access_request=request, actor=world.archivist, receiver_confirmed=True
            )  # accompanied: the archivist must be named
        hand_over(
            access_request=request,
            actor=world.archivist,
            receiver_confirmed=True,
            accompanied_by=world.archivist2,
        )
        world.own.refresh_from_db()
        assert world.own.status == ArchiveRecord.Status.IN_VIEWING
        items = {i.record_id: i for i in request.items.all()}
        with pytest.raises(ValidationError, match="1 of 2"):
            take_back(
                access_request=request,
                actor=world.archivist,
                conditions={items[world.own.pk].pk: ("intact", "")},
            )
        take_back(
            access_request=request,
            actor=world.archivist,
            conditions={
                items[world.own.pk].pk: ("intact", ""),
                items[world.other_own.pk].pk: ("damaged", "第3页被撕破"),
            },
        )
        assert not sees(world.finance_clerk, world.own)
    world.own.refresh_from_db()
    world.other_own.refresh_from_db()
    assert world.own.status == ArchiveRecord.Status.ARCHIVED
    assert world.other_own.status == ArchiveRecord.Status.DAMAGED
    incident = Incident.objects.get()
    assert incident.person == world.finance_clerk
    assert list(incident.records.all()) == [world.other_own]
    assert "第3页被撕破" in incident.description


def test_hand_over_needs_the_readers_confirmation_and_the_archive(world, window):
    request = _approved_viewing(world, window)
    with time_machine.travel(window[0]):
        with pytest.raises(NotAllowed, match="Only the archive hands records over"):
            hand_over(
                access_request=request, actor=world.staff, receiver_confirmed=True
            )
        with pytest.raises(ValidationError, match="confirms receipt"):
            hand_over(
                access_request=request,
                actor=world.archivist,
                receiver_confirmed=False,
                accompanied_by=world.archivist2,
            )


def test_a_record_out_cannot_be_handed_to_someone_else(world, window):
    first = _approved_viewing(world, window)
    second = sign_all(ask(world.executive, [world.own], window), world.archive_head)
    with time_machine.travel(window[0]):
        hand_over(
            access_request=first,
            actor=world.archivist,
            receiver_confirmed=True,
            accompanied_by=world.archivist2,
        )
        with pytest.raises(ArchiveError, match="not on the shelf"):
            hand_over(
                access_request=second, actor=world.archivist2, receiver_confirmed=True
            )
    second.refresh_from_db()
    assert second.status == AccessRequest.Status.APPROVED


def test_the_hand_over_waits_for_the_approved_time(world, window):
    request = _approved_viewing(world, window)
    early = window[0] - datetime.timedelta(hours=3)
    with (
        time_machine.travel(early),
        pytest.raises(ArchiveError, match="starts at"),
    ):
        hand_over(
            access_request=request,
            actor=world.archivist,
            receiver_confirmed=True,
            accompanied_by=world.archivist2,
        )


def test_usage_log_records_each_viewing(world, window):
    from lending.models import UsageEvent

    request = _approved_viewing(world, window)
    with time_machine.travel(window[0]):
        hand_over(
            access_request=request,
            actor=world.archivist,
            receiver_confirmed=True,
            accompanied_by=world.archivist2,
        )
    events = UsageEvent.objects.filter(kind="viewing")
    assert {e.record_id for e in events} == {world.own.pk, world.other_own.pk}
    assert {e.person_id for e in events} == {world.finance_clerk.pk}
    assert all(e.purpose == "核对客户投诉处理经过" for e in events)


def test_the_archive_is_told_when_a_request_is_ready_at_the_desk(world, window):
    """Issue 19, item 12: the last signature makes it the desk's work."""
    request = ask(world.finance_clerk, [world.own], window)
    first, last = request.steps.all()
    step_decide(step_id=first.pk, actor=world.finance_head, approve=True)
    assert not world.archivist.notifications.filter(key="request_ready").exists()
    step_decide(step_id=last.pk, actor=world.archive_head, approve=True)
    ready = world.archivist.notifications.get(key="request_ready")
    assert str(ready) == (
        f"Request {request.reference} from {world.finance_clerk} is approved: "
        "prepare 1 record(s) for the desk."
    )
    assert world.archivist2.notifications.filter(key="request_ready").exists()


def test_approvers_see_what_they_approve_as_far_as_they_may_know_it(
    client, world, window
):
    """Issue 19, item 2: not only archive numbers. Every approver sees each
    record's category and level, the purpose and the window; the title and a
    link only someone who may see the record in the catalogue."""
    request = ask(world.finance_clerk, [world.own], window)
    client.force_login(world.finance_head)  # may not see CS1's records
    page = client.get(reverse("lending:approvals")).content.decode()
    assert world.own.number in page
    assert "Customer communication records" in page and "Internal" in page
    assert "核对客户投诉处理经过" in page  # the purpose
    assert window[0].strftime("%Y-%m-%d %H:%M") in page
    assert world.own.title not in page
    assert world.own.get_absolute_url() not in page
    first = request.steps.first()
    step_decide(step_id=first.pk, actor=world.finance_head, approve=True)
    client.force_login(world.archive_head)  # sees every record
    page = client.get(reverse("lending:approvals")).content.decode()
    assert world.own.title in page
    assert f'href="{world.own.get_absolute_url()}"' in page


def test_the_desk_has_a_pull_list_in_the_order_of_the_stacks(client, world):
    """Issue 19, item 4: what to fetch today, for whom, and where it is,
    storeroom by storeroom, on the page and printed. At ten in the morning:
    run at 23:40 the windows began after midnight, tomorrow's list."""
    morning = datetime.datetime.combine(
        timezone.localdate(), datetime.time(10), timezone.get_current_timezone()
    )
    with time_machine.travel(morning, tick=False):
        _pull_list_in_stack_order(client, world)


def _pull_list_in_stack_order(client, world):
    import subprocess

    from archives.models import Storeroom
    from tests.factories import BoxFactory
    from tests.factories import ShelfFactory

    start = timezone.now() + datetime.timedelta(minutes=30)
    window = (start, start + datetime.timedelta(hours=2))
    first_room = Storeroom.objects.get(pk=world.own.box.shelf.storeroom_id)
    first_room.code = "B"
    first_room.save()
    near = BoxFactory(shelf=ShelfFactory(storeroom__code="A", storeroom__name="甲库"))
    ArchiveRecord.objects.filter(pk=world.cs2_record.pk).update(box=near)
    for who, record in (
        (world.finance_clerk, world.own),
        (world.staff2, world.cs2_record),
    ):
        request = ask(who, [record], window)
        sign_all(request, *_signers(world, request))
    client.force_login(world.archivist)
    page = client.get(reverse("lending:desk")).content.decode()
    pulled = page[page.index('data-testid="pull-list"') :]
    assert pulled.index(world.cs2_record.number) < pulled.index(world.own.number)
    assert "甲库" in pulled and str(world.finance_clerk) in pulled
    response = client.get(reverse("lending:pull-list-pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=response.content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert text.index(world.cs2_record.number) < text.index(world.own.number)
    assert "2 record(s) to fetch." in text


def _signers(world, request):
    """Who signs each step of a request of the world's people."""
    heads = {world.finance.pk: world.finance_head, world.cs1.pk: world.cs1_head}
    people = {"archive_head": world.archive_head, "archivist": world.archivist}
    return [
        heads[step.department_id] if step.role == "dept_head" else people[step.role]
        for step in request.steps.all()
    ]


def own_record_out(world, window):
    """finance_clerk's approved viewing of ``world.own``, handed over at the
    start of the window (accompanied, as another department's reading is)."""
    request = sign_all(
        ask(world.finance_clerk, [world.own], window),
        world.finance_head,
        world.archive_head,
    )
    with time_machine.travel(window[0]):
        hand_over(
            access_request=request,
            actor=world.archivist,
            receiver_confirmed=True,
            accompanied_by=world.archivist2,
        )
    return request


def own_record_returned(world, window):
    """The same viewing, taken back intact: the use has ended."""
    request = own_record_out(world, window)
    with time_machine.travel(window[0]):
        take_back(
            access_request=request,
            actor=world.archivist,
            conditions={request.items.get().pk: ("intact", "")},
        )
    request.refresh_from_db()
    return request
