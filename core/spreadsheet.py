"""Cells that a spreadsheet shows as text, never runs as a formula.

A cell whose text begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or a
line break before one) is a formula to Excel and LibreOffice: a user name
like ``=HYPERLINK(...)`` typed at the login page would reach the auditor's
export as a live link (OWASP "CSV injection"). In CSV such text gets a
leading apostrophe, which spreadsheets take as "this is text"; in Excel
files the cell is written as a string with the quote-prefix style, so the
text reads exactly as it was typed.
"""

from __future__ import annotations

from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_row(values) -> list:
    """A row of CSV cells with formula-like text made inert."""
    return [f"'{v}" if is_formula_like(v) else v for v in values]


def as_text(cell) -> None:
    """Make an openpyxl cell whose value looks like a formula hold text."""
    if is_formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True


def xlsx_row(sheet, values) -> list:
    """A write-only sheet's row; formula-like text as quoted text cells."""
    from openpyxl.cell import WriteOnlyCell

    row = []
    for value in values:
        if is_formula_like(value):
            cell = WriteOnlyCell(sheet, value=value)
            as_text(cell)
            row.append(cell)
        else:
            row.append(value)
    return row
