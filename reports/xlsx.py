"""The monthly usage report as an Excel workbook: one sheet per table."""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Font

from core.spreadsheet import as_text
from reports.annual import annual_tables
from reports.figures import statistics_tables


def monthly_report(report) -> bytes:
    return tables_xlsx(statistics_tables(report.figures))


def annual_report(report) -> bytes:
    return tables_xlsx(annual_tables(report))


def tables_xlsx(tables) -> bytes:
    """One sheet per table, its headers in bold."""
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    used: set[str] = set()
    for table in tables:
        # Sheet names: at most 31 characters, none of []:*?/\ and unique.
        name = re.sub(r"[\[\]:*?/\\]", " ", table.title)[:28]
        while name in used:
            name = f"{name[:26]}~{len(used)}"
        used.add(name)
        sheet = book.create_sheet(name)
        sheet.append(table.headers)
        for cell in sheet[1]:
            cell.font = bold
        for row in table.rows:
            sheet.append(row)
        for row in sheet.iter_rows(min_row=1):
            for cell in row:
                as_text(cell)
        sheet.column_dimensions["A"].width = 30
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
