"""Loans: working days, read-only categories, extensions, reminders, clearance."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from archives.models import Category
from core.errors import ArchiveError
from lending.models import AccessRequest
from lending.models import Holiday
from lending.models import Reminder
from lending.services.approvals import step_decide
from lending.services.circulation import extension_decide
from lending.services.circulation import extension_request
from lending.services.circulation import hand_over
from lending.services.circulation import loan_reminders_send
from lending.services.circulation import take_back
from lending.services.clearance import clearance_complete
from lending.services.requests import access_request_create
from lending.services.workdays import add_working_days

MONDAY = datetime.date(2026, 11, 23)


def at(day, hour=9):
    return datetime.datetime.combine(
        day, datetime.time(hour), timezone.get_current_timezone()
    )


def borrow(person, records, due_on, start=MONDAY):
    return access_request_create(
        requester=person,
        kind="lending",
        numbers=",".join(r.number for r in records),
        purpose="准备客户回访材料",
        starts_at=at(start),
        due_on=due_on,
    )


@pytest.fixture
def monday():
    with time_machine.travel(at(MONDAY, 8), tick=False):
        yield MONDAY


def test_working_days_skip_weekends_and_holidays(db):
    assert add_working_days(MONDAY, 5) == datetime.date(2026, 11, 30)
    Holiday.objects.create(date=datetime.date(2026, 11, 26), name="公司假日")
    assert add_working_days(MONDAY, 5) == datetime.date(2026, 12, 1)


def test_working_days_follow_the_national_calendar_and_its_make_up_weekends(
    db, settings
):
    """Issue 19, item 21: National Day week is off; the Saturday after the
    Spring Festival (2026-02-14) is a working day (调休上班)."""
    # Tuesday 29 September 2026: 30 Sep is a working day, then 1–7 Oct off.
    assert add_working_days(datetime.date(2026, 9, 29), 2) == datetime.date(2026, 10, 8)
    # Friday 13 February 2026: the next working day is the make-up Saturday.
    assert add_working_days(datetime.date(2026, 2, 13), 1) == datetime.date(2026, 2, 14)
    # The company's own calendar wins over the national one, both ways.
    Holiday.objects.create(
        date=datetime.date(2026, 2, 14), name="公司不调休", kind=Holiday.Kind.DAY_OFF
    )
    Holiday.objects.create(
        date=datetime.date(2026, 10, 3),
        name="档案室值班",
        kind=Holiday.Kind.WORKING_DAY,
    )
    assert add_working_days(datetime.date(2026, 9, 29), 2) == datetime.date(2026, 10, 3)
    # A year the national calendar does not know yet: weekends only.
    assert add_working_days(datetime.date(2027, 1, 1), 1) == datetime.date(2027, 1, 4)
    settings.ARCHIVE_STATUTORY_CALENDAR = False
    Holiday.objects.all().delete()
    assert add_working_days(datetime.date(2026, 9, 29), 2) == datetime.date(2026, 10, 1)


def test_a_loan_lasts_at_most_five_working_days(world, monday):
    with pytest.raises(ValidationError) as error:
        borrow(world.staff, [world.own], due_on=datetime.date(2026, 12, 1))
    assert "2026-11-30" in str(error.value)
    loan = borrow(world.staff, [world.own], due_on=datetime.date(2026, 11, 30))
    assert [s.role for s in loan.steps.all()] == ["archive_head"]


@override_settings(ARCHIVE_LOAN_WORKING_DAYS=2)
def test_the_loan_period_is_a_setting(world, monday):
    with pytest.raises(ValidationError, match="2026-11-25"):
        borrow(world.staff, [world.own], due_on=datetime.date(2026, 11, 26))


@override_settings(ARCHIVE_LENDING_CS_MANAGER_APPROVAL=True)
def test_the_cs_manager_can_be_added_to_the_chain(world, monday):
    loan = borrow(world.finance_clerk, [world.own], due_on=datetime.date(2026, 11, 27))
    assert [(s.role, s.department_id) for s in loan.steps.all()] == [
        ("cs_supervisor", world.cs1.pk),
        ("archive_head", None),
    ]


def test_read_only_categories_are_never_lent(world, monday):
    Category.objects.filter(code="GT").update(lendable=False)
    with pytest.raises(ArchiveError, match="never lent"):
        borrow(world.staff, [world.own], due_on=datetime.date(2026, 11, 27))


def _out_loan(world, due=datetime.date(2026, 11, 27)):
    loan = borrow(world.staff, [world.own], due_on=due)
    step_decide(step_id=loan.steps.get().pk, actor=world.archive_head, approve=True)
    loan.refresh_from_db()
    hand_over(access_request=loan, actor=world.archivist, receiver_confirmed=True)
    loan.refresh_from_db()
    return loan


def test_extension_before_the_due_date_within_the_cap(world, monday):
    loan = _out_loan(world)
    with pytest.raises(ValidationError, match="2026-12-04"):
        extension_request(
            access_request=loan,
            actor=world.staff,
            new_due_on=datetime.date(2026, 12, 7),
            reason="客户补充材料",
        )
    extension = extension_request(
        access_request=loan,
        actor=world.staff,
        new_due_on=datetime.date(2026, 12, 4),
        reason="客户补充材料",
    )
    extension_decide(extension=extension, actor=world.archive_head, approve=True)
    loan.refresh_from_db()
    assert loan.due_on == datetime.date(2026, 12, 4)
    with pytest.raises(ArchiveError, match="extension"):
        extension_request(
            access_request=loan,
            actor=world.staff,
            new_due_on=datetime.date(2026, 12, 5),
            reason="再延",
        )


def test_no_extension_after_the_due_date(world, monday):
    loan = _out_loan(world)
    with (
        time_machine.travel(at(datetime.date(2026, 11, 28))),
        pytest.raises(ArchiveError, match="passed"),
    ):
        extension_request(
            access_request=loan,
            actor=world.staff,
            new_due_on=datetime.date(2026, 12, 2),
            reason="忘了",
        )


def test_reminders_follow_the_cadence_once_each_and_stop_on_return(
    world, monday, django_capture_on_commit_callbacks
):
    loan = _out_loan(world, due=datetime.date(2026, 11, 27))
    sent = {}
    for day in range(23, 31):
        date = datetime.date(2026, 11, day)
        # Mail leaves once the run's transaction commits (accounts.tasks).
        with django_capture_on_commit_callbacks(execute=True):
            sent[day] = loan_reminders_send(today=date)
        assert loan_reminders_send(today=date) == 0  # a second run sends nothing
    # 1 day before (26th), on the day (27th), 1 day late (28th); the next is at +7.
    assert [d for d, n in sent.items() if n] == [26, 27, 28]
    # (The world's filers were also told their records were accepted.)
    keys = list(
        world.staff.notifications.exclude(key="record_accepted")
        .order_by("created_at")
        .values_list("key", flat=True)
    )
    assert keys == [
        "request_approved",
        "loan_due_soon",
        "loan_due_today",
        "loan_overdue",
    ]
    assert len(mail.outbox) == 3
    assert not world.supervisor.notifications.exclude(key="record_accepted").exists()
    # The second overdue reminder (+7) tells the supervisor as well.
    assert loan_reminders_send(today=datetime.date(2026, 12, 4)) == 1
    assert world.supervisor.notifications.filter(key="loan_overdue_report").exists()
    assert Reminder.objects.get(offset_days=7).supervisor_told
    take_back(
        access_request=loan,
        actor=world.archivist,
        conditions={loan.items.get().pk: ("intact", "")},
    )
    assert loan_reminders_send(today=datetime.date(2026, 12, 30)) == 0


def test_a_missed_day_is_caught_up_once(world, monday):
    _out_loan(world, due=datetime.date(2026, 11, 27))
    # The task did not run for a week: one reminder (the latest due), not four.
    assert loan_reminders_send(today=datetime.date(2026, 12, 1)) == 1
    assert Reminder.objects.get().offset_days == 1


def test_clearance_waits_until_everything_is_back(world, monday):
    loan = _out_loan(world)
    with pytest.raises(ArchiveError, match=world.own.number):
        clearance_complete(person=world.staff, actor=world.archivist)
    take_back(
        access_request=loan,
        actor=world.archivist,
        conditions={loan.items.get().pk: ("intact", "")},
    )
    pending = borrow(world.staff, [world.own], due_on=datetime.date(2026, 11, 27))
    clearance_complete(person=world.staff, actor=world.archivist)
    pending.refresh_from_db()
    assert pending.status == AccessRequest.Status.WITHDRAWN
    with pytest.raises(Exception, match="clearance"):
        borrow(world.staff, [world.own], due_on=datetime.date(2026, 11, 27))


def test_a_lost_record_on_return_is_lost_and_opens_an_incident(world, monday):
    from retention.models import Incident

    loan = _out_loan(world)
    take_back(
        access_request=loan,
        actor=world.archivist,
        conditions={loan.items.get().pk: ("missing", "借阅人称遗失在出租车上")},
    )
    world.own.refresh_from_db()
    assert world.own.status == "lost"
    incident = Incident.objects.get()
    assert (incident.kind, incident.person) == ("loss", world.staff)


def test_the_extension_form_is_offered_only_when_it_can_be_used(client, world, monday):
    """Issue 19, item 6: after the one extension allowed (or past the due
    date) the page says why instead of offering a form that can only be
    refused; a refusal does not ask to correct what cannot be corrected."""
    loan = _out_loan(world)
    client.force_login(world.staff)
    extend = reverse("lending:request-extend", args=[loan.pk])
    page = client.get(loan.get_absolute_url()).content.decode()
    assert f'action="{extend}"' in page
    extension = extension_request(
        access_request=loan,
        actor=world.staff,
        new_due_on=datetime.date(2026, 12, 4),
        reason="客户补充材料",
    )
    extension_decide(extension=extension, actor=world.archive_head, approve=True)
    page = client.get(loan.get_absolute_url()).content.decode()
    assert f'action="{extend}"' not in page
    assert "This loan has had its 1 extension(s) already." in page
    refused = client.post(
        extend, {"new_due_on": "2026-12-07", "reason": "再延"}
    ).content.decode()
    assert "This loan has had its 1 extension(s) already." in refused
    assert "Please correct the problems below" not in refused
