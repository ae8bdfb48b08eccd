"""The four checks of electronic records (四性检测: 真实性、完整性、可用性、
安全性), at upload, at acceptance and in the monthly inspection.

- Authenticity: the stored file still has the SHA-256 taken at upload; its
  content is what its extension says; a PDF's pages match the record's
  declared pages (a warning).
- Integrity: the required description is present; every file of the record
  is in the store with the size uploaded.
- Usability: the file really opens (``archives.probes``); encrypted files and
  zip archives are refused or flagged (``ARCHIVE_ENCRYPTED_FILES``,
  ``ARCHIVE_CONTAINER_FILES``); the format is on the allowed list.
- Security: a virus scan by clamd (``core.clamav``). A file found infected is
  moved to quarantine and refused; one that could not be scanned waits as
  "scan pending" and is scanned again by the worker.

A failed or pending item blocks acceptance unless the archivist accepts with
a reason (audited); malware never can be accepted.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from archives import probes
from archives.filetypes import content_matches
from archives.models import ArchiveRecord
from archives.models import FileCheck
from archives.models import FileCheckItem
from archives.models import RecordFile
from audit import services as audit
from core import clamav
from core.errors import ArchiveError

logger = logging.getLogger(__name__)

Aspect = FileCheckItem.Aspect
Outcome = FileCheck.Outcome
Stage = FileCheck.Stage
Scan = RecordFile.Scan

BLOCKING = {Outcome.FAILED, Outcome.PENDING}
# Findings no reason can accept.
NEVER_ACCEPTED = {"virus_found"}
WORST: list[str] = [Outcome.PASSED, Outcome.WARNING, Outcome.PENDING, Outcome.FAILED]


@dataclass
class Item:
    aspect: str
    outcome: str
    code: str
    params: dict
    file: RecordFile | None = None


class ChecksFailed(ArchiveError):
    """Acceptance refused by the four checks; the report is kept."""

    def __init__(self, message: str, report: FileCheck):
        super().__init__(message)
        self.report = report


# ---------------------------------------------------------------- at upload


def quarantine(*, fileobj, name: str, signature: str, actor, record) -> str:
    """Keep an infected file apart, where no page serves it, and log it."""
    fileobj.seek(0)
    data = fileobj.read()
    fileobj.seek(0)
    safe = PurePosixPath(name).name.replace("/", "_")[:100]
    kept = storages["quarantine"].save(
        f"{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}-{safe}", ContentFile(data)
    )
    audit.log(
        audit.Action.QUARANTINED,
        actor=actor,
        target=record,
        file=name[:200],
        signature=signature[:200],
        quarantined_as=kept,
    )
    return kept


def scan_upload(*, upload, name: str, actor, record) -> str:
    """Scan an upload; refuse it if infected. Its scan state."""
    try:
        result = clamav.scan(upload)
    except clamav.ScanUnavailable as error:
        logger.warning("virus scan of %s not made: %s", name, error)
        return Scan.PENDING
    if not result.clean:
        quarantine(
            fileobj=upload,
            name=name,
            signature=result.signature,
            actor=actor,
            record=record,
        )
        raise ArchiveError(
            _(
                "“%(name)s” holds malware (%(signature)s). It was refused and put "
                "in quarantine; nothing of it was filed. Tell the system "
                "administrator where it came from."
            )
            % {"name": name, "signature": result.signature}
        )
    return Scan.CLEAN


def encrypted_refusal(name: str) -> ArchiveError:
    """The refusal of an upload that is encrypted or has a password."""
    return ArchiveError(
        _(
            "“%(name)s” is encrypted or protected by a password, so the "
            "archive could not open it in years to come. Remove the password "
            "and upload it again."
        )
        % {"name": name}
    )


def probe_upload(*, upload, name: str, suffix: str) -> probes.Probe:
    """Open an upload; refuse one that does not open, and, as the settings
    say, an encrypted file or a zip archive."""
    found = probes.probe(suffix, upload)
    if found.code == "does_not_open":
        raise ArchiveError(
            _(
                "“%(name)s” does not open as a .%(suffix)s file: it is damaged or "
                "incomplete (%(detail)s). Save it again from the program that "
                "made it and upload that copy."
            )
            % {"name": name, "suffix": suffix, "detail": found.detail}
        )
    if found.code == "encrypted" and settings.ARCHIVE_ENCRYPTED_FILES == "refuse":
        raise encrypted_refusal(name)
    if found.code == "container" and settings.ARCHIVE_CONTAINER_FILES == "refuse":
        raise ArchiveError(
            _(
                "“%(name)s” is a zip archive. Unpack it and upload the files "
                "themselves, so each is checked and kept on its own."
            )
            % {"name": name}
        )
    return found


# ---------------------------------------------------------------- the run


def _engine() -> str:
    try:
        return clamav.version()
    except clamav.ScanUnavailable:
        return "ClamAV"


def _missing_metadata(record: ArchiveRecord) -> list[str]:
    labels = []
    required = [
        "title",
        "category",
        "date_formed",
        "source_department",
        "responsible_person",
    ]
    if record.category.requires_customer:
        required.append("customer")
    for name in required:
        if not getattr(record, f"{name}_id", None) and not getattr(record, name, None):
            field = ArchiveRecord._meta.get_field(name)
            labels.append(str(getattr(field, "verbose_name", name)))
    return labels


def _check_file(
    record_file: RecordFile,
    *,
    stage: str,
    rescan: bool,
    actor,
    items: list,
    engine: str,
) -> int:
    """The items of one file; its PDF pages (0 if none)."""
    store = storages["default"]
    name = str(record_file.file.name)
    suffix = PurePosixPath(name).suffix.lower().lstrip(".")
    here = {"file": record_file}
    if not store.exists(name):
        items.append(Item(Aspect.INTEGRITY, Outcome.FAILED, "file_missing", {}, **here))
        return 0
    with store.open(name, "rb") as handle:
        data = handle.read()
    fileobj = ContentFile(data)
    # Integrity: there, with its size.
    if len(data) != record_file.size:
        items.append(
            Item(
                Aspect.INTEGRITY,
                Outcome.FAILED,
                "file_size_differs",
                {"expected": record_file.size, "actual": len(data)},
                **here,
            )
        )
    else:
        items.append(
            Item(
                Aspect.INTEGRITY,
                Outcome.PASSED,
                "file_present",
                {"size": len(data)},
                **here,
            )
        )
    # Authenticity: the hash, the real type.
    actual = hashlib.sha256(data).hexdigest()
    if stage == Stage.UPLOAD:
        items.append(
            Item(
                Aspect.AUTHENTICITY,
                Outcome.PASSED,
                "hash_recorded",
                {"sha256": record_file.sha256[:16]},
                **here,
            )
        )
    elif actual == record_file.sha256:
        items.append(
            Item(Aspect.AUTHENTICITY, Outcome.PASSED, "hash_unchanged", {}, **here)
        )
    else:
        items.append(
            Item(
                Aspect.AUTHENTICITY,
                Outcome.FAILED,
                "hash_changed",
                {"expected": record_file.sha256[:16], "actual": actual[:16]},
                **here,
            )
        )
    if content_matches(suffix, fileobj):
        items.append(
            Item(
                Aspect.AUTHENTICITY,
                Outcome.PASSED,
                "type_matches",
                {"suffix": suffix},
                **here,
            )
        )
    else:
        items.append(
            Item(
                Aspect.AUTHENTICITY,
                Outcome.FAILED,
                "type_mismatch",
                {"suffix": suffix},
                **here,
            )
        )
    # Usability: it opens; its format is allowed.
    found = probes.probe(suffix, fileobj)
    if found.opens:
        items.append(
            Item(
                Aspect.USABILITY,
                Outcome.PASSED,
                "opens",
                {"technical": found.technical},
                **here,
            )
        )
        if found.technical != record_file.technical:
            record_file.technical = found.technical
            record_file.save(update_fields=["technical"])
    elif found.code in ("encrypted", "container"):
        items.append(Item(Aspect.USABILITY, Outcome.FAILED, found.code, {}, **here))
    else:
        items.append(
            Item(
                Aspect.USABILITY,
                Outcome.FAILED,
                "does_not_open",
                {"suffix": suffix, "detail": found.detail[:200]},
                **here,
            )
        )
    allowed = suffix in settings.ARCHIVE_ALLOWED_EXTENSIONS
    items.append(
        Item(
            Aspect.USABILITY,
            Outcome.PASSED if allowed else Outcome.FAILED,
            "format_allowed" if allowed else "format_not_allowed",
            {"suffix": suffix},
            **here,
        )
    )
    # Security: scanned now (at acceptance and in the inspection, with the
    # signatures of today), or as scanned at upload.
    if rescan or record_file.scan != Scan.CLEAN:
        file_rescan(record_file, fileobj, actor=actor)
    if record_file.scan == Scan.CLEAN:
        items.append(
            Item(
                Aspect.SECURITY,
                Outcome.PASSED,
                "virus_free",
                {"engine": engine},
                **here,
            )
        )
    elif record_file.scan == Scan.INFECTED:
        items.append(
            Item(
                Aspect.SECURITY,
                Outcome.FAILED,
                "virus_found",
                {"signature": record_file.scan_signature},
                **here,
            )
        )
    else:
        items.append(Item(Aspect.SECURITY, Outcome.PENDING, "scan_pending", {}, **here))
    return found.technical.get("pages", 0) if suffix == "pdf" else 0


def file_rescan(record_file: RecordFile, fileobj, *, actor) -> None:
    """Scan a stored file again; an infected one goes to quarantine."""
    try:
        result = clamav.scan(fileobj)
    except clamav.ScanUnavailable as error:
        logger.warning("virus scan of file %s not made: %s", record_file.pk, error)
        return
    record_file.scanned_at = timezone.now()
    if result.clean:
        record_file.scan = Scan.CLEAN
    else:
        record_file.scan = Scan.INFECTED
        record_file.scan_signature = result.signature[:200]
        quarantine(
            fileobj=fileobj,
            name=record_file.original_name,
            signature=result.signature,
            actor=actor,
            record=record_file.record,
        )
    record_file.save(update_fields=["scan", "scanned_at", "scan_signature"])


def checks_run(*, record: ArchiveRecord, stage: str, actor=None) -> list[Item]:
    """The four checks over a record's files, as items (nothing saved but
    what the files learn: their scan and technical metadata)."""
    items: list[Item] = []
    missing = _missing_metadata(record)
    if missing:
        items.append(
            Item(
                Aspect.INTEGRITY,
                Outcome.FAILED,
                "metadata_missing",
                {"fields": "、".join(missing)},
            )
        )
    else:
        items.append(Item(Aspect.INTEGRITY, Outcome.PASSED, "metadata_complete", {}))
    files = list(record.files.filter(erased_at__isnull=True).order_by("pk"))
    if not files:
        if record.carrier != ArchiveRecord.Carrier.PAPER:
            items.append(Item(Aspect.INTEGRITY, Outcome.FAILED, "no_files", {}))
        return items
    pages = 0
    engine = _engine()  # one question to clamd per run, not per file
    for record_file in files:
        pages += _check_file(
            record_file,
            stage=stage,
            rescan=stage != Stage.UPLOAD,
            actor=actor,
            items=items,
            engine=engine,
        )
    if pages and record.page_count:
        items.append(
            Item(
                Aspect.AUTHENTICITY,
                Outcome.PASSED if pages == record.page_count else Outcome.WARNING,
                "pages_match" if pages == record.page_count else "pages_differ",
                {"declared": record.page_count, "found": pages},
            )
        )
    return items


def outcome_of(items: list[Item]) -> str:
    ranks = [WORST.index(i.outcome) for i in items]
    return WORST[max(ranks)] if ranks else Outcome.PASSED


def report_save(
    *, record: ArchiveRecord, stage: str, items: list[Item], actor=None
) -> FileCheck:
    report = FileCheck.objects.create(
        record=record,
        stage=stage,
        outcome=outcome_of(items),
        checked_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    # Read in the order of 四性: authenticity, integrity, usability, security.
    order = list(Aspect.values)
    items = sorted(items, key=lambda item: order.index(item.aspect))
    FileCheckItem.objects.bulk_create(
        FileCheckItem(
            report=report,
            file=item.file,
            aspect=item.aspect,
            outcome=item.outcome,
            code=item.code,
            params=item.params,
        )
        for item in items
    )
    return report


def record_check(*, record: ArchiveRecord, stage: str, actor=None) -> FileCheck:
    """Run the four checks and keep the report."""
    return report_save(
        record=record,
        stage=stage,
        items=checks_run(record=record, stage=stage, actor=actor),
        actor=actor,
    )


def acceptance_gate(
    *, record: ArchiveRecord, actor, override_reason: str = ""
) -> FileCheck | None:
    """The checks at acceptance, kept whatever they find (call it outside the
    acceptance's transaction). Refuses with ``ChecksFailed`` when an item
    failed or is pending and no reason is given, or when malware was found."""
    if record.carrier == ArchiveRecord.Carrier.PAPER and not record.files.exists():
        return None
    report = record_check(record=record, stage=Stage.ACCEPTANCE, actor=actor)
    blocking = [i for i in report.items.all() if i.outcome in BLOCKING]
    if not blocking:
        return report
    problems = "；".join(i.text for i in blocking[:3])
    if any(i.code in NEVER_ACCEPTED for i in blocking):
        raise ChecksFailed(
            _("%(title)s cannot be accepted: %(problems)s")
            % {"title": record.title, "problems": problems},
            report,
        )
    reason = (override_reason or "").strip()
    if not reason:
        raise ChecksFailed(
            _(
                "%(title)s did not pass the four checks: %(problems)s Return it "
                "for correction, or accept it anyway with a reason."
            )
            % {"title": record.title, "problems": problems},
            report,
        )
    return report


@transaction.atomic
def override_record(*, report: FileCheck, actor, reason: str) -> None:
    """Note on the report that it was accepted despite its findings."""
    report.overridden_by = actor
    report.override_reason = reason.strip()[:2000]
    report.save(update_fields=["overridden_by", "override_reason"])
    audit.log(
        audit.Action.CHECKS_OVERRIDDEN,
        actor=actor,
        target=report.record,
        outcome_was=report.outcome,
        reason=report.override_reason[:500],
    )


def scan_pending(limit: int = 200) -> int:
    """Scan files that could not be scanned at upload (the worker, on beat)."""
    done = 0
    store = storages["default"]
    for record_file in RecordFile.objects.filter(
        scan=Scan.PENDING, erased_at__isnull=True
    ).select_related("record")[:limit]:
        name = str(record_file.file.name)
        if not store.exists(name):
            continue
        with store.open(name, "rb") as handle:
            fileobj = ContentFile(handle.read())
        file_rescan(record_file, fileobj, actor=None)
        if record_file.scan != Scan.PENDING:
            done += 1
    return done
