"""The two paths that had drifted from their workflow's one service (issue 16,
item 1): withdrawal at departure clearance, and an incident opened by a
return with damage."""

import datetime

from audit.models import AuditEntry
from lending.models import AccessRequest
from lending.services.circulation import take_back
from lending.services.clearance import clearance_complete
from tests.lending.test_lending import _out_loan
from tests.lending.test_lending import borrow
from tests.lending.test_lending import monday  # noqa: F401 - a fixture


def test_clearance_withdraws_like_the_requester_would(world, monday):  # noqa: F811
    """Closed, logged with who and why, grants ended."""
    pending = borrow(world.staff, [world.own], due_on=datetime.date(2026, 11, 27))
    clearance_complete(person=world.staff, actor=world.archivist)
    pending.refresh_from_db()
    assert pending.status == AccessRequest.Status.WITHDRAWN
    assert pending.closed_at is not None
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.WITHDRAWN).get()
    assert entry.actor == world.archivist
    assert entry.target_label == pending.reference
    assert entry.details["reason"] == "Departure clearance"
    assert pending.history.first().history_change_reason == "Departure clearance"


def test_the_requester_withdrawing_is_logged_too(world, monday):  # noqa: F811
    from lending.services.requests import access_request_withdraw

    pending = borrow(world.staff, [world.own], due_on=datetime.date(2026, 11, 27))
    access_request_withdraw(access_request=pending, actor=world.staff)
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.WITHDRAWN).get()
    assert entry.actor == world.staff


def test_a_damaged_return_tells_the_heads_of_archives(world, monday):  # noqa: F811
    loan = _out_loan(world)
    take_back(
        access_request=loan,
        actor=world.archivist,
        conditions={loan.items.get().pk: ("damaged", "封面水渍")},
    )
    for head in (world.archive_head, world.archive_head2):
        assert head.notifications.filter(key="incident_opened").exists()
    world.own.refresh_from_db()
    assert world.own.status == "damaged"


def test_an_incidents_status_is_not_a_field_of_the_admin(client, world):
    from django.urls import reverse

    from retention.services.incidents import incident_open

    incident = incident_open(
        actor=world.archivist,
        kind="damp",
        summary="渗水",
        description="墙角渗水",
        records=[],
        effect="none",
        told=[],
    )
    world.admin.is_staff = True
    world.admin.is_superuser = True  # even with every right of the admin
    world.admin.save()
    client.force_login(world.admin)
    page = client.get(reverse("admin:retention_incident_change", args=[incident.pk]))
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()
