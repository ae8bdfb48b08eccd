"""Two people doing the same thing at the same moment, on PostgreSQL.

Each test starts two threads (two database connections) behind a barrier:
exactly one succeeds and the other gets a clear message.
"""

import datetime
import threading

import pytest
from django.db import connections
from django.utils import timezone

from archives.models import ArchiveRecord
from core.errors import ArchiveError
from lending.models import AccessItem
from lending.models import ApprovalStep
from lending.services.approvals import step_decide
from lending.services.circulation import hand_over
from lending.services.requests import access_request_create
from lending.services.workdays import add_working_days

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_world(reference_data, request):
    return request.getfixturevalue("world")


def at_once(*calls):
    """Run the calls in parallel threads; return (results, errors)."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        except ArchiveError as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def _window():
    now = timezone.now()
    return now - datetime.timedelta(minutes=5), now + datetime.timedelta(hours=4)


def _approved(w, person, record, kind="viewing"):
    """A request of ``person`` for ``record``, signed by the world's approvers."""
    start, end = _window()
    access_request = access_request_create(
        requester=person,
        kind=kind,
        numbers=record.number,
        purpose="核对",
        starts_at=start,
        ends_at=end,
        due_on=add_working_days(timezone.localdate(), 1) if kind == "lending" else None,
    )
    signer = {"archive_head": w.archive_head, "archivist": w.archivist}
    for step in access_request.steps.all():
        step_decide(step_id=step.pk, actor=signer[step.role], approve=True)
    access_request.refresh_from_db()
    return access_request


def test_two_approvers_sign_the_same_step_at_once(pg_world):
    w = pg_world
    start, end = _window()
    request = access_request_create(
        requester=w.supervisor,
        kind="viewing",
        numbers=w.cs2_record.number,
        purpose="跨部门核对",
        starts_at=start,
        ends_at=end,
    )
    step = request.steps.get()
    results, errors = at_once(
        lambda: step_decide(step_id=step.pk, actor=w.archive_head, approve=True),
        lambda: step_decide(step_id=step.pk, actor=w.archive_head2, approve=True),
    )
    assert len(results) == 1
    assert len(errors) == 1
    assert "already decided" in errors[0].message
    step.refresh_from_db()
    assert step.decision == ApprovalStep.Decision.APPROVED


def test_two_archivists_hand_over_the_same_request_at_once(pg_world):
    w = pg_world
    request = _approved(w, w.staff, w.own)
    results, errors = at_once(
        lambda: hand_over(
            access_request=request, actor=w.archivist, receiver_confirmed=True
        ),
        lambda: hand_over(
            access_request=request, actor=w.archivist2, receiver_confirmed=True
        ),
    )
    assert (len(results), len(errors)) == (1, 1)
    assert "only approved requests" in errors[0].message
    assert AccessItem.objects.filter(is_out=True).count() == 1


def test_one_record_lent_to_two_people_at_once(pg_world):
    w = pg_world
    first = _approved(w, w.executive, w.own, kind="lending")
    second = _approved(w, w.supervisor, w.own, kind="lending")
    results, errors = at_once(
        lambda: hand_over(
            access_request=first, actor=w.archivist, receiver_confirmed=True
        ),
        lambda: hand_over(
            access_request=second, actor=w.archivist2, receiver_confirmed=True
        ),
    )
    assert (len(results), len(errors)) == (1, 1)
    assert "not on the shelf" in errors[0].message
    w.own.refresh_from_db()
    assert w.own.status == ArchiveRecord.Status.ON_LOAN
    assert AccessItem.objects.filter(record=w.own, is_out=True).count() == 1
