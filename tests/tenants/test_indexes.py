"""Every index of a region's schema is listed in docs/indexes.md with the query it
serves, and the ones no query can use are gone (meldpunt/migrations/0003, 0005)."""

import re
from importlib import import_module

from django.conf import settings
from django.db import connection

from tests.serving import REPO

LISTED = re.compile(r"^\| `([^`]+)` \|", re.MULTILINE)
DROPPING = [
    import_module(f"meldpunt.migrations.{name}")
    for name in ("0003_unused_indexes", "0005_unused_indexes_of_new_tables")
]


def indexes_of(schema: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = %s", [schema])
        return {row[0] for row in cursor.fetchall()}


def test_every_index_of_a_region_is_listed_with_its_query(twente):
    listed = set(LISTED.findall((REPO / "docs" / "indexes.md").read_text()))
    template = indexes_of(settings.TENANT_BASE_SCHEMA)
    assert template - listed == set(), "an index without its line in docs/indexes.md"
    assert listed - template == set(), "docs/indexes.md lists an index that is gone"
    assert indexes_of(twente.schema_name) == template  # a region from the blueprint


def test_the_indexes_no_query_uses_are_gone(twente):
    names = {
        name
        for dropped in DROPPING
        for name, _table, _columns in dropped.LIKE_TWINS + dropped.LED_BY_A_UNIQUE_CONSTRAINT
    }
    assert len(names) == 44
    assert names & indexes_of(settings.TENANT_BASE_SCHEMA) == set()
    assert names & indexes_of(twente.schema_name) == set()
    assert not [name for name in indexes_of(twente.schema_name) if name.endswith("_like")]
