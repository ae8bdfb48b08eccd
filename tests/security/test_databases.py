"""The database under faults (security issue, items 15 and 16): two systems
filing at once on SQLite, and a kept connection after PostgreSQL restarts."""

import threading

import pytest
import requests
from django.db import connection
from django.db import connections
from django.utils import timezone

from archives.models import ArchiveRecord
from tests.factories import CustomerFactory
from tests.factories import api_key

FILINGS_PER_CLIENT = 10


def _body(customer_code: str, n: int) -> dict:
    return {
        "category": "GT",
        "subcodes": {"channel": "DH"},
        "title": f"电话咨询保修政策 {n}",
        "customer": customer_code,
        "date_formed": timezone.localdate().isoformat(),
        "carrier": "paper",
        "page_count": 2,
    }


@pytest.mark.usefixtures("reference_data")
def test_two_systems_filing_at_once_are_both_served(live_server, request):
    """On SQLite, 20 filings from two clients at once: none is "database is
    locked" (WAL, a busy timeout and immediate transactions)."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's locking; PostgreSQL has row locks")
    world = request.getfixturevalue("world")
    customer = CustomerFactory(responsible_staff=world.staff)
    people = [world.staff, world.staff2]
    keys = [api_key(p) for p in people]
    connections.close_all()
    barrier = threading.Barrier(len(keys))
    answers: list[int] = []

    def file_many(key: str, start: int) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Token {key}"
        barrier.wait()
        for n in range(start, start + FILINGS_PER_CLIENT):
            response = session.post(
                f"{live_server.url}/api/v1/records/",
                json=_body(customer.code, n),
                timeout=60,
            )
            answers.append(response.status_code)

    threads = [
        threading.Thread(target=file_many, args=(key, i * FILINGS_PER_CLIENT))
        for i, key in enumerate(keys)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers.count(201) == 2 * FILINGS_PER_CLIENT, answers
    assert (
        ArchiveRecord.objects.filter(title__startswith="电话咨询保修政策").count()
        == 2 * FILINGS_PER_CLIENT
    )


@pytest.mark.postgres
@pytest.mark.usefixtures("reference_data")
def test_the_first_request_after_a_database_restart_is_served(client, world):
    """A kept connection that the server dropped (as a restart does) is
    noticed before the next request uses it: the page is served, not a 500."""
    from django.db import close_old_connections

    client.force_login(world.archivist)
    assert client.get("/catalogue/").status_code == 200
    backend = connection.connection.get_backend_pid()
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [backend])
    finally:
        other.close()
    # What Django does when a request starts (the test client skips it).
    close_old_connections()
    assert client.get("/catalogue/").status_code == 200
