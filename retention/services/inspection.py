"""The monthly inspection (SPEC §10): files, numbers, storage, facilities.

Every electronic file is read again and its SHA-256 compared with the one
taken at ingest; destroyed records must have left no file behind; number
sequences must have no gaps; paper on file must be in a box and boxes within
their capacity. The facilities checklist (S0 §3.2) is ticked per storeroom in
the browser on the same report.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

from django.core.files.storage import storages
from django.db.models import Count
from django.db.models import F

from archives.models import ArchiveRecord
from archives.models import Box
from archives.models import PreservationCopy
from archives.models import RecordFile
from archives.selectors import number_gaps
from audit import chain as audit_chain
from audit.models import AuditEntry
from audit.reports import break_params
from retention.models import CheckRun
from retention.services.files import file_label
from retention.services.files import filed_file_count
from retention.services.files import filed_files
from retention.services.files import sha256_of

RecordStatus = ArchiveRecord.Status
SHELF_STATUSES = (RecordStatus.ARCHIVED, RecordStatus.APPRAISED, RecordStatus.DAMAGED)


def _rehash(writer, progress) -> int:
    store = storages["default"]
    checked = 0
    for chunk in filed_files():
        for row in chunk:
            actual = sha256_of(store, row.name)
            params = {"number": row.number, "file": file_label(row.name)}
            if actual is None:
                writer.add("file_missing", params, record_id=row.record_id)
            elif actual != row.sha256:
                writer.add(
                    "checksum_mismatch",
                    {**params, "expected": row.sha256[:12], "actual": actual[:12]},
                    record_id=row.record_id,
                )
        checked += len(chunk)
        progress.advance(len(chunk))
    return checked


def _erased_leftovers(writer) -> None:
    stores = {
        "erased_file_present": storages["default"],
        "erased_backup_present": storages["backup"],
    }
    erased = (
        RecordFile.objects.filter(erased_at__isnull=False)
        .order_by("pk")
        .values_list("file", "record_id", "record__number")
    )
    copies = (
        PreservationCopy.objects.filter(source__erased_at__isnull=False)
        .exclude(file="")
        .order_by("pk")
        .values_list("file", "source__record_id", "source__record__number")
    )
    for name, record_id, number in chain(
        erased.iterator(chunk_size=1000), copies.iterator(chunk_size=1000)
    ):
        for code, storage in stores.items():
            if storage.exists(name):
                writer.add(
                    code,
                    {"number": number, "file": file_label(name)},
                    record_id=record_id,
                )


def _numbers(writer) -> int:
    gaps = number_gaps()
    for gap in gaps:
        shown = gap.numbers[:50]
        writer.add(
            "number_gap",
            {
                "prefix": gap.prefix,
                "numbers": "、".join(shown)
                + ("…" if len(gap.missing) > len(shown) else ""),
            },
        )
    return len(gaps)


def _storage(writer) -> None:
    unboxed = (
        ArchiveRecord.objects.filter(
            status__in=SHELF_STATUSES,
            carrier__in=[ArchiveRecord.Carrier.PAPER, ArchiveRecord.Carrier.BOTH],
            box__isnull=True,
        )
        .order_by("pk")
        .values_list("pk", "number")
    )
    for pk, number in unboxed.iterator(chunk_size=2000):
        writer.add("paper_without_box", {"number": number}, record_id=pk)
    full = (
        Box.objects.annotate(count=Count("records"))
        .filter(count__gt=F("capacity"))
        .values_list("code", "count", "capacity", "shelf__storeroom_id")
    )
    for code, count, capacity, storeroom_id in full:
        writer.add(
            "box_over_capacity",
            {"box": code, "count": count, "capacity": capacity},
            storeroom_id=storeroom_id,
        )


def _audit_chain(writer) -> tuple[int, dict | None]:
    """The audit log's hash chain (SPEC §13); a break is named.

    Each report keeps the chain's last entry (its anchor). The chain alone
    cannot show entries cut off its end; an earlier report's anchor that is
    gone or changed does.
    """
    audit_chain.link()
    result = audit_chain.verify()
    if not result.ok and result.broken is not None:
        writer.add(f"audit_entry_{result.broken.reason}", break_params(result))
    anchors = {
        period: summary["audit_head"]
        for period, summary in CheckRun.objects.filter(
            kind=CheckRun.Kind.INSPECTION, summary__has_key="audit_head"
        ).values_list("period", "summary")
    }
    present = dict(
        AuditEntry.objects.filter(
            pk__in=[head["id"] for head in anchors.values()]
        ).values_list("pk", "hash")
    )
    for period, head in sorted(anchors.items()):
        if present.get(head["id"]) != head["hash"]:
            writer.add("audit_anchor_missing", {"entry": head["id"], "period": period})
    anchor = {"id": result.head_id, "hash": result.head_hash} if result.ok else None
    return result.checked, anchor


def _four_checks(writer) -> int:
    """Usability and a virus scan with today's signatures, again, on the
    stored files (四性检测 in long-term keeping): all records with files, or
    a random sample of ``ARCHIVE_INSPECTION_FILE_SAMPLE`` of them. Each
    record keeps its report; what fails is a finding."""
    from django.conf import settings

    from archives.models import FileCheck
    from archives.services import filechecks

    records = (
        ArchiveRecord.objects.filter(
            status__in=SHELF_STATUSES,
            files__erased_at__isnull=True,
        )
        .distinct()
        .select_related("category")
    )
    sample = settings.ARCHIVE_INSPECTION_FILE_SAMPLE
    records = records.order_by("?")[:sample] if sample else records.order_by("pk")
    checked = 0
    for record in records.iterator(chunk_size=200):
        report = filechecks.record_check(
            record=record, stage=FileCheck.Stage.INSPECTION
        )
        checked += 1
        for item in report.items.all():
            if item.outcome not in filechecks.BLOCKING:
                continue
            if item.aspect not in ("usability", "security"):
                continue  # the hash and presence are the rehash's findings
            code = {
                "virus_found": "file_infected",
                "scan_pending": "file_scan_pending",
            }.get(item.code, "file_unusable")
            writer.add(
                code,
                {
                    "number": record.number,
                    "file": item.file.display_name if item.file else "",
                    # Worded for each reader (archives.checkmessages).
                    "check": item.code,
                    "check_params": item.params,
                },
                record_id=record.pk,
            )
    return checked


def _copies(writer) -> int:
    """The long-term copies: those that could not be made are findings, and
    those made are opened and scanned again with today's signatures."""
    from django.core.files.base import ContentFile

    from archives import probes
    from core import clamav

    failed = (
        PreservationCopy.objects.filter(
            state=PreservationCopy.State.FAILED, source__erased_at__isnull=True
        )
        .order_by("pk")
        .values_list(
            "source__original_name",
            "source__record_id",
            "source__record__number",
            "error_code",
            "error_detail",
        )
    )
    for name, record_id, number, code, detail in failed.iterator(chunk_size=1000):
        writer.add(
            "copy_failed",
            {
                "number": number,
                "file": name,
                "check": code,
                "check_params": {"detail": detail[:300]},
            },
            record_id=record_id,
        )
    store = storages["default"]
    scanned = 0
    made = _made_copies().values_list(
        "file", "source__record_id", "source__record__number"
    )
    for name, record_id, number in made.iterator(chunk_size=1000):
        if not store.exists(name):
            continue  # the rehash names it
        with store.open(name, "rb") as handle:
            data = ContentFile(handle.read())
        suffix = name.rsplit(".", 1)[-1].lower()
        opened = probes.probe(suffix, data)
        if not opened.opens:
            writer.add(
                "copy_unusable",
                {
                    "number": number,
                    "file": file_label(name),
                    "check": opened.code,
                    "check_params": {"suffix": suffix, "detail": opened.detail[:200]},
                },
                record_id=record_id,
            )
        try:
            result = clamav.scan(data)
        except clamav.ScanUnavailable:
            continue  # the files' own checks say the scanner is away
        scanned += 1
        if not result.clean:
            writer.add(
                "copy_infected",
                {
                    "number": number,
                    "file": file_label(name),
                    "signature": result.signature,
                },
                record_id=record_id,
            )
    return scanned


def _made_copies():
    from django.conf import settings

    copies = PreservationCopy.objects.filter(
        state=PreservationCopy.State.MADE, source__erased_at__isnull=True
    ).exclude(file="")
    sample = settings.ARCHIVE_INSPECTION_FILE_SAMPLE
    return copies.order_by("?")[:sample] if sample else copies.order_by("pk")


def run(check, writer, progress) -> dict:
    """The automatic part of the monthly inspection."""
    progress.total(filed_file_count())
    files_checked = _rehash(writer, progress)
    records_four_checked = _four_checks(writer)
    copies_scanned = _copies(writer)
    _erased_leftovers(writer)
    gaps = _numbers(writer)
    _storage(writer)
    verified, anchor = _audit_chain(writer)
    summary: dict[str, Any] = {
        "files_checked": files_checked,
        "records_four_checked": records_four_checked,
        "copies_scanned": copies_scanned,
        "sequences_with_gaps": gaps,
        "audit_entries_verified": verified,
    }
    if anchor and anchor["id"] is not None:
        summary["audit_head"] = anchor
    return summary
