"""The retention pages cost the same number of queries for few or many rows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from archives.models import ArchiveRecord
from retention.services.holds import hold_place
from retention.services.incidents import incident_open
from tests.retention.test_checks import run
from tests.retention.test_destruction import opened


def _queries(client, url) -> int:
    """Queries of a page after one visit has filled the cache (badges)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _more(world, count):
    """More records due, more holds and incidents, more findings."""
    from archives.services.records import record_accept
    from archives.services.records import records_submit
    from tests.factories import RecordFactory

    records = []
    for _ in range(count):
        record = RecordFactory(created_by=world.staff, customer=world.own.customer)
        records_submit(actor=world.staff, records=[record])
        records.append(
            record_accept(actor=world.archivist, record=record, box=world.own.box)
        )
    for record in records[:2]:
        hold_place(actor=world.archive_head, record=record, reason="审计")
    incident_open(
        actor=world.archivist,
        kind="loss",
        summary="丢失",
        description="",
        records=records[2:4],
        effect="lost",
        told=[],
    )
    ArchiveRecord.objects.filter(pk__in=[r.pk for r in records[4:]]).update(box=None)
    return records


def test_retention_pages_cost_the_same_for_more_rows(world, client):
    appraisal = opened(world, [world.own, world.cs2_record])
    hold_place(actor=world.archive_head, record=world.other_own, reason="诉讼")
    incident_open(
        actor=world.archivist,
        kind="damage",
        summary="受潮",
        description="",
        records=[world.confidential],
        effect="damaged",
        told=[],
    )
    report = run("inspection")
    urls = [
        "/retention/due/",
        appraisal.get_absolute_url(),
        "/retention/appraisals/",
        "/retention/holds/",
        "/retention/incidents/",
        "/retention/checks/",
        report.get_absolute_url(),
    ]
    client.force_login(world.archive_head)
    before = {url: _queries(client, url) for url in urls}
    records = _more(world, 8)
    appraisal.items.model.objects.bulk_create(
        [appraisal.items.model(appraisal=appraisal, record=r) for r in records[4:]]
    )
    run("inspection")
    after = {url: _queries(client, url) for url in urls}
    assert after == before
