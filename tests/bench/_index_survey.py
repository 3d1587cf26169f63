"""The index survey of docs/indexes.md: how often each region index was scanned, summed
over the region schemas of a database, before that database is gone.

- After the test suite: `pytest -p tests.bench._index_survey` writes the test database's
  counts to INDEX_SURVEY_OUT (a JSON file) when the session ends, before pytest-django
  drops it.
- After benches run with BENCH_KEEP_DATABASE=1:
  `python tests/bench/_index_survey.py OUT.json DATABASE...` sums their counts.

Each file maps an index name to [scans, schemas].
"""

import json
import os
import sys
import time

import psycopg2
import pytest

SCANS = (
    "SELECT indexrelname, sum(idx_scan)::bigint, count(*) FROM pg_stat_user_indexes"
    " WHERE schemaname <> 'public' GROUP BY indexrelname"
)


def scans(**connect: str) -> dict[str, list[int]]:
    """Scans and schemas per index name in one database (a fresh connection, so the
    counters every other backend flushed are in)."""
    connection = psycopg2.connect(**connect)
    with connection.cursor() as cursor:
        cursor.execute(SCANS)
        found = {name: [count, schemas] for name, count, schemas in cursor.fetchall()}
    connection.close()
    return found


@pytest.fixture(scope="session", autouse=True)
def _index_survey(django_db_setup, django_db_blocker) -> None:
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        settings = connection.settings_dict
        connection.close()  # a backend flushes its counters when it ends
        time.sleep(2)  # and an idle one within a second or so
        found = scans(
            dbname=settings["NAME"],
            user=settings["USER"],
            password=settings["PASSWORD"],
            host=settings["HOST"],
            port=settings["PORT"] or 5432,
        )
    with open(os.environ.get("INDEX_SURVEY_OUT", "index-survey-tests.json"), "w") as out:
        json.dump(found, out, indent=0)


def main() -> None:
    out, *databases = sys.argv[1:]
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/meldpunt")
    import dj_database_url

    config = dj_database_url.parse(url)
    total: dict[str, list[int]] = {}
    for database in databases:
        for name, (count, schemas) in scans(
            dbname=database,
            user=config["USER"],
            password=config["PASSWORD"] or "",
            host=config["HOST"],
            port=config["PORT"] or 5432,
        ).items():
            summed = total.setdefault(name, [0, 0])
            summed[0] += count
            summed[1] += schemas
    with open(out, "w") as file:
        json.dump(total, file, indent=0)


if __name__ == "__main__":
    main()
