"""A region with two years of fictitious history (the demo seeder), and a reader of the
tables on a rendered statistics page."""

from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from django_tenants.utils import tenant_context

from statistiek.demo import seed_history


@pytest.fixture
def history(twente, make_user) -> Callable[[], int]:
    """Seeds Twente's history (rolled back with the test); the seeder records as the
    demo procesregisseur and appoints the demo casuscoördinator."""
    make_user(twente, "procesregisseur", email="procesregisseur@twente.demo")
    make_user(twente, "casuscoordinator", email="casuscoordinator@twente.demo")
    with tenant_context(twente):
        return seed_history("twente")


class TableReader(HTMLParser):
    """Every <table data-table="slug"> as rows of cell texts (the header row excluded)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.current: str | None = None
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.in_head = False

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        if tag == "table" and "data-table" in attributes:
            self.current = attributes["data-table"]
            self.tables[self.current] = []
        elif tag == "thead":
            self.in_head = True
        elif tag == "tr" and self.current and not self.in_head:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag) -> None:
        if tag == "table":
            self.current = None
        elif tag == "thead":
            self.in_head = False
        elif tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None and self.current:
            self.tables[self.current].append(self.row)
            self.row = None

    def handle_data(self, data) -> None:
        if self.cell is not None:
            self.cell.append(data)


def page_tables(html: str) -> dict[str, dict[str, list[str]]]:
    """slug → {row label: cells}."""
    reader = TableReader()
    reader.feed(html)
    return {slug: {row[0]: row[1:] for row in rows} for slug, rows in reader.tables.items()}
