"""The hash chain of the audit log.

An entry's hash is the SHA-256 of the previous entry's hash and the entry's
own content in a canonical form. Changing any stored field of an entry breaks
its own hash; removing or inserting one breaks the link of the next.

Writing an entry and linking it are two steps (issue 22): a request writes
its entry with one INSERT and takes no lock, so readers never queue behind
one another; ``link`` (every few seconds on the worker, and before every
verification) chains the entries written since, in one transaction per batch.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.db import connection
from django.db import transaction

from audit.models import AuditEntry

GENESIS = "0" * 64
# The fields the hash covers, in this order.
CONTENT_FIELDS = (
    "at",
    "actor_id",
    "actor_name",
    "department_id",
    "action",
    "outcome",
    "target_type",
    "target_id",
    "target_label",
    "ip",
    "path",
    "details",
)
# Any constant works; it names the chain's lock on PostgreSQL.
_PG_LOCK_KEY = 0x41554449  # "AUDI"


def _canonical(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value


def entry_hash(prev_hash: str, content: dict) -> str:
    body = json.dumps(
        [_canonical(content[name]) for name in CONTENT_FIELDS],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()


def append(content: dict) -> AuditEntry:
    """Write one entry, to be linked into the chain a moment later.

    One INSERT and no lock: record views and prints, which write an entry
    each, never wait for one another. The entry's content cannot change from
    the moment it is written (on PostgreSQL a trigger refuses it, migration
    0010); ``link`` then gives it its place and its hash.
    """
    return AuditEntry.objects.create(**content)


# Entries linked in one transaction.
LINK_BATCH = 2000


def _head() -> tuple[int, str]:
    """The last linked entry's place and hash."""
    head = (
        AuditEntry.objects.filter(seq__isnull=False)
        .order_by("-seq")
        .values_list("seq", "hash")
        .first()
    )
    return head or (0, GENESIS)


def link(*, batch_size: int = LINK_BATCH) -> int:
    """Link the committed entries not yet in the chain, oldest first.

    Only linking is serialised (on PostgreSQL by a transaction-level advisory
    lock, on SQLite by its single writer); writing an entry is not. An entry
    whose transaction commits late is linked by a later call, after entries
    written after it: its place is ``seq``, not its id.
    """
    linked = 0
    while True:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
            seq, prev_hash = _head()
            waiting = list(
                AuditEntry.objects.filter(hash__isnull=True).order_by("pk")[:batch_size]
            )
            for entry in waiting:
                seq += 1
                entry.seq, entry.prev_hash = seq, prev_hash
                entry.hash = prev_hash = entry_hash(prev_hash, _content_of(entry))
            _save_links(waiting)
        linked += len(waiting)
        if len(waiting) < batch_size:
            return linked


def _save_links(entries: list[AuditEntry]) -> None:
    """Write the entries' places and hashes: on PostgreSQL one UPDATE from a
    list of values (a CASE per column of Django's bulk_update plans slowly)."""
    if connection.vendor != "postgresql":
        AuditEntry.objects.bulk_update(
            entries, ["seq", "prev_hash", "hash"], batch_size=500
        )
        return
    from psycopg2.extras import execute_values

    with connection.cursor() as cursor:
        execute_values(
            cursor.cursor,
            "UPDATE audit_auditentry AS a"
            " SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash"
            " FROM (VALUES %s) AS v (id, seq, prev_hash, hash) WHERE a.id = v.id",
            [(e.pk, e.seq, e.prev_hash, e.hash) for e in entries],
            page_size=1000,
        )


def _content_of(entry: AuditEntry) -> dict:
    return {name: getattr(entry, name) for name in CONTENT_FIELDS}


@dataclass(frozen=True)
class Break:
    """The first entry where the chain does not hold, and why."""

    entry_id: int
    reason: str  # "changed" (its content no longer matches) or "unlinked"


@dataclass(frozen=True)
class Verification:
    checked: int
    broken: Break | None
    head_id: int | None
    head_hash: str | None
    pending: int = 0  # written, not yet linked

    @property
    def ok(self) -> bool:
        return self.broken is None


def verify(*, progress=None, chunk_size: int = 5000) -> Verification:
    """Walk the whole chain in order; stop at the first break.

    Entries not yet linked are counted, not checked: call ``link`` first.
    """
    expected_prev = GENESIS
    checked = 0
    last_seq = 0
    head_id = head_hash = None
    pending = AuditEntry.objects.filter(hash__isnull=True).count()
    fields = ("pk", "seq", "prev_hash", "hash", *CONTENT_FIELDS)
    while True:
        rows = list(
            AuditEntry.objects.filter(seq__gt=last_seq)
            .order_by("seq")
            .values(*fields)[:chunk_size]
        )
        if not rows:
            break
        for row in rows:
            if row["prev_hash"] != expected_prev:
                return Verification(
                    checked, Break(row["pk"], "unlinked"), head_id, head_hash, pending
                )
            if entry_hash(row["prev_hash"], row) != row["hash"]:
                return Verification(
                    checked, Break(row["pk"], "changed"), head_id, head_hash, pending
                )
            expected_prev = row["hash"]
            head_id, head_hash = row["pk"], row["hash"]
            checked += 1
        last_seq = rows[-1]["seq"]
        if progress is not None:
            progress(len(rows))
    return Verification(checked, None, head_id, head_hash, pending)
