"""What archivists enter on the rounds: patrol readings, the facilities
checklist and the yearly stocktake (SPEC §10).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists
from django.db.models import F
from django.db.models import OuterRef
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.notifications import notify
from accounts.roles import Role
from accounts.roles import people_with_roles
from archives.models import ArchiveRecord
from archives.models import Box
from archives.models import Storeroom
from core.errors import ArchiveError
from core.permissions import require_perm
from retention import permissions
from retention.models import CheckRun
from retention.models import FacilityCheck
from retention.models import FacilityItem
from retention.models import Finding
from retention.models import PatrolReading
from retention.models import StocktakeScan

RecordStatus = ArchiveRecord.Status
# Where the catalogue expects a paper record to stand on its shelf.
ON_SHELF = (RecordStatus.ARCHIVED, RecordStatus.APPRAISED, RecordStatus.DAMAGED)
OUT = (RecordStatus.IN_VIEWING, RecordStatus.ON_LOAN)
PAPER = (ArchiveRecord.Carrier.PAPER, ArchiveRecord.Carrier.BOTH)


def _require_entries(actor: User, run: CheckRun, kind: str) -> None:
    require_perm(actor, permissions.RUN_CHECKS, _("You may not enter check results."))
    if run.kind != kind:
        raise ArchiveError(_("This entry does not belong to this check."))
    if run.status not in (CheckRun.Status.OPEN, CheckRun.Status.DONE):
        raise ArchiveError(_("This check is not open for entries."))


# The weekly patrol --------------------------------------------------------


def patrol_open(check, writer, progress) -> dict:
    """Open the week's patrol checklist: one line per storeroom to fill in."""
    rooms = Storeroom.objects.count()
    progress.total(rooms)
    return {"storerooms": rooms}


def _out_of_range(value: Decimal, bounds) -> bool:
    low, high = bounds
    return value < Decimal(str(low)) or value > Decimal(str(high))


def patrol_record(
    *,
    actor: User,
    run: CheckRun,
    storeroom: Storeroom,
    temperature: Decimal,
    humidity: Decimal,
    note: str = "",
) -> PatrolReading:
    """Record (or correct) one storeroom's reading for the week."""
    _require_entries(actor, run, CheckRun.Kind.PATROL)
    reading, _created = PatrolReading.objects.update_or_create(
        run=run,
        storeroom=storeroom,
        defaults={
            "temperature": temperature,
            "humidity": humidity,
            "note": (note or "").strip()[:255],
            "recorded_by": actor,
        },
    )
    return reading


def reading_flags(reading: PatrolReading) -> list[tuple[str, dict]]:
    """The out-of-range findings of one reading (empty when all is well)."""
    flags = []
    low, high = settings.ARCHIVE_STOREROOM_TEMPERATURE
    if _out_of_range(reading.temperature, (low, high)):
        flags.append(
            (
                "temperature_out_of_range",
                {"value": str(reading.temperature), "low": low, "high": high},
            )
        )
    low, high = settings.ARCHIVE_STOREROOM_HUMIDITY
    if _out_of_range(reading.humidity, (low, high)):
        flags.append(
            (
                "humidity_out_of_range",
                {"value": str(reading.humidity), "low": low, "high": high},
            )
        )
    return flags


def patrol_finish(run, writer, progress, actor: User) -> dict:
    """Every storeroom read? Out-of-range values become findings."""
    readings = {r.storeroom_id: r for r in run.readings.all()}
    rooms = list(Storeroom.objects.order_by("code"))
    progress.total(len(rooms))
    flagged = 0
    for room in rooms:
        reading = readings.get(room.pk)
        if reading is None:
            writer.add("patrol_missing", storeroom_id=room.pk)
        else:
            for code, params in reading_flags(reading):
                flagged += 1
                writer.add(
                    code,
                    params,
                    severity=Finding.Severity.WARNING,
                    storeroom_id=room.pk,
                )
        progress.advance(1)
    return {"storerooms": len(rooms), "read": len(readings), "out_of_range": flagged}


# The monthly facilities checklist ------------------------------------------


@transaction.atomic
def facilities_record(
    *,
    actor: User,
    run: CheckRun,
    storeroom: Storeroom,
    results: dict[int, tuple[bool, str]],
) -> int:
    """Tick a storeroom's facilities; a problem needs a note and is a finding."""
    require_perm(actor, permissions.RUN_CHECKS, _("You may not enter check results."))
    if run.kind != CheckRun.Kind.INSPECTION or run.status != CheckRun.Status.DONE:
        raise ArchiveError(_("The checklist is filled in once the inspection has run."))
    items = {i.pk: i for i in FacilityItem.objects.filter(active=True)}
    missing_notes = [
        items[pk].name
        for pk, (ok, note) in results.items()
        if not ok and not note.strip()
    ]
    if missing_notes:
        raise ValidationError(
            _("Describe the problem with: %(items)s.")
            % {"items": "、".join(missing_notes)}
        )
    for pk, (ok, note) in results.items():
        FacilityCheck.objects.update_or_create(
            run=run,
            storeroom=storeroom,
            item=items[pk],
            defaults={"ok": ok, "note": note.strip()[:255], "checked_by": actor},
        )
    run.findings.filter(code="facility_problem", storeroom=storeroom).delete()
    problems = [
        Finding(
            run=run,
            code="facility_problem",
            params={"item": items[pk].name, "note": note.strip()},
            storeroom=storeroom,
        )
        for pk, (ok, note) in results.items()
        if not ok
    ]
    Finding.objects.bulk_create(problems)
    return len(problems)


