"""Many archivists accepting at the same moment on PostgreSQL (SPEC §2)."""

import threading

import pytest
from django.db import connections

from archives.models import ArchiveRecord
from archives.services.records import record_accept
from archives.services.records import records_submit
from tests.factories import BoxFactory
from tests.factories import RecordFactory
from tests.factories import UserFactory

THREADS = 16
PER_THREAD = 5


@pytest.mark.postgres
@pytest.mark.usefixtures("reference_data")
def test_parallel_acceptances_give_unique_gap_free_numbers(staff):
    archivists = [UserFactory(role="archivist") for _ in range(THREADS)]
    box = BoxFactory(capacity=THREADS * PER_THREAD * 2)
    records = [RecordFactory(created_by=staff) for _ in range(THREADS * PER_THREAD)]
    records_submit(actor=staff, records=records)
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def accept(index: int) -> None:
        try:
            barrier.wait()
            mine = records[index * PER_THREAD : (index + 1) * PER_THREAD]
            for record in mine:
                record_accept(actor=archivists[index], record=record, box=box)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = list(ArchiveRecord.objects.values_list("number", flat=True))
    expected = {f"GT20230101{n:03d}" for n in range(1, THREADS * PER_THREAD + 1)}
    assert len(numbers) == len(set(numbers)) == THREADS * PER_THREAD
    assert set(numbers) == expected
