"""Bulk import of records and customers from CSV or Excel (SPEC §13, S4).

Two passes over the file, never the whole file in memory: the dry run reads
every row and reports each problem by row and column, writing nothing; the
import reads it again and writes every row in one transaction, or none. The
rules are the filing form's (``archives.services.records``); numbers are
given on acceptance as usual.
"""

from __future__ import annotations

import csv
import datetime
import logging
import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from accounts.models import Department
from accounts.models import User
from accounts.notifications import notify
from archives import permissions
from archives.models import ArchiveRecord
from archives.models import Category
from archives.models import Customer
from archives.models import Subcode
from archives.services.customers import CUSTOMER_FIELDS
from archives.services.records import record_check
from archives.services.records import subcodes_check
from archives.services.records import submission_due
from audit import services as audit
from core import heartbeat
from core.errors import ArchiveError
from core.errors import NotAllowed
from core.lifecycle import transition
from core.lifecycle import transition_row
from core.permissions import require_perm
from core.queue import enqueue_on_commit
from reports.models import ImportJob
from reports.permissions import IMPORT_BULK
from reports.services import import_files
from reports.services.jobs import job_claim
from reports.services.jobs import job_run_again

logger = logging.getLogger(__name__)
CHUNK = 1000
PROGRESS_EVERY = 500
Status = ImportJob.Status
HEADER_ROW = 1


@dataclass(frozen=True)
class ImportColumn:
    key: str
    label: Any
    required: bool = False


RECORD_COLUMNS = [
    ImportColumn("category", gettext_lazy("Category"), True),
    ImportColumn("subcodes", gettext_lazy("Sub-codes")),
    ImportColumn("title", gettext_lazy("Title"), True),
    ImportColumn("customer", gettext_lazy("Customer code")),
    ImportColumn("date_formed", gettext_lazy("Date formed"), True),
    ImportColumn("received_at", gettext_lazy("Time received")),
    ImportColumn("source_department", gettext_lazy("Department code")),
    ImportColumn("responsible_person", gettext_lazy("Responsible person")),
    ImportColumn("carrier", gettext_lazy("Carrier")),
    ImportColumn("page_count", gettext_lazy("Pages")),
    ImportColumn("confidentiality", gettext_lazy("Confidentiality")),
    ImportColumn("keywords", gettext_lazy("Keywords")),
    ImportColumn("description", gettext_lazy("Description")),
    ImportColumn("handling_status", gettext_lazy("Handling status")),
    ImportColumn("handled_on", gettext_lazy("Date handled")),
    ImportColumn("involves_major_decision", gettext_lazy("Major decision or dispute")),
    ImportColumn("contract_ends_on", gettext_lazy("Contract ends")),
]
CUSTOMER_COLUMNS = [
    ImportColumn("code", gettext_lazy("Customer code"), True),
    ImportColumn("name", gettext_lazy("Name"), True),
    ImportColumn("industry", gettext_lazy("Industry")),
    ImportColumn("region", gettext_lazy("Region")),
    ImportColumn("scale", gettext_lazy("Scale")),
    ImportColumn("department", gettext_lazy("Department code")),
    ImportColumn("contact", gettext_lazy("Contact")),
]
COLUMNS = {
    ImportJob.Kind.RECORDS: RECORD_COLUMNS,
    ImportJob.Kind.CUSTOMERS: CUSTOMER_COLUMNS,
}
PERMS = {
    ImportJob.Kind.RECORDS: permissions.FILE_RECORDS,
    ImportJob.Kind.CUSTOMERS: permissions.ADD_CUSTOMERS,
}
TEXT_LIMITS = {
    "title": 200,
    "keywords": 255,
    "description": 5000,
    "code": 30,
    "name": 200,
    "contact": 200,
}


class RowProblem(Exception):
    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__(problems)
        self.problems = problems


# --- reading the file ------------------------------------------------------


def _csv_encoding(path: str) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes; else GB18030,
    which is what Excel writes for a Chinese CSV."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            while handle.read(1 << 20):
                pass
        return "utf-8-sig"
    except UnicodeDecodeError:
        return "gb18030"


