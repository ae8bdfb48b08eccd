"""The hash chain of the audit log.

An entry's hash is the SHA-256 of the previous entry's hash and the entry's
own content in a canonical form. Changing any stored field of an entry breaks
its own hash; removing or inserting one breaks the link of the next.
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
    """Write one entry at the head of the chain.

    The chain is serialised: on PostgreSQL by a transaction-level advisory
    lock, on SQLite by its single writer. The lock is held to the end of the
    surrounding transaction, so the entry before is always committed.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
        prev_hash = (
            AuditEntry.objects.order_by("-pk").values_list("hash", flat=True).first()
            or GENESIS
        )
        entry = AuditEntry(**content, prev_hash=prev_hash)
        entry.hash = entry_hash(prev_hash, _content_of(entry))
        entry.save(force_insert=True)
    return entry


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

    @property
    def ok(self) -> bool:
        return self.broken is None


def verify(*, progress=None, chunk_size: int = 5000) -> Verification:
    """Walk the whole chain in order; stop at the first break."""
    expected_prev = GENESIS
    checked = 0
    last_id = 0
    head_id = head_hash = None
    fields = ("pk", "prev_hash", "hash", *CONTENT_FIELDS)
    while True:
        rows = list(
            AuditEntry.objects.filter(pk__gt=last_id)
            .order_by("pk")
            .values(*fields)[:chunk_size]
        )
        if not rows:
            break
        for row in rows:
            if row["prev_hash"] != expected_prev:
                return Verification(
                    checked, Break(row["pk"], "unlinked"), head_id, head_hash
                )
            if entry_hash(row["prev_hash"], row) != row["hash"]:
                return Verification(
                    checked, Break(row["pk"], "changed"), head_id, head_hash
                )
            expected_prev = row["hash"]
            head_id, head_hash = row["pk"], row["hash"]
            checked += 1
        last_id = rows[-1]["pk"]
        if progress is not None:
            progress(len(rows))
    return Verification(checked, None, head_id, head_hash)