# The yearly stocktake -------------------------------------------------------


def stocktake_open(check, writer, progress) -> dict:
    """Open the year's stocktake: the sheets list what each box should hold."""
    expected = ArchiveRecord.objects.filter(
        status__in=ON_SHELF, carrier__in=PAPER, box__isnull=False
    ).count()
    progress.total(expected)
    return {"expected": expected}


def stocktake_scan(*, actor: User, run: CheckRun, box: Box, code: str) -> StocktakeScan:
    """One record found in ``box``: a barcode scan or a tick on the sheet.

    Scanning the same number again (in this or another box) moves the find
    instead of counting it twice.
    """
    _require_entries(actor, run, CheckRun.Kind.STOCKTAKE)
    code = (code or "").strip().upper()
    if not code:
        raise ValidationError({"code": _("Scan or type a record number.")})
    record = ArchiveRecord.objects.filter(number__iexact=code).first()
    scan, _created = StocktakeScan.objects.update_or_create(
        run=run,
        code=record.number if record else code,
        defaults={"record": record, "box": box, "scanned_by": actor},
    )
    return scan


def stocktake_unscan(*, actor: User, run: CheckRun, scan: StocktakeScan) -> None:
    """Take back a scan made by mistake."""
    _require_entries(actor, run, CheckRun.Kind.STOCKTAKE)
    if scan.run_id != run.pk:
        raise ArchiveError(_("This entry does not belong to this check."))
    scan.delete()


def _box_code_map() -> dict[int, tuple[str, int]]:
    return {
        pk: (code, storeroom_id)
        for pk, code, storeroom_id in Box.objects.values_list(
            "pk", "code", "shelf__storeroom_id"
        )
    }


def stocktake_finish(run, writer, progress, actor: User) -> dict:
    """Compare what was found with the catalogue, in chunks, and report it."""
    boxes = _box_code_map()
    scans = StocktakeScan.objects.filter(run=run)
    expected = ArchiveRecord.objects.filter(
        status__in=ON_SHELF, carrier__in=PAPER, box__isnull=False
    )
    progress.total(expected.count() + scans.count())
    missing = 0
    not_found = (
        expected.exclude(Exists(scans.filter(record=OuterRef("pk"))))
        .order_by("pk")
        .values_list("pk", "number", "box_id")
    )
    for pk, number, box_id in not_found.iterator(chunk_size=2000):
        missing += 1
        code, room = boxes[box_id]
        writer.add(
            "stocktake_missing",
            {"number": number, "box": code},
            record_id=pk,
            storeroom_id=room,
        )
    misplaced = 0
    wrong_box = (
        scans.filter(record__status__in=ON_SHELF, record__box__isnull=False)
        .exclude(record__box=F("box"))
        .order_by("pk")
        .values_list("record_id", "record__number", "record__box_id", "box_id")
    )
    for record_id, number, box_id, found_id in wrong_box.iterator(chunk_size=2000):
        misplaced += 1
        writer.add(
            "stocktake_misplaced",
            {"number": number, "box": boxes[box_id][0], "found": boxes[found_id][0]},
            record_id=record_id,
            storeroom_id=boxes[found_id][1],
        )
    unexpected = 0
    strays = (
        scans.filter(
            Q(record__isnull=True)
            | ~Q(record__status__in=ON_SHELF)
            | Q(record__box__isnull=True)
        )
        .order_by("pk")
        .values_list("code", "record_id", "record__status", "box_id")
    )
    for code, record_id, status, found_id in strays.iterator(chunk_size=2000):
        unexpected += 1
        found, room = boxes[found_id]
        if record_id is None:
            writer.add(
                "stocktake_unknown", {"code": code, "found": found}, storeroom_id=room
            )
        else:
            writer.add(
                "stocktake_unexpected",
                {"code": code, "found": found, "status": status},
                record_id=record_id,
                storeroom_id=room,
            )
    out = ArchiveRecord.objects.filter(status__in=OUT, carrier__in=PAPER).values_list(
        "pk", "number", "status"
    )
    for pk, number, status in out.iterator(chunk_size=2000):
        writer.add(
            "stocktake_out",
            {"number": number, "status": status},
            severity=Finding.Severity.INFO,
            record_id=pk,
        )
    progress.complete()
    summary = {
        "expected": expected.count(),
        "found": scans.filter(record__isnull=False).count(),
        "missing": missing,
        "misplaced": misplaced,
        "unexpected": unexpected,
    }
    _tell_managers(run, summary)
    return summary


def _tell_managers(run: CheckRun, summary: dict) -> None:
    for person in people_with_roles(Role.CS_SUPERVISOR, Role.ARCHIVE_HEAD):
        notify(
            user=person,
            key="stocktake_report",
            params={"period": run.period, **summary},
            url=run.get_absolute_url(),
            # A finish that finds the same again tells nobody twice.
            once_key="stocktake:{}:{missing}:{misplaced}:{unexpected}".format(
                run.pk, **summary
            ),
        )
