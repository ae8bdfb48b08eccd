"""A record's search columns, kept by the services that change what they are
made of: its number, title, keywords, description, its customer's name, and
the text read from its files when their long-term copies are made.

No ``save()`` fills them behind the caller's back: filing, correcting and
numbering a record, a bulk import and a customer's new name each call these.
"""

from __future__ import annotations

from django.conf import settings

from archives import search
from archives.models import SEARCH_FIELDS
from archives.models import SEARCH_VERSION
from archives.models import ArchiveRecord
from archives.models import Customer
from archives.models import RecordFile


def record_content(record_ids) -> dict[int, str]:
    """The text inside each record's live files, as far as search keeps it
    (``ARCHIVE_SEARCH_CONTENT_CHARS``)."""
    found: dict[int, list[str]] = {}
    files = (
        RecordFile.objects.filter(record_id__in=record_ids, erased_at__isnull=True)
        .exclude(content_text="")
        .order_by("pk")
        .values_list("record_id", "content_text")
    )
    for record_id, text in files:
        found.setdefault(record_id, []).append(text)
    limit = settings.ARCHIVE_SEARCH_CONTENT_CHARS
    return {pk: "\n".join(texts)[:limit] for pk, texts in found.items()}


def record_search_fill(
    record: ArchiveRecord,
    customer_name: str | None = None,
    content: str | None = None,
) -> list[str]:
    """Fill the record's search columns (not saved); the fields to save.

    They hold number, title, customer, keywords, description and the text
    inside its files. A bulk writer that knows the customer's name or the
    files' text passes them, sparing queries (a new record has no text yet).
    """
    if customer_name is None:
        customer_name = record.customer.name if record.customer is not None else ""
    if content is None:
        content = record_content([record.pk]).get(record.pk, "") if record.pk else ""
    record.search_text = search.search_text(
        record.number,
        record.title,
        customer_name,
        record.keywords,
        record.description,
        content,
    )
    record.search_grams = search.document_grams(record.search_text)
    record.search_version = SEARCH_VERSION
    return list(SEARCH_FIELDS)


def customer_records_search_refresh(customer: Customer) -> int:
    """After a customer's name changed: its records are found by the new one."""
    records = list(ArchiveRecord.objects.filter(customer=customer))
    content = record_content([record.pk for record in records])
    for record in records:
        record_search_fill(record, customer.name, content.get(record.pk, ""))
    ArchiveRecord.objects.bulk_update(records, SEARCH_FIELDS, batch_size=1000)
    return len(records)


def record_search_refresh(record: ArchiveRecord) -> None:
    """After the text of a record's files changed: save its search columns."""
    fields = record_search_fill(record)
    ArchiveRecord.objects.filter(pk=record.pk).update(
        **{field: getattr(record, field) for field in fields}
    )