def read_rows(path: str) -> Iterator[list]:
    """The file's rows, the header first, one at a time, within the limits of
    ``import_files`` (FileRefused past them)."""
    return import_files.limited(_raw_rows(path))


def _raw_rows(path: str) -> Iterator[list]:
    if path.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        try:
            for row in book.worksheets[0].iter_rows(values_only=True):
                yield list(row)
        finally:
            book.close()
        return
    import_files.csv_field_limit()
    with open(path, encoding=_csv_encoding(path), newline="") as handle:
        sample = handle.read(4096)
        handle.seek(0)
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        yield from csv.reader(handle, dialect)


def _clean(value) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _aliases(columns: list[ImportColumn]) -> dict[str, ImportColumn]:
    """Each column by its key and its label in every language, case-folded."""
    names: dict[str, ImportColumn] = {}
    for column in columns:
        names[column.key.casefold()] = column
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                names[str(column.label).casefold()] = column
    return names


def _map_header(
    header: list, columns: list[ImportColumn]
) -> tuple[dict[int, ImportColumn], list]:
    aliases = _aliases(columns)
    mapping: dict[int, ImportColumn] = {}
    problems = []
    seen = set()
    for index, cell in enumerate(header):
        name = str(_clean(cell) or "")
        if not name:
            continue
        column = aliases.get(name.casefold())
        if column is None:
            problems.append(_problem(HEADER_ROW, name, _("Unknown column.")))
        elif column.key in seen:
            problems.append(_problem(HEADER_ROW, name, _("This column appears twice.")))
        else:
            seen.add(column.key)
            mapping[index] = column
    for column in columns:
        if column.required and column.key not in seen:
            problems.append(
                _problem(HEADER_ROW, str(column.label), _("This column is missing."))
            )
    return mapping, problems


def _problem(row: int, column: str, message: str) -> dict:
    return {"row": row, "column": column, "message": message}


# --- turning cells into values ----------------------------------------------

DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")
DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
)
TRUE = {"1", "yes", "y", "true", "是", "x", "✓"}
FALSE = {"0", "no", "n", "false", "否"}
EARLIEST = datetime.date(1900, 1, 1)


def _date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        parsed = value
    else:
        text = str(value).strip()
        for fmt in DATE_FORMATS:
            try:
                parsed = datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007
                break
            except ValueError:
                continue
        else:
            raise ValueError(_("Not a date; write it as 2026-03-31."))
    if parsed < EARLIEST:
        raise ValueError(_("This date is too early."))
    return parsed


def _datetime(value) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, datetime.time.min)
    else:
        text = str(value).strip()
        for fmt in DATETIME_FORMATS + DATE_FORMATS:
            try:
                # Local time, made aware below.
                moment = datetime.datetime.strptime(text, fmt)  # noqa: DTZ007
                break
            except ValueError:
                continue
        else:
            raise ValueError(_("Not a date and time; write it as 2026-03-31 14:30."))
    if moment.date() < EARLIEST:
        raise ValueError(_("This date is too early."))
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _int(value) -> int:
    if isinstance(value, float | Decimal) and value == int(value):
        value = int(value)
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError(_("Not a whole number.")) from None
    if not 0 <= number <= 100_000:
        raise ValueError(_("Must be between 0 and 100000."))
    return number


