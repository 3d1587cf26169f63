"""Statistics tables as files (CSV and XLSX): always with suppression applied, and each
export one audit line saying which table, which format and which selection."""

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from accounts.models import User
from accounts.policy import Action, require
from audit.models import AuditAction
from audit.services import record
from statistiek.tables import Table, published

# The names under which all tables of a page are exported (and written in the audit line).
ALL_REGION_TABLES = "alle-tabellen"
ALL_PREVENTION_TABLES = "preventie-en-advies"
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SUPPRESSION_NOTE = gettext_lazy(
    "Cijfers onder de 5 staan als <5; een cijfer waaruit zo'n klein aantal terug te rekenen is, ook."
)


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    filename: str
    content_type: str


def header(table: Table) -> list[str]:
    return [str(table.row_header), *(str(column.label) for column in table.columns)]


def csv_bytes(table: Table) -> bytes:
    """One table; semicolons and a byte-order mark, as a Dutch spreadsheet expects."""
    shown = published(table)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header(shown))
    for label, values in shown.cell_rows():
        writer.writerow([label, *("" if value is None else value for value in values)])
    writer.writerow([])
    writer.writerow([str(SUPPRESSION_NOTE)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def sheet_title(title: str, taken: set[str]) -> str:
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28]
    name, number = base, 2
    while name in taken:
        name, number = f"{base[:25]} {number}", number + 1
    taken.add(name)
    return name


def xlsx_bytes(tables: list[Table], heading: str) -> bytes:
    """One sheet per table, suppressed; numbers stay numbers, "<5" is text."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    bold = Font(bold=True)
    for table in tables:
        shown = published(table)
        sheet = workbook.create_sheet(sheet_title(str(shown.title), taken))
        sheet.append([heading])
        sheet.append([str(shown.title)])
        sheet.append([str(shown.explanation)])
        sheet.append([])
        sheet.append(header(shown))
        for cell in sheet[5]:
            cell.font = bold
        for label, values in shown.cell_rows():
            sheet.append([label, *values])
        sheet.append([])
        sheet.append([str(SUPPRESSION_NOTE)])
        sheet["A1"].font = bold
        sheet["A2"].font = bold
        sheet.column_dimensions["A"].width = 40
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def exported_tables(
    *, actor: User, tables: list[Table], name: str, selection: dict[str, Any]
) -> list[Table]:
    """The tables as data for another system (the API), suppressed like every export
    and with the same audit line."""
    require(actor, Action.EXPORT_STATISTICS)
    record(
        AuditAction.EXPORT,
        user=actor,
        grounds="statistiek",
        detail={"statistiek": name, "formaat": "json", **selection},
    )
    return [published(table) for table in tables]


def export(
    *,
    actor: User,
    tables: list[Table],
    name: str,
    fmt: str,
    heading: str,
    selection: dict[str, Any],
) -> ExportFile:
    """The tables as a file: a CSV holds one table, a workbook any number."""
    require(actor, Action.EXPORT_STATISTICS)
    if fmt == "csv" and len(tables) == 1:
        content, content_type = csv_bytes(tables[0]), CSV_TYPE
    elif fmt == "xlsx":
        content, content_type = xlsx_bytes(tables, heading), XLSX_TYPE
    else:
        raise ValueError(f"no {fmt} export of {len(tables)} tables")
    record(
        AuditAction.EXPORT,
        user=actor,
        grounds="statistiek",
        detail={"statistiek": name, "formaat": fmt, **selection},
    )
    suffix = f"{selection.get('van', '')}_{selection.get('tot_en_met', '')}".strip("_")
    return ExportFile(
        content, f"{name}_{suffix}.{fmt}" if suffix else f"{name}.{fmt}", content_type
    )
