"""Cells for the spreadsheets the product writes (CSV and XLSX): text that a spreadsheet
program would run as a formula is neutralised, and text is stored as text.

OWASP's rule against CSV injection: a cell that starts with = + - @, a tab or a carriage
return gets a single quote in front, so that a name typed by someone (a signal, a
partner, an e-mail address) is never run as a formula on the reader's computer."""

from collections.abc import Iterable
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: Any) -> Any:
    """A cell's value as it may go into a spreadsheet; numbers and dates stay themselves."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [neutralised(value) for value in values]


def append_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    """One row at the end of an XLSX sheet; text cells typed as text (openpyxl would
    otherwise store "=…" as a formula and "#N/A" as an error)."""
    sheet.append(safe_row(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
