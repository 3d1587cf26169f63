"""A statistics table as the page, the exports and the yearly report show it, and the
suppression applied to everything that leaves the platform.

Suppression: a count under 5 (zero included) shows as "<5" (primary). A count that
could be recomputed from others shown beside it — a total minus its other parts, in
a column with a total row or a row with a total column — is suppressed too
(secondary), repeated until no group of parts and their whole has exactly one hidden
cell. A median or rate is shown only when the count it comes from is shown and is at
least 5.
"""

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _

MINIMUM = 5
SUPPRESSED = "<5"
TOTAL_LABEL = _("Totaal")


class Kind(StrEnum):
    COUNT = "count"  # a number of cases, reports, people, activities
    MEDIAN = "median"  # a median (days), from the count in `base`
    RATE = "rate"  # per 10,000, from the count in `base`
    TEXT = "text"  # configuration (a deadline, a population): never suppressed


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: Kind = Kind.COUNT
    # A count that is part of another column of the same row (parts add up to it).
    part_of: str = ""
    # For a median or rate: the count column it is computed from.
    base: str = ""


@dataclass
class Row:
    label: str
    values: dict[str, Any]
    key: str = ""  # a code (a CBS municipality code, a step code), for charts and maps


@dataclass
class Table:
    slug: str
    title: str
    explanation: str
    row_header: str
    columns: list[Column]
    rows: list[Row]
    # Counts per column over all rows, when the rows add up to it.
    total: dict[str, Any] | None = None
    chart: str = "bar"  # "bar", "line" or "" (no chart)
    chart_columns: list[str] = field(default_factory=list)

    @property
    def count_columns(self) -> list[Column]:
        return [column for column in self.columns if column.kind == Kind.COUNT]

    def charted(self) -> list[Column]:
        wanted = self.chart_columns or [self.count_columns[0].key]
        return [column for column in self.columns if column.key in wanted]

    def chart_data(self) -> dict[str, Any]:
        """What the page's chart draws (the same numbers as the table beside it)."""
        return {
            "type": self.chart,
            "labels": [row.label for row in self.rows],
            "datasets": [
                {"label": column.label, "data": [row.values.get(column.key) for row in self.rows]}
                for column in self.charted()
            ],
        }

    def cell_rows(self) -> list[tuple[str, list[Any]]]:
        """Label and values in column order, the total row last."""
        rows = [(row.label, [row.values.get(c.key) for c in self.columns]) for row in self.rows]
        if self.total is not None:
            rows.append((str(TOTAL_LABEL), [self.total.get(c.key) for c in self.columns]))
        return rows


Cell = tuple[int, str]  # (row index, column key); the total row has index -1


def groups(table: Table) -> list[tuple[list[Cell], Cell]]:
    """Every set of count cells that adds up to another shown cell: (parts, whole)."""
    found: list[tuple[list[Cell], Cell]] = []
    indexes = list(range(len(table.rows))) + ([-1] if table.total is not None else [])
    if table.total is not None:
        for column in table.count_columns:
            found.append(([(i, column.key) for i in range(len(table.rows))], (-1, column.key)))
    for whole in table.count_columns:
        parts = [c.key for c in table.count_columns if c.part_of == whole.key]
        if parts:
            found.extend(([(i, key) for key in parts], (i, whole.key)) for i in indexes)
    return found


def suppressed_cells(table: Table) -> set[Cell]:
    def value(cell: Cell) -> Any:
        index, key = cell
        return (table.total if index == -1 else table.rows[index].values).get(key)

    cells = [
        (i, column.key)
        for i in [*range(len(table.rows)), *([-1] if table.total is not None else [])]
        for column in table.count_columns
        if value((i, column.key)) is not None
    ]
    hidden = {cell for cell in cells if value(cell) < MINIMUM}
    applicable = [
        ([p for p in parts if value(p) is not None], whole)
        for parts, whole in groups(table)
        if value(whole) is not None
    ]
    changed = True
    while changed:
        changed = False
        for parts, whole in applicable:
            if not parts or sum(cell in hidden for cell in [*parts, whole]) != 1:
                continue
            # The smallest shown part, or the whole when every part is hidden already.
            candidates = [cell for cell in parts if cell not in hidden] or [whole]
            hidden.add(min(candidates, key=value))
            changed = True
    return hidden


def published(table: Table) -> Table:
    """The table as it may leave the platform: suppression applied."""
    hidden = suppressed_cells(table)

    def publish(index: int, values: dict[str, Any]) -> dict[str, Any]:
        out = dict(values)
        for column in table.columns:
            if values.get(column.key) is None:
                continue
            if column.kind == Kind.COUNT and (index, column.key) in hidden:
                out[column.key] = SUPPRESSED
            elif column.kind == Kind.TEXT:
                out[column.key] = str(values[column.key])  # configuration, not a count
            elif column.kind in (Kind.MEDIAN, Kind.RATE):
                base = values.get(column.base)
                if base is None or base < MINIMUM or (index, column.base) in hidden:
                    out[column.key] = SUPPRESSED
        return out

    return replace(
        table,
        rows=[
            replace(row, values=publish(index, row.values)) for index, row in enumerate(table.rows)
        ],
        total=publish(-1, table.total) if table.total is not None else None,
    )


def formatted(value: Any) -> str:
    """A cell as text: counts as integers, medians and rates with one decimal (Dutch comma)."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)
