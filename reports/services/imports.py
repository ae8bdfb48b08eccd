"""Bulk import of records and customers from CSV or Excel (SPEC §13, S4): the job.

Two passes over the file, never the whole file in memory: the dry run reads
every row and reports each problem by row and column, writing nothing; the
import reads it again and writes every row in one transaction, or none. The
file is read by ``import_files``, its columns are ``import_columns``, its rows
become values through the filing rules in ``import_rows``, and archives
writes them (``records_file_bulk``, ``customers_create_bulk``); numbers are
given on acceptance as usual.
"""

from __future__ import annotations

import logging
import os
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.notifications import notify
from archives import permissions
from archives.services.customers import customers_create_bulk
from archives.services.records import records_file_bulk
from audit import services as audit
from core import heartbeat
from core import storefiles
from core.errors import ArchiveError
from core.errors import NotAllowed
from core.history import reason as history_reason
from core.lifecycle import transition
from core.lifecycle import transition_row
from core.permissions import require_perm
from core.queue import enqueue_on_commit
from reports.models import ImportJob
from reports.permissions import IMPORT_BULK
from reports.services import import_files
from reports.services.import_rows import COLUMNS
from reports.services.import_rows import HEADER_ROW
from reports.services.import_rows import Lookups
from reports.services.import_rows import ParsedRow
from reports.services.import_rows import parse
from reports.services.import_rows import problem
from reports.services.jobs import job_claim
from reports.services.jobs import job_run_again

logger = logging.getLogger(__name__)
CHUNK = 1000
PROGRESS_EVERY = 500
Status = ImportJob.Status
PERMS: dict[str, str] = {
    ImportJob.Kind.RECORDS: permissions.FILE_RECORDS,
    ImportJob.Kind.CUSTOMERS: permissions.ADD_CUSTOMERS,
}


# --- the job ----------------------------------------------------------------


def _stored(job: ImportJob):
    """The import file as a path to read (from the imports store)."""
    return storefiles.local_path(storages["imports"], job.file_name)


def progress_key(job_id: int) -> str:
    return f"import-progress:{job_id}"


def _progress(job: ImportJob, done: int, *, in_transaction: bool = False) -> None:
    """How far the job is. Inside the import's transaction the row would not be
    seen by others until the end, so the count goes to the shared cache."""
    if in_transaction:
        heartbeat.beat(ImportJob, job.pk)
        try:
            cache.set(progress_key(job.pk), done, 3600)
        except Exception:  # a cache that is down must not stop the import
            logger.warning("could not record the progress of import %s", job.pk)
        return
    ImportJob.objects.filter(pk=job.pk).update(
        rows_done=done, heartbeat_at=timezone.now()
    )


def import_run_again(*, actor: User, job: ImportJob) -> ImportJob:
    """Run again an import (dry run or import) whose worker died."""
    return job_run_again(actor=actor, job=job, task="reports.tasks.import_run")


def import_upload(*, actor: User, kind: str, upload, submit: bool = False) -> ImportJob:
    """Keep the uploaded file and queue its dry run."""
    if kind not in COLUMNS:
        raise ValidationError({"kind": _("Choose what the file holds.")})
    require_perm(actor, PERMS[kind], _("You may not import these."))
    require_perm(
        actor, IMPORT_BULK, _("Bulk import is for the archive and supervisors.")
    )
    name = os.path.basename(upload.name or "")
    extension = os.path.splitext(name)[1].lower()
    if extension not in (".csv", ".xlsx"):
        raise ValidationError({"file": _("Upload a .csv or .xlsx file.")})
    if upload.size > settings.ARCHIVE_IMPORT_MAX_MB * 1024 * 1024:
        raise ValidationError(
            {
                "file": _("The file is larger than %(mb)d MB.")
                % {"mb": settings.ARCHIVE_IMPORT_MAX_MB}
            }
        )
    head = upload.read(4)
    upload.seek(0)
    if extension == ".xlsx" and head != b"PK\x03\x04":
        raise ValidationError({"file": _("This is not an Excel (.xlsx) file.")})
    if extension == ".csv" and b"\x00" in head:
        raise ValidationError({"file": _("This is not a text (CSV) file.")})
    if extension == ".xlsx":
        import_files.xlsx_check(upload)
        upload.seek(0)
    stored = storages["imports"].save(f"{uuid.uuid4().hex}{extension}", upload)
    job = ImportJob.objects.create(
        kind=kind,
        file_name=stored,
        original_name=name[:255],
        submit=bool(submit) and kind == ImportJob.Kind.RECORDS,
        created_by=actor,
        language=translation.get_language() or "",
    )
    _queue(job)
    return job


def _queue(job: ImportJob) -> None:
    enqueue_on_commit("reports.tasks.import_run", job.pk)


