"""Import files read with limits, so that no file can exhaust the worker.

An .xlsx file is a zip: a few hundred kilobytes can unpack to gigabytes
(a "zip bomb"), and openpyxl keeps the whole shared-strings part in memory.
Before anything is parsed, the zip's own table of contents is read (cheap):
the total unpacked size, each part's compression ratio, the shared-strings
part's size and the sheet's declared dimensions are held to settings.
While rows are read, rows, columns and cell lengths are held to them too,
for CSV as for Excel (security issue, item 12).
"""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MB = 1024 * 1024
# A part this small may compress as well as it likes.
RATIO_FLOOR_BYTES = 10 * MB
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


class FileRefused(Exception):
    """The file breaks a limit while it is read; the message says which."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _refuse(message: str):
    raise ValidationError({"file": message})


def xlsx_check(fileobj) -> None:
    """Refuse an Excel file whose parts would unpack past the limits."""
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError):
        _refuse(_("This is not an Excel (.xlsx) file."))
    with archive:
        infos = archive.infolist()
        total = sum(info.file_size for info in infos)
        limit = settings.ARCHIVE_IMPORT_MAX_UNZIPPED_MB
        if total > limit * MB:
            _refuse(
                _(
                    "This Excel file unpacks to %(size)d MB; at most %(max)d MB "
                    "may be imported. Split it into smaller files."
                )
                % {"size": total // MB, "max": limit}
            )
        ratio = settings.ARCHIVE_IMPORT_MAX_RATIO
        for info in infos:
            if info.file_size > RATIO_FLOOR_BYTES and info.file_size > ratio * max(
                info.compress_size, 1
            ):
                _refuse(
                    _(
                        "This Excel file is packed %(ratio)d times tighter than "
                        "spreadsheets are; it is refused as a possible zip bomb."
                    )
                    % {"ratio": info.file_size // max(info.compress_size, 1)}
                )
        names = {info.filename: info for info in infos}
        shared = names.get("xl/sharedStrings.xml")
        shared_limit = settings.ARCHIVE_IMPORT_MAX_SHARED_TEXT_MB
        if shared is not None and shared.file_size > shared_limit * MB:
            _refuse(
                _(
                    "The text of this Excel file takes %(size)d MB; at most "
                    "%(max)d MB may be imported. Split it into smaller files."
                )
                % {"size": shared.file_size // MB, "max": shared_limit}
            )
        sheets = sorted(
            n for n in names if re.fullmatch(r"xl/worksheets/[^/]+\.xml", n)
        )
        if not sheets:
            _refuse(_("This Excel file has no sheet."))
        with archive.open(sheets[0]) as sheet:
            head = sheet.read(64 * 1024)
    found = _DIMENSION.search(head)
    if found:
        first_column, first_row, last_column, last_row = (
            g.decode() if g else None for g in found.groups()
        )
        _check_size(
            int(last_row or first_row or 0) - 1,
            _column_number(last_column or first_column or ""),
        )


def _check_size(rows: int, columns: int) -> None:
    if rows > settings.ARCHIVE_IMPORT_MAX_ROWS:
        _refuse(
            _("The file has %(rows)d rows; at most %(max)d may be imported at once.")
            % {"rows": rows, "max": settings.ARCHIVE_IMPORT_MAX_ROWS}
        )
    if columns > settings.ARCHIVE_IMPORT_MAX_COLUMNS:
        _refuse(
            _("The file has %(columns)d columns; at most %(max)d are read.")
            % {"columns": columns, "max": settings.ARCHIVE_IMPORT_MAX_COLUMNS}
        )


def limited(rows: Iterator[list]) -> Iterator[list]:
    """The rows, stopped with FileRefused at the first that breaks a limit."""
    max_rows = settings.ARCHIVE_IMPORT_MAX_ROWS + 1  # and the header
    max_columns = settings.ARCHIVE_IMPORT_MAX_COLUMNS
    max_chars = settings.ARCHIVE_IMPORT_MAX_CELL_CHARS
    try:
        for number, row in enumerate(rows, start=1):
            if number > max_rows:
                raise FileRefused(
                    _(
                        "The file has more than %(max)d rows; at most %(max)d may be "
                        "imported at once."
                    )
                    % {"max": settings.ARCHIVE_IMPORT_MAX_ROWS}
                )
            while row and row[-1] in (None, ""):
                row = row[:-1]
            if len(row) > max_columns:
                raise FileRefused(
                    _("Row %(row)d has %(columns)d columns; at most %(max)d are read.")
                    % {"row": number, "columns": len(row), "max": max_columns}
                )
            for column, value in enumerate(row, start=1):
                if isinstance(value, str) and len(value) > max_chars:
                    raise FileRefused(
                        _(
                            "Row %(row)d, column %(column)d holds %(chars)d "
                            "characters; a cell may hold at most %(max)d."
                        )
                        % {
                            "row": number,
                            "column": column,
                            "chars": len(value),
                            "max": max_chars,
                        }
                    )
            yield row
    except csv.Error as error:
        raise FileRefused(
            _(
                "The CSV file cannot be read: %(error)s (a cell may hold at most "
                "%(max)d characters)."
            )
            % {"error": error, "max": max_chars}
        ) from error


def csv_field_limit() -> None:
    """csv's own guard against one enormous cell, at our limit."""
    csv.field_size_limit(settings.ARCHIVE_IMPORT_MAX_CELL_CHARS + 1)


# --- reading the rows -----------------------------------------------------


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
    """The file's rows, the header first, one at a time, within the limits
    above (FileRefused past them)."""
    return limited(_raw_rows(path))


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
    csv_field_limit()
    with open(path, encoding=_csv_encoding(path), newline="") as handle:
        sample = handle.read(4096)
        handle.seek(0)
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        yield from csv.reader(handle, dialect)
