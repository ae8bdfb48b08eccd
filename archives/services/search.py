"""A record's search columns, kept by the services that change what they are
made of (its number, title, keywords and its customer's name).

No ``save()`` fills them behind the caller's back: filing, correcting and
numbering a record, a bulk import and a customer's new name each call these.
"""

from __future__ import annotations

from archives import search
from archives.models import SEARCH_FIELDS
from archives.models import ArchiveRecord
from archives.models import Customer


def record_search_fill(
    record: ArchiveRecord, customer_name: str | None = None
) -> list[str]:
    """Fill the record's search columns (not saved); the fields to save.

    A bulk writer that knows the customer's name passes it, sparing a query.
    """
    if customer_name is None:
        customer_name = record.customer.name if record.customer is not None else ""
    record.search_text = search.search_text(
        record.number, record.title, customer_name, record.keywords
    )
    record.search_grams = search.document_grams(record.search_text)
    return list(SEARCH_FIELDS)


def customer_records_search_refresh(customer: Customer) -> int:
    """After a customer's name changed: its records are found by the new one."""
    records = list(ArchiveRecord.objects.filter(customer=customer))
    for record in records:
        record_search_fill(record, customer.name)
    ArchiveRecord.objects.bulk_update(records, SEARCH_FIELDS, batch_size=1000)
    return len(records)