@transaction.atomic
def import_confirm(*, actor: User, job: ImportJob) -> ImportJob:
    """Import a file whose dry run found nothing wrong."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.created_by_id != actor.pk:
        raise NotAllowed(_("Only the person who uploaded it may import it."))
    if not job.ready_to_import:
        raise ArchiveError(
            _(
                "This file cannot be imported: its dry run is not finished or "
                "found problems. Correct the file and upload it again."
            )
        )
    job.stage = ImportJob.Stage.IMPORT
    job.rows_done = 0
    transition(job, Status.QUEUED, actor=actor, fields=["stage", "rows_done"])
    _queue(job)
    return job


def import_run(*, job_id: int) -> ImportJob:
    """The worker's part: the dry run, or the import, of one job."""
    claimed = job_claim(ImportJob, job_id)
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if claimed is None:
        return job
    try:
        with (
            heartbeat.beating(ImportJob, job.pk),
            translation.override(job.language or settings.LANGUAGE_CODE),
        ):
            if job.stage == ImportJob.Stage.CHECK:
                _dry_run(job)
            else:
                _import(job)
    except MemoryError:
        logger.exception("import %s ran out of memory", job_id)
        transition_row(
            ImportJob,
            job_id,
            Status.FAILED,
            error=_(
                "The file needs more memory than a worker may use; split it into "
                "smaller files."
            ),
            finished_at=timezone.now(),
        )
    except Exception as error:
        logger.exception("import %s failed", job_id)
        transition_row(
            ImportJob,
            job_id,
            Status.FAILED,
            error=str(error)[:2000],
            finished_at=timezone.now(),
        )
    job.refresh_from_db()
    return job


def _dry_run(job: ImportJob) -> None:
    lookups = Lookups()
    problems: list[dict] = []
    count = 0
    with _stored(job) as path:
        for count, _row in enumerate(parse(job, str(path), lookups, problems), start=1):
            if count % PROGRESS_EVERY == 0:
                _progress(job, count)
    total = count + len({p["row"] for p in problems if p["row"] != HEADER_ROW})
    if total > settings.ARCHIVE_IMPORT_MAX_ROWS:
        problems.insert(
            0,
            problem(
                HEADER_ROW,
                "",
                _(
                    "The file has %(rows)d rows; "
                    "at most %(max)d may be imported at once."
                )
                % {"rows": total, "max": settings.ARCHIVE_IMPORT_MAX_ROWS},
            ),
        )
    if not total and not problems:
        problems.append(problem(HEADER_ROW, "", _("The file has no rows to import.")))
    transition_row(
        ImportJob,
        job.pk,
        Status.DONE,
        rows_total=total,
        rows_done=total,
        problems=problems[: settings.ARCHIVE_IMPORT_MAX_PROBLEMS],
        problem_count=len(problems),
        finished_at=timezone.now(),
    )
    notify(
        user=job.created_by,
        key="import_checked",
        params={"name": job.original_name, "problems": len(problems)},
        url=reverse("reports:import-detail", args=[job.pk]),
    )


def _import(job: ImportJob) -> None:
    lookups = Lookups()
    problems: list[dict] = []
    actor = job.created_by
    write = _write_records if job.kind == ImportJob.Kind.RECORDS else _write_customers
    with transaction.atomic(), _stored(job) as path:
        done = 0
        batch: list[ParsedRow] = []
        for row in parse(job, str(path), lookups, problems):
            batch.append(row)
            if len(batch) >= CHUNK:
                done += write(batch, actor, job)
                batch = []
                _progress(job, done, in_transaction=True)
        if problems:
            # The file changed, or the archive did, since the dry run.
            transaction.set_rollback(True)
        else:
            done += write(batch, actor, job)
            audit.log(
                audit.Action.IMPORTED,
                actor=actor,
                target=job,
                file=job.original_name,
                kind=job.kind,
                rows=done,
            )
    if problems:
        transition_row(
            ImportJob,
            job.pk,
            Status.FAILED,
            problems=problems[: settings.ARCHIVE_IMPORT_MAX_PROBLEMS],
            problem_count=len(problems),
            error=_("Nothing was imported: the file has problems now."),
            finished_at=timezone.now(),
        )
        return
    transition_row(
        ImportJob,
        job.pk,
        Status.DONE,
        rows_done=done,
        imported=done,
        finished_at=timezone.now(),
    )
    notify(
        user=actor,
        key="import_done",
        params={"name": job.original_name, "count": done},
        url=reverse("reports:import-detail", args=[job.pk]),
    )


def _write_records(rows: list[ParsedRow], actor: User, job: ImportJob) -> int:
    return records_file_bulk(
        actor=actor,
        rows=[row.values for row in rows],
        submit=job.submit,
        reason=history_reason("imported", file=job.original_name[:40]),
        batch_size=CHUNK,
    )


def _write_customers(rows: list[ParsedRow], actor: User, job: ImportJob) -> int:
    return customers_create_bulk(
        actor=actor, rows=[row.values for row in rows], batch_size=CHUNK
    )


def template_headers(kind: str) -> list[str]:
    """The headers of an empty file to fill in, in the reader's language."""
    return [str(c.label) for c in COLUMNS[kind]]
