"""Running the periodic checks (SPEC §10): one report per check and period.

``check_request`` queues the report of the current period (creating it the
first time); ``check_execute`` claims a queued report, runs its check and
stores the findings. A report already running is left alone, so a second
button press, a second beat delivery or a worker retry adds nothing; running a
finished check again refreshes the same report. The weekly patrol and the
yearly stocktake open for entries instead and are finished by hand.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import heartbeat
from core.errors import ArchiveError
from core.lifecycle import transition
from core.lifecycle import transition_row
from core.permissions import require_perm
from core.queue import enqueue_on_commit
from retention import permissions
from retention.models import CheckRun
from retention.models import Finding

logger = logging.getLogger(__name__)
Kind = CheckRun.Kind
RunStatus = CheckRun.Status
# Checks that people complete in the browser before they are finished.
ENTRY_KINDS = (Kind.PATROL, Kind.STOCKTAKE)


def period_of(kind: str, day: datetime.date) -> str:
    """The period a check covers: its day, ISO week, month, quarter or year."""
    if kind == Kind.DAILY:
        return day.isoformat()
    if kind == Kind.PATROL:
        year, week, _weekday = day.isocalendar()
        return f"{year}-W{week:02d}"
    if kind == Kind.INSPECTION:
        return f"{day:%Y-%m}"
    if kind == Kind.BACKUP:
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


class FindingWriter:
    """Collects a run's findings and writes them in batches.

    Counts every finding by code; stores at most
    ``ARCHIVE_CHECK_MAX_FINDINGS_PER_CODE`` of each, so a broken store does not
    flood the report (the count in the summary stays exact).
    """

    BATCH = 500

    def __init__(self, run: CheckRun) -> None:
        self.run = run
        self.counts: Counter[str] = Counter()
        self.limit = settings.ARCHIVE_CHECK_MAX_FINDINGS_PER_CODE
        self._pending: list[Finding] = []

    def add(
        self,
        code: str,
        params: dict | None = None,
        *,
        severity: str = Finding.Severity.PROBLEM,
        storeroom_id: int | None = None,
        record_id: int | None = None,
    ) -> None:
        self.counts[code] += 1
        if self.counts[code] > self.limit:
            return
        self._pending.append(
            Finding(
                run=self.run,
                code=code,
                params=params or {},
                severity=severity,
                storeroom_id=storeroom_id,
                record_id=record_id,
            )
        )
        if len(self._pending) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        Finding.objects.bulk_create(self._pending)
        self._pending = []


class Progress:
    """Writes a run's progress as it goes, for the page that polls it.

    Each write is also the run's heartbeat: a run whose heartbeat stops has
    lost its worker.
    """

    def __init__(self, run: CheckRun) -> None:
        self.run = run

    def _update(self, **values) -> None:
        CheckRun.objects.filter(pk=self.run.pk).update(
            heartbeat_at=timezone.now(), **values
        )

    def total(self, count: int) -> None:
        self._update(progress_total=F("progress_total") + count)

    def complete(self) -> None:
        self._update(progress_done=F("progress_total"))

    def advance(self, count: int) -> None:
        self._update(progress_done=F("progress_done") + count)


def _is_stale(run: CheckRun) -> bool:
    """Running, but silent for too long: its worker is gone."""
    return heartbeat.is_stalled(run)


@transaction.atomic
def check_request(
    *, kind: str, actor: User | None = None, day: datetime.date | None = None
) -> CheckRun:
    """Queue the check of the current period; a running one is left alone."""
    if actor is not None:
        require_perm(actor, permissions.RUN_CHECKS, _("You may not start checks."))
    period = period_of(kind, day or timezone.localdate())
    run, _created = CheckRun.objects.get_or_create(
        kind=kind, period=period, defaults={"started_by": actor}
    )
    run = CheckRun.objects.select_for_update().get(pk=run.pk)
    busy = run.status == RunStatus.RUNNING and not _is_stale(run)
    if busy or run.status == RunStatus.QUEUED:
        return run
    if kind in ENTRY_KINDS and run.status in (RunStatus.OPEN, RunStatus.DONE):
        # Opened once per period; people finish (and may re-finish) it.
        return run
    run.started_by = actor
    run.queued_at = timezone.now()
    return transition(
        run, RunStatus.QUEUED, actor=actor, fields=["started_by", "queued_at"]
    )


def checks_take_over() -> int:
    """Running checks whose worker died: queued again (and sent), or, for a
    patrol or stocktake being closed, opened again. Beat runs this every
    minute, so a check is taken over within minutes of its worker's death
    even when its task is not delivered again."""
    taken = 0
    for run in CheckRun.objects.filter(status=RunStatus.RUNNING):
        if not _is_stale(run):
            continue
        with transaction.atomic():
            run = CheckRun.objects.select_for_update().get(pk=run.pk)
            if run.status != RunStatus.RUNNING or not _is_stale(run):
                continue
            reason = "worker silent"
            if run.kind in ENTRY_KINDS:
                transition(run, RunStatus.OPEN, reason=reason)
            else:
                run.queued_at = timezone.now()
                transition(run, RunStatus.QUEUED, reason=reason, fields=["queued_at"])
                enqueue_on_commit("retention.tasks.run_check", run.pk)
            taken += 1
    return taken


CLAIM_FIELDS = [
    "started_at",
    "heartbeat_at",
    "finished_at",
    "progress_done",
    "progress_total",
    "error",
    "runs",
]


def _claim(run_id: int) -> CheckRun | None:
    with transaction.atomic():
        run = CheckRun.objects.select_for_update().get(pk=run_id)
        if run.status != RunStatus.QUEUED and not _is_stale(run):
            return None
        run.started_at = run.heartbeat_at = timezone.now()
        run.finished_at = None
        run.progress_done = run.progress_total = 0
        run.error = ""
        run.runs += 1
        transition(run, RunStatus.RUNNING, fields=CLAIM_FIELDS)
        run.findings.all().delete()
    return run


def _runner(kind: str) -> Callable[[CheckRun, FindingWriter, Progress], dict]:
    from retention.services import backup
    from retention.services import daily
    from retention.services import inspection
    from retention.services import storerooms

    return {
        Kind.DAILY: daily.run,
        Kind.INSPECTION: inspection.run,
        Kind.BACKUP: backup.run,
        Kind.PATROL: storerooms.patrol_open,
        Kind.STOCKTAKE: storerooms.stocktake_open,
    }[Kind(kind)]


def check_execute(*, run_id: int) -> dict:
    """Run a queued check and store its report; anything else is a no-op.

    Not one transaction: progress is committed as it goes, and findings are
    written in batches, so a check over a million files stays small.
    """
    run = _claim(run_id)
    if run is None:
        return {"skipped": run_id}
    writer = FindingWriter(run)
    try:
        with heartbeat.beating(CheckRun, run.pk):
            summary = _runner(run.kind)(run, writer, Progress(run))
            writer.flush()
    except Exception as error:
        logger.exception("check %s failed", run)
        transition_row(
            CheckRun,
            run.pk,
            RunStatus.FAILED,
            error=str(error)[:2000],
            finished_at=timezone.now(),
        )
        raise
    summary = {**summary, "findings": dict(writer.counts)}
    done = RunStatus.OPEN if run.kind in ENTRY_KINDS else RunStatus.DONE
    transition_row(
        CheckRun,
        run.pk,
        done,
        summary=summary,
        finished_at=None if done == RunStatus.OPEN else timezone.now(),
    )
    return summary


def check_finish(*, actor: User, run: CheckRun) -> CheckRun:
    """Close a patrol or a stocktake: work out its findings and keep the report."""
    from retention.services import storerooms

    require_perm(actor, permissions.RUN_CHECKS, _("You may not start checks."))
    with transaction.atomic():
        run = CheckRun.objects.select_for_update().get(pk=run.pk)
        if run.kind not in ENTRY_KINDS:
            raise ArchiveError(_("This check finishes by itself."))
        if run.status not in (RunStatus.OPEN, RunStatus.DONE):
            raise ArchiveError(_("This check is not open for entries."))
        run.started_at = timezone.now()
        run.progress_done = run.progress_total = 0
        transition(
            run,
            RunStatus.RUNNING,
            actor=actor,
            fields=["started_at", "progress_done", "progress_total"],
        )
        run.findings.all().delete()
    writer = FindingWriter(run)
    finish = {
        Kind.PATROL: storerooms.patrol_finish,
        Kind.STOCKTAKE: storerooms.stocktake_finish,
    }[Kind(run.kind)]
    try:
        with heartbeat.beating(CheckRun, run.pk):
            summary = finish(run, writer, Progress(run), actor)
            writer.flush()
    except Exception:
        transition_row(CheckRun, run.pk, RunStatus.OPEN)
        raise
    transition_row(
        CheckRun,
        run.pk,
        RunStatus.DONE,
        summary={**run.summary, **summary, "findings": dict(writer.counts)},
        finished_at=timezone.now(),
    )
    run.refresh_from_db()
    return run
