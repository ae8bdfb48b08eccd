"""Writing exports: CSV streamed row by row, Excel written row by row
(openpyxl's write-only mode), big Excel files built by a worker."""

from __future__ import annotations

import csv
import logging
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.files.storage import storages
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils import translation

from accounts.models import User
from accounts.notifications import notify
from core import heartbeat
from core import storefiles
from core.errors import NotAllowed
from core.lifecycle import transition_row
from core.queue import enqueue_on_commit
from core.spreadsheet import csv_row
from core.spreadsheet import xlsx_row
from reports import exports
from reports.models import ExportJob
from reports.services.jobs import job_claim
from reports.services.jobs import job_run_again

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 1000


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(*, kind: exports.ExportKind, user, params: QueryDict) -> Iterator[str]:
    """The export as CSV lines; a BOM first so Excel reads the Chinese right."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(csv_row(exports.headers(kind, params)))
    for row in exports.cells(kind, params, kind.rows(user, params)):
        yield writer.writerow(csv_row(row))


class TooBig(Exception):
    """More rows than an export built during the request may hold."""


def xlsx_write(
    *,
    kind: exports.ExportKind,
    user,
    params: QueryDict,
    path: str,
    progress=None,
    limit: int | None = None,
) -> int:
    """The export as an Excel file at ``path``; returns the number of rows.

    With ``limit``, stops with TooBig at the first row beyond it.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(kind.title)[:31])
    bold = Font(bold=True)
    header = []
    for text in exports.headers(kind, params):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    for count, row in enumerate(
        exports.cells(kind, params, kind.rows(user, params)), start=1
    ):
        if limit is not None and count > limit:
            # Finish the half-written sheet so its temporary file is let go.
            sheet.close()
            raise TooBig
        sheet.append(xlsx_row(sheet, row))
        if progress and count % PROGRESS_EVERY == 0:
            progress(count)
    book.save(path)
    return count


def xlsx_bytes(*, kind: exports.ExportKind, user, params: QueryDict) -> bytes | None:
    """The export as Excel bytes; None when it has too many rows to build
    during the request (``ARCHIVE_EXPORT_INLINE_ROWS``)."""
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        try:
            xlsx_write(
                kind=kind,
                user=user,
                params=params,
                path=handle.name,
                limit=settings.ARCHIVE_EXPORT_INLINE_ROWS,
            )
        except TooBig:
            return None
        handle.seek(0)
        return handle.read()


def export_start(
    *, actor: User, kind: exports.ExportKind, params: QueryDict
) -> ExportJob:
    if not kind.allowed(actor):
        raise NotAllowed()
    job = ExportJob.objects.create(
        kind=kind.name,
        params=params.urlencode(),
        created_by=actor,
        language=translation.get_language() or "",
    )
    enqueue_on_commit("reports.tasks.export_run", job.pk)
    return job


def export_run_again(*, actor: User, job: ExportJob) -> ExportJob:
    """Run again an export whose worker died."""
    return job_run_again(actor=actor, job=job, task="reports.tasks.export_run")


def export_run(*, job_id: int) -> ExportJob:
    claimed = job_claim(ExportJob, job_id)
    job = ExportJob.objects.select_related("created_by").get(pk=job_id)
    if claimed is None:
        return job
    kind = exports.KINDS[job.kind]
    params = QueryDict(job.params)
    wanted = f"{job.pk}-{exports.file_stem(kind)}.xlsx"

    def progress(done: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(
            rows_done=done, heartbeat_at=timezone.now()
        )

    try:
        with (
            heartbeat.beating(ExportJob, job.pk),
            translation.override(job.language or settings.LANGUAGE_CODE),
            tempfile.TemporaryDirectory(prefix="archive-export-") as folder,
        ):
            built = Path(folder) / wanted
            rows = xlsx_write(
                kind=kind,
                user=job.created_by,
                params=params,
                path=str(built),
                progress=progress,
            )
            # Kept in the exports store, which every server reaches.
            name = storefiles.save_path(storages["exports"], wanted, built)
    except Exception as error:
        logger.exception("export %s failed", job.pk)
        transition_row(
            ExportJob,
            job.pk,
            ExportJob.Status.FAILED,
            error=str(error)[:2000],
            finished_at=timezone.now(),
        )
        job.refresh_from_db()
        return job
    transition_row(
        ExportJob,
        job.pk,
        ExportJob.Status.DONE,
        file_name=name,
        rows_total=rows,
        rows_done=rows,
        finished_at=timezone.now(),
    )
    notify(
        user=job.created_by,
        key="export_ready",
        params={"name": name},
        url=reverse("reports:export-detail", args=[job.pk]),
    )
    job.refresh_from_db()
    return job
