"""One record by key (record_get_visible): its statements are of one shape
whoever asks (core.prepared), and they let a person see exactly the records
the catalogue's rule lets them see (record_visibility_q) — for every person
of the world, their own records and others', drafts, confidential ones,
grants inside, before and after their window, and someone switched off."""

import datetime

import pytest
from django.utils import timezone

from archives import permissions
from archives.models import ArchiveRecord
from archives.selectors import record_get_visible
from archives.selectors import record_visibility_q
from tests.factories import RecordFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _people(world) -> list:
    names = [
        "staff",
        "staff2",
        "supervisor",
        "cs2_supervisor",
        "finance_clerk",
        "finance_head",
        "cs1_head",
        "archivist",
        "archive_head",
        "executive",
        "front_desk",
        "auditor",
        "admin",
    ]
    return [getattr(world, name) for name in names]


def test_a_record_by_key_is_seen_exactly_as_the_rule_says(world):
    now = timezone.now()
    day = datetime.timedelta(days=1)
    draft = RecordFactory(created_by=world.staff2, source_department=world.cs1)
    records = [
        world.own,
        world.confidential,
        world.cs2_record,
        world.other_own,
        draft,
        RecordFactory(created_by=world.supervisor, responsible_person=world.staff2),
    ]
    permissions.record_grant_view(
        record=world.cs2_record,
        user=world.finance_clerk,
        valid_from=now - day,
        valid_until=now + day,
    )
    permissions.record_grant_view(
        record=world.confidential,
        user=world.finance_clerk,
        valid_from=now - 3 * day,
        valid_until=now - day,  # over
    )
    permissions.record_grant_view(
        record=world.own, user=world.staff2, valid_from=now + day
    )  # not yet
    switched_off = UserFactory(role="archivist", is_active=False)
    seen_somewhere = set()
    for person in [*_people(world), switched_off]:
        rule = set(
            ArchiveRecord.objects.filter(record_visibility_q(user=person)).values_list(
                "pk", flat=True
            )
        )
        for record in records:
            try:
                found = record_get_visible(user=person, pk=record.pk)
            except ArchiveRecord.DoesNotExist:
                assert record.pk not in rule, (person.username, record.title)
                continue
            assert record.pk in rule, (person.username, record.title)
            assert found.title == record.title
            seen_somewhere.add((person.username, record.pk))
    # The cases this test is about, each taken at least once.
    seen = seen_somewhere
    assert (world.finance_clerk.username, world.cs2_record.pk) in seen  # grant
    assert (world.finance_clerk.username, world.confidential.pk) not in seen  # over
    assert (world.staff2.username, world.own.pk) not in seen  # grant not yet
    assert (world.supervisor.username, world.own.pk) in seen  # department
    assert (world.supervisor.username, world.confidential.pk) not in seen  # level
    assert (world.supervisor.username, draft.pk) not in seen  # a draft
    assert (world.staff2.username, draft.pk) in seen  # own draft
    assert (world.staff2.username, records[-1].pk) in seen  # responsible for it
    assert (world.staff.username, world.confidential.pk) in seen  # filed it
    assert not any(name == switched_off.username for name, _ in seen)
