"""Reads for retention, appraisal, incidents and the checks."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists
from django.db.models import OuterRef
from django.db.models import QuerySet

from archives.models import ArchiveRecord
from archives.models import Box
from retention import permissions
from retention.models import Appraisal
from retention.models import AppraisalItem
from retention.models import CheckRun
from retention.models import Complaint
from retention.models import Hold
from retention.models import Incident
from retention.models import StocktakeScan
from retention.services.storerooms import ON_SHELF
from retention.services.storerooms import PAPER

RecordStatus = ArchiveRecord.Status
ACTIVE_APPRAISAL = (
    Appraisal.Status.OPEN,
    Appraisal.Status.SUBMITTED,
    Appraisal.Status.APPROVED,
)


def records_due_for_disposal(*, today: datetime.date) -> QuerySet[ArchiveRecord]:
    """Records past their disposal date, not held, not already being appraised."""
    return (
        ArchiveRecord.objects.filter(
            status=RecordStatus.ARCHIVED, disposal_due_on__lte=today
        )
        .exclude(
            Exists(
                AppraisalItem.objects.filter(
                    record=OuterRef("pk"), appraisal__status__in=ACTIVE_APPRAISAL
                )
            )
        )
        .exclude(
            Exists(Hold.objects.filter(record=OuterRef("pk"), released_at__isnull=True))
        )
        .select_related("category", "box")
        .order_by("disposal_due_on", "number_prefix", "sequence_number")
    )


def appraisal_list() -> QuerySet[Appraisal]:
    return Appraisal.objects.select_related("opened_by", "decided_by").order_by(
        "-opened_at", "-pk"
    )


def appraisal_items(*, appraisal: Appraisal) -> QuerySet[AppraisalItem]:
    return appraisal.items.select_related(
        "record", "record__category", "decided_by"
    ).order_by("record__number_prefix", "record__sequence_number")


def holds_active() -> QuerySet[Hold]:
    return (
        Hold.objects.filter(released_at__isnull=True)
        .select_related("record", "placed_by")
        .order_by("-placed_at")
    )


def incident_list() -> QuerySet[Incident]:
    return Incident.objects.select_related("opened_by", "person").order_by(
        "status", "-opened_at"
    )


def incident_detail(*, pk: int) -> Incident:
    return (
        Incident.objects.select_related("opened_by", "person", "closed_by")
        .prefetch_related("records", "told", "actions__actor", "actions__records")
        .get(pk=pk)
    )


def complaints_for(user) -> QuerySet[Complaint]:
    """The complaints this person may read: all of them for those who handle
    or read complaints, else their own."""
    found = Complaint.objects.select_related("reported_by", "handled_by", "record")
    if user.has_perm(permissions.VIEW_COMPLAINTS):
        return found.order_by("status", "-reported_at", "-pk")
    return found.filter(reported_by=user).order_by("-reported_at", "-pk")


def check_runs_latest(*, per_kind: int = 5) -> dict[str, list[CheckRun]]:
    """The last few reports of each check, newest first (one query per check).

    Per check, because periods of different checks do not sort together: a
    year of daily reports would push the yearly stocktake off a shared list.
    """
    return {
        kind: list(
            CheckRun.objects.filter(kind=kind)
            .select_related("started_by")
            .order_by("-period")[:per_kind]
        )
        for kind in CheckRun.Kind.values
    }


def check_run_findings(*, run: CheckRun):
    return run.findings.select_related("storeroom", "record").order_by(
        "storeroom__code", "code", "pk"
    )


@dataclass
class BoxFindings:
    """A stocktake's findings about one box ("" for those of no box)."""

    box: str
    findings: list


def stocktake_report(*, run: CheckRun, findings) -> tuple[list[BoxFindings], list]:
    """A stocktake's findings grouped by the box they are about (where a
    record was found, else where the catalogue has it), and the boxes that
    should hold records but were never scanned."""
    groups: dict[str, list] = {}
    for finding in findings:
        box = finding.params.get("found") or finding.params.get("box") or ""
        groups.setdefault(box, []).append(finding)
    scanned = StocktakeScan.objects.filter(run=run).values("box_id")
    never = list(
        Box.objects.filter(records__status__in=ON_SHELF, records__carrier__in=PAPER)
        .exclude(pk__in=scanned)
        .select_related("shelf__storeroom")
        .distinct()
        .order_by("code")
    )
    ordered = [BoxFindings(box, groups[box]) for box in sorted(groups, key=_last)]
    return ordered, never


def _last(code: str) -> tuple[bool, str]:
    """Boxes by code; findings of no box at the end."""
    return (code == "", code)
