"""The lending list pages cost the same number of queries for 2 or 8 rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lending.services.approvals import step_decide
from lending.services.requests import access_request_create
from tests.factories import RecordFactory


def _queries(client, url) -> int:
    """Queries of a page after one visit has filled the cache (badges)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _add_requests(world, window, count, sign):
    from archives.services.records import record_accept
    from archives.services.records import records_submit

    for _ in range(count):
        record = RecordFactory(created_by=world.staff, customer=world.own.customer)
        records_submit(actor=world.staff, records=[record])
        record = record_accept(actor=world.archivist, record=record, box=world.own.box)
        request = access_request_create(
            requester=world.executive,
            kind="viewing",
            numbers=record.number,
            purpose="核对",
            starts_at=window[0],
            ends_at=window[1],
        )
        if sign:
            step_decide(
                step_id=request.steps.get().pk, actor=world.archive_head, approve=True
            )


@pytest.mark.parametrize(
    "who, name, sign",
    [
        ("archivist", "lending:desk", True),
        ("executive", "lending:my-requests", True),
        ("archive_head", "lending:approvals", False),  # rows wait for archive_head
        ("auditor", "lending:owner-list", True),
    ],
)
def test_list_pages_do_not_grow_with_rows(client, world, window, who, name, sign):
    client.force_login(getattr(world, who))
    url = reverse(name)
    _add_requests(world, window, 2, sign)
    few = _queries(client, url)
    _add_requests(world, window, 6, sign)
    assert _queries(client, url) == few
    assert few <= 12
