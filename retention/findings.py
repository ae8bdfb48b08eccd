"""What the periodic checks can find, as translatable messages.

A ``Finding`` keeps a key and its values; the text is made when it is read,
in the reader's language (as ``accounts.notifications`` does for messages).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from archives.models import ArchiveRecord
from audit.reports import MESSAGES as AUDIT_MESSAGES

MESSAGES = {
    "file_missing": _(
        "%(number)s: the file %(file)s is missing from the archive store."
    ),
    "checksum_mismatch": _(
        "%(number)s: the file %(file)s no longer matches its SHA-256 "
        "(recorded %(expected)s…, now %(actual)s…)."
    ),
    "file_unusable": _("%(number)s: the file %(file)s failed a check: %(problem)s"),
    "file_infected": _("%(number)s: the file %(file)s holds malware: %(problem)s"),
    "file_scan_pending": _(
        "%(number)s: the file %(file)s could not be scanned for malware: "
        "the virus scanner was not reachable."
    ),
    "copy_failed": _(
        "%(number)s: the long-term copy of %(file)s could not be made: %(problem)s"
    ),
    "copy_unusable": _(
        "%(number)s: the long-term copy %(file)s failed a check: %(problem)s"
    ),
    "copy_infected": _(
        "%(number)s: the long-term copy %(file)s holds malware: %(signature)s"
    ),
    "backup_missing": _("%(number)s: the backup copy of %(file)s is missing."),
    "backup_mismatch": _(
        "%(number)s: the backup copy of %(file)s differs from the original "
        "(SHA-256 now %(actual)s…)."
    ),
    "erased_file_present": _(
        "%(number)s was destroyed, but its file %(file)s is still in the archive store."
    ),
    "erased_backup_present": _(
        "%(number)s was destroyed, but its file %(file)s is still in the backup."
    ),
    "number_gap": _("Sequence %(prefix)s: numbers missing: %(numbers)s."),
    "paper_without_box": _("%(number)s is a paper record on file but has no box."),
    "box_over_capacity": _(
        "Box %(box)s holds %(count)s records; its capacity is %(capacity)s."
    ),
    "facility_problem": _("%(item)s: %(note)s"),
    "facility_unchecked": _("%(item)s was not checked."),
    "patrol_missing": _("No temperature and humidity reading was recorded."),
    "temperature_out_of_range": _(
        "Temperature %(value)s °C is outside %(low)s–%(high)s °C."
    ),
    "humidity_out_of_range": _(
        "Relative humidity %(value)s %% is outside %(low)s–%(high)s %%."
    ),
    "db_backup_ok": _(
        "Database backup %(file)s was restored into a scratch database; its "
        "counts match its manifest (%(counts)s) and the backup store holds all "
        "%(files)s files it names."
    ),
    "db_backup_mismatch": _(
        "Database backup %(file)s restored, but its counts differ: %(counts)s."
    ),
    "db_backup_failed": _("The database backup could not be restored: %(error)s"),
    "db_backup_none": _(
        "There is no scheduled database backup: check that beat runs the "
        "daily database backup."
    ),
    "db_backup_stale": _(
        "The latest scheduled database backup, %(file)s, was made on %(when)s: "
        "the daily backup has stopped."
    ),
    "db_backup_files_bad": _(
        "Database backup %(file)s names %(count)s file(s) the backup store does "
        "not hold intact: %(names)s."
    ),
    "stocktake_missing": _(
        "%(number)s was not found; the catalogue has it in box %(box)s."
    ),
    "stocktake_misplaced": _(
        "%(number)s was found in box %(found)s; the catalogue has it in box %(box)s."
    ),
    "stocktake_unexpected": _(
        "%(code)s was found in box %(found)s but is not expected on the shelves "
        "(%(status)s)."
    ),
    "stocktake_unknown": _(
        "%(code)s was found in box %(found)s but is not in the catalogue."
    ),
    "stocktake_out": _("%(number)s is out of the storeroom: %(status)s."),
    "late_submission": _(
        "%(number)s “%(title)s” by %(person)s was due on %(due)s and is not submitted."
    ),
    "disposal_due": _("%(count)s record(s) have reached their disposal date."),
    "low_free_space": _(
        "The disk of the %(store)s file store has %(free)s free (%(percent)s%%): "
        "make room or add space before it fills."
    ),
    "loans_overdue": _("%(count)s loan(s) are overdue."),
    "many_denials": _("%(person)s was refused %(count)s time(s) in a day."),
    "many_downloads": _(
        "%(person)s downloaded, printed or exported %(count)s time(s) in the hour "
        "from %(when)s."
    ),
    "odd_hours": _(
        "%(person)s opened records %(count)s time(s) outside working hours."
    ),
    "audit_anchor_missing": _(
        "Audit entry #%(entry)s, the last one when the %(period)s inspection ran, "
        "is gone or changed: entries were cut from the log."
    ),
    "audit_entry_changed": AUDIT_MESSAGES["changed"],
    "audit_entry_unlinked": AUDIT_MESSAGES["unlinked"],
}


# Where each kind of finding leads: the list behind it (issue 19, item 10).
LISTS = {
    "number_gap": "archives:number-gaps",
    "disposal_due": "retention:due-list",
    "loans_overdue": "lending:desk",
    "many_denials": "audit:log",
    "many_downloads": "audit:log",
    "odd_hours": "audit:log",
    "audit_anchor_missing": "audit:log",
    "audit_entry_changed": "audit:log",
    "audit_entry_unlinked": "audit:log",
}


def link(code: str, params: dict) -> str:
    """The page behind a finding: its list, or the catalogue found at the
    record it names; "" when there is none."""
    from urllib.parse import urlencode

    from django.urls import reverse

    if code in LISTS:
        return reverse(LISTS[code])
    number = params.get("number")
    if number:
        return f"{reverse('archives:catalogue')}?{urlencode({'q': number})}"
    return ""


# The file stores a finding names (core.diskspace), by their STORAGES alias.
STORE_NAMES = {"default": _("archive"), "backup": _("backup")}


def render(code: str, params: dict) -> str:
    template = MESSAGES.get(code)
    if template is None:
        return code
    if "check" in params:  # a four-checks finding, in the reader's language
        from archives.checkmessages import render as check_text

        params = {
            **params,
            "problem": check_text(params["check"], params.get("check_params", {})),
        }
    if params.get("store") in STORE_NAMES:
        params = {**params, "store": STORE_NAMES[params["store"]]}
    status = params.get("status")
    if status in ArchiveRecord.Status.values:
        params = {**params, "status": ArchiveRecord.Status(status).label}
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)


SUMMARY_LABELS = {
    "requests_expired": _("Approved requests expired unused"),
    "grants_removed": _("Ended access grants removed"),
    "reminders_sent": _("Loan reminders sent"),
    "late_submissions": _("Late submissions"),
    "disposal_due": _("Records due for disposal"),
    "loans_overdue": _("Loans overdue"),
    "files_checked": _("Electronic files checked"),
    "records_four_checked": _("Records whose files were opened and scanned again"),
    "copies_scanned": _("Long-term copies scanned again"),
    "sequences_with_gaps": _("Number sequences with gaps"),
    "audit_entries_verified": _("Audit log entries verified"),
    "unusual_patterns": _("Unusual patterns in the audit log"),
    "stores_low_on_space": _("File stores low on disk space"),
    "database_backup": _("Database backup file"),
    "storerooms": _("Storerooms"),
    "read": _("Storerooms read"),
    "out_of_range": _("Readings out of range"),
    "expected": _("Records expected on the shelves"),
    "found": _("Records found"),
    "missing": _("Missing"),
    "misplaced": _("Misplaced"),
    "unexpected": _("Unexpected"),
}


def summary_rows(summary: dict) -> list[tuple[str, object]]:
    """A report's figures with their labels, in the reader's language."""
    return [
        (str(SUMMARY_LABELS[key]), value)
        for key, value in summary.items()
        if key in SUMMARY_LABELS
    ]