def _bool(value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().casefold()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValueError(_("Write yes or no (是 or 否)."))


def _choices(choices) -> dict[str, str]:
    """A choice by its value or its label in any language, case-folded."""
    names = {}
    for value, label in choices:
        names[str(value).casefold()] = value
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                names[str(label).casefold()] = value
    return names


class Lookups:
    """The rows a file names, loaded once per import (codes → objects)."""

    def __init__(self):
        self.categories = {
            c.code: c for c in Category.objects.prefetch_related("dimensions")
        }
        self.subcodes: dict[int, dict[str, Subcode]] = {}
        for subcode in Subcode.objects.select_related("dimension"):
            self.subcodes.setdefault(subcode.dimension.category_id, {}).setdefault(
                f"{subcode.dimension.key}:{subcode.code}", subcode
            )
        self.customers = dict(Customer.objects.values_list("code", "pk"))
        self.departments = {}
        for pk, code, name in Department.objects.values_list("pk", "code", "name"):
            self.departments[code.casefold()] = pk
            self.departments.setdefault(name.casefold(), pk)
        self.users = dict(
            User.objects.filter(is_active=True).values_list("username", "pk")
        )
        self.industries = {
            s.code.casefold(): s
            for s in Subcode.objects.filter(dimension__key="industry")
        }
        self.choice = {
            "carrier": _choices(ArchiveRecord.Carrier.choices),
            "confidentiality": _choices(ArchiveRecord.Confidentiality.choices),
            "handling_status": _choices(ArchiveRecord.HandlingStatus.choices),
            "region": _choices(Customer.Region.choices),
            "scale": _choices(Customer.Scale.choices),
        }
        self.new_codes: set[str] = set()


def _text(key: str, value) -> str:
    text = str(value)
    if len(text) > TEXT_LIMITS[key]:
        raise ValueError(_("At most %(max)d characters.") % {"max": TEXT_LIMITS[key]})
    return text


def _choice(key: str, value, lookups: Lookups) -> str:
    choice = lookups.choice[key].get(str(value).casefold())
    if choice is None:
        raise ValueError(_("Not one of the allowed values."))
    return choice


def _department(value, lookups: Lookups) -> int:
    pk = lookups.departments.get(str(value).casefold())
    if pk is None:
        raise ValueError(_("No department is called %(name)s.") % {"name": value})
    return pk


def _subcodes(category: Category, text: str, lookups: Lookups) -> dict[str, Subcode]:
    known = lookups.subcodes.get(category.pk, {})
    chosen: dict[str, Subcode] = {}
    for token in re.split(r"[\s,，、;；]+", text or ""):
        if not token:
            continue
        if ":" in token:
            matches = [known.get(token)] if known.get(token) else []
        else:
            matches = [s for key, s in known.items() if key.split(":", 1)[1] == token]
        if len(matches) != 1:
            raise ValueError(
                _("%(category)s has no sub-code %(code)s.")
                % {"category": category.code, "code": token}
            )
        chosen[matches[0].dimension.key] = matches[0]
    return chosen


def _record_values(cells: dict[str, Any], lookups: Lookups, job: ImportJob):
    """One row as the filing form's data, or every problem of the row."""
    problems: list[tuple[str, str]] = []
    data: dict[str, Any] = {}

    def fail(key: str, message: str):
        problems.append((key, message))

    category = lookups.categories.get(str(cells.get("category") or "").upper())
    if category is None:
        fail(
            "category",
            _("No category has the code %(code)s.")
            % {"code": cells.get("category") or ""},
        )
    elif not category.active:
        fail("category", _("This category is no longer in use."))
        category = None
    subcodes: dict[str, Subcode] = {}
    for key, value in cells.items():
        if value is None or key in ("category",):
            continue
        try:
            if key == "subcodes":
                if category is not None:
                    subcodes = _subcodes(category, str(value), lookups)
            elif key in ("title", "keywords", "description"):
                data[key] = _text(key, value)
            elif key == "customer":
                pk = lookups.customers.get(str(value))
                if pk is None:
                    raise ValueError(
                        _("No customer has the code %(code)s.") % {"code": value}
                    )
                data["customer_id"] = pk
            elif key in ("date_formed", "handled_on", "contract_ends_on"):
                data[key] = _date(value)
            elif key == "received_at":
                data[key] = _datetime(value)
            elif key == "source_department":
                data["source_department_id"] = _department(value, lookups)
            elif key == "responsible_person":
                pk = lookups.users.get(str(value))
                if pk is None:
                    raise ValueError(
                        _("No active user has the name %(name)s.") % {"name": value}
                    )
                data["responsible_person_id"] = pk
            elif key in ("carrier", "confidentiality", "handling_status"):
                data[key] = _choice(key, value, lookups)
            elif key == "page_count":
                data[key] = _int(value)
            elif key == "involves_major_decision":
                data[key] = _bool(value)
        except ValueError as error:
            fail(key, str(error.args[0]))
    if not data.get("title"):
        fail("title", _("Give the title."))
    if "date_formed" not in data and "date_formed" not in dict(problems):
        fail("date_formed", _("Give the date formed."))
    if category is not None and not problems:
        rules = {**data, "customer": data.get("customer_id")}
        try:
            record_check(category, rules)
            subcodes_check(category, subcodes)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                key = "subcodes" if field.startswith("subcode_") else field
                for message in messages:
                    fail(key, message)
        carrier = data.get("carrier", ArchiveRecord.Carrier.PAPER)
        if job.submit and carrier == ArchiveRecord.Carrier.ELECTRONIC:
            fail(
                "carrier",
                _(
                    "An electronic record needs its files: "
                    "import it as a draft and add them."
                ),
            )
    if problems:
        raise RowProblem(problems)
    return category, data, list(subcodes.values())


def _customer_values(cells: dict[str, Any], lookups: Lookups, job: ImportJob):
    problems: list[tuple[str, str]] = []
    data: dict[str, Any] = {}
    for key, value in cells.items():
        if value is None:
            continue
        try:
            if key in ("code", "name", "contact"):
                data[key] = _text(key, value)
            elif key == "industry":
                industry = lookups.industries.get(str(value).casefold())
                if industry is None:
                    raise ValueError(
                        _("No industry has the code %(code)s.") % {"code": value}
                    )
                data["industry"] = industry
            elif key in ("region", "scale"):
                data[key] = _choice(key, value, lookups)
            elif key == "department":
                data["department_id"] = _department(value, lookups)
        except ValueError as error:
            problems.append((key, str(error.args[0])))
    code = data.get("code")
    if not code:
        problems.append(("code", _("Give the customer code.")))
    elif code in lookups.customers:
        problems.append(
            ("code", _("Customer %(code)s already exists.") % {"code": code})
        )
    elif code in lookups.new_codes:
        problems.append(("code", _("This code appears twice in the file.")))
    else:
        lookups.new_codes.add(code)
    if not data.get("name"):
        problems.append(("name", _("Give the customer's name.")))
    if problems:
        raise RowProblem(problems)
    return data


VALUES = {
    ImportJob.Kind.RECORDS: _record_values,
    ImportJob.Kind.CUSTOMERS: _customer_values,
}


@dataclass
class ParsedRow:
    number: int
    values: Any


def parse(
    job: ImportJob, lookups: Lookups, problems: list[dict]
) -> Iterator[ParsedRow]:
    """The file's rows as values; each problem is added to ``problems``."""
    columns = COLUMNS[job.kind]
    labels = {c.key: str(c.label) for c in columns}
    rows = read_rows(job_path(job))
    try:
        header = next(rows, None)
    except import_files.FileRefused as error:
        problems.append(_problem(HEADER_ROW, "", error.message))
        return
    if header is None:
        problems.append(_problem(HEADER_ROW, "", _("The file is empty.")))
        return
    mapping, header_problems = _map_header(header, columns)
    problems.extend(header_problems)
    if header_problems:
        return
    convert = VALUES[job.kind]
    try:
        yield from _parse_rows(rows, mapping, convert, lookups, job, problems, labels)
    except import_files.FileRefused as error:
        problems.insert(0, _problem(HEADER_ROW, "", error.message))


def _parse_rows(rows, mapping, convert, lookups, job, problems, labels):
    for number, row in enumerate(rows, start=HEADER_ROW + 1):
        cells = {
            mapping[i].key: _clean(value) for i, value in enumerate(row) if i in mapping
        }
        if all(v is None for v in cells.values()):
            continue
        try:
            yield ParsedRow(number, convert(cells, lookups, job))
        except RowProblem as error:
            for key, message in error.problems:
                problems.append(_problem(number, labels.get(key, key), message))


# --- the job ----------------------------------------------------------------


def job_path(job: ImportJob) -> str:
    return os.path.join(settings.ARCHIVE_IMPORT_DIR, job.file_name)


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


def import_run_again(*, actor, job: ImportJob) -> ImportJob:
    """Run again an import (dry run or import) whose worker died."""
    return job_run_again(actor=actor, job=job, task="reports.tasks.import_run")


def import_upload(*, actor, kind: str, upload, submit: bool = False) -> ImportJob:
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
    os.makedirs(settings.ARCHIVE_IMPORT_DIR, exist_ok=True)
    stored = f"{uuid.uuid4().hex}{extension}"
    with open(os.path.join(settings.ARCHIVE_IMPORT_DIR, stored), "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
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
def import_confirm(*, actor, job: ImportJob) -> ImportJob:
    """Import a file whose dry run found nothing wrong."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.created_by_id != actor.pk:
        raise NotAllowed(
            _("Only the person who uploaded it may import it.")
        )
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
    for count, _row in enumerate(parse(job, lookups, problems), start=1):
        if count % PROGRESS_EVERY == 0:
            _progress(job, count)
    total = count + len({p["row"] for p in problems if p["row"] != HEADER_ROW})
    if total > settings.ARCHIVE_IMPORT_MAX_ROWS:
        problems.insert(
            0,
            _problem(
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
        problems.append(_problem(HEADER_ROW, "", _("The file has no rows to import.")))
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
    with transaction.atomic():
        done = 0
        batch: list[ParsedRow] = []
        for row in parse(job, lookups, problems):
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


def _write_records(rows: list[ParsedRow], actor, job: ImportJob) -> int:
    """A chunk of records, with their history and sub-codes, in a few queries."""
    now = timezone.now()
    names = dict(
        Customer.objects.filter(
            pk__in={row.values[1].get("customer_id") for row in rows}
        ).values_list("pk", "name")
    )
    records = []
    for row in rows:
        category, data, _subcodes = row.values
        record = ArchiveRecord(category=category, created_by=actor, **data)
        if not record.source_department_id:
            record.source_department_id = actor.department_id
        if not record.responsible_person_id:
            record.responsible_person_id = actor.pk
        record.submission_due_at = submission_due(record)
        if job.submit:
            record.status = ArchiveRecord.Status.SUBMITTED
            record.submitted_at = now
            record.submitted_late = bool(
                record.submission_due_at and now > record.submission_due_at
            )
        record.refresh_search(names.get(record.customer_id, ""))
        records.append(record)
    created = bulk_create_with_history(
        records,
        ArchiveRecord,
        batch_size=CHUNK,
        default_user=actor,
        default_change_reason=_("Imported from %(file)s")
        % {"file": job.original_name[:60]},
    )
    through = ArchiveRecord.subcodes.through
    links = through.objects.bulk_create(
        [
            through(archiverecord_id=record.pk, subcode_id=subcode.pk)
            for record, row in zip(created, rows, strict=True)
            for subcode in row.values[2]
        ],
        batch_size=CHUNK,
    )
    # The first version of each record names its sub-codes too, as a record
    # filed through the form does (its history page reads them).
    versions = dict(
        ArchiveRecord.history.filter(id__in=[r.pk for r in created]).values_list(
            "id", "history_id"
        )
    )
    history_links = apps.get_model("archives", "HistoricalArchiveRecord_subcodes")
    history_links.objects.bulk_create(
        [
            history_links(
                id=link.pk,
                history_id=versions[link.archiverecord_id],
                archiverecord_id=link.archiverecord_id,
                subcode_id=link.subcode_id,
            )
            for link in links
        ],
        batch_size=CHUNK,
    )
    return len(created)


def _write_customers(rows: list[ParsedRow], actor, job: ImportJob) -> int:
    customers = []
    for row in rows:
        customer = Customer(
            **{
                k: v
                for k, v in row.values.items()
                if k in CUSTOMER_FIELDS or k.endswith("_id")
            }
        )
        customer.set_contact(row.values.get("contact", ""))
        customers.append(customer)
    created = bulk_create_with_history(
        customers, Customer, batch_size=CHUNK, default_user=actor
    )
    return len(created)


def template_headers(kind: str) -> list[str]:
    """The headers of an empty file to fill in, in the reader's language."""
    return [str(c.label) for c in COLUMNS[kind]]
