"""A statement a connection runs again runs as a prepared statement, with the same rows,
row counts, columns and errors as before; a region's statement reads only its region;
what cannot be prepared runs as before without harming the transaction."""

import datetime
import uuid
from decimal import Decimal

import psycopg2
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from meldpunt.database.base import prepare_threshold
from meldpunt.database.prepared import NOT_PREPARABLE, prepared_body
from meldpunt.settings import prepare_threshold_setting
from tests.factories import person, public_report
from workflow.models import InvolvedPerson, Report

UTC = datetime.UTC


def statements(database=connection):
    return database.connection.statements


def prepared_names(cursor) -> set[str]:
    cursor.execute("SELECT name FROM pg_prepared_statements")
    return {name for (name,) in cursor.fetchall()}


def is_prepared(sql: str, database=connection) -> bool:
    return any(key[0] == sql and value for key, value in statements(database).prepared.items())


@pytest.fixture
def table(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE prep (id serial PRIMARY KEY, t text UNIQUE, n integer,"
            " big bigint, d date, ts timestamptz, tags text[], b bytea, j jsonb, num numeric,"
            " u uuid, ok boolean)"
        )
        cursor.execute(
            "INSERT INTO prep (t, n, big, d, ts, tags, b, j, num, u, ok) VALUES"
            " (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s), (%s, %s, %s, %s, %s, %s, %s, %s,"
            " %s, %s, %s), (%s, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
            [
                "50% korting",
                1,
                2**40,
                datetime.date(2026, 1, 2),
                datetime.datetime(2026, 1, 2, 3, 4, tzinfo=UTC),
                ["a", "b"],
                b"\x00\x01",
                '{"a": 1}',
                Decimal("1.50"),
                uuid.UUID(int=1),
                True,
                "tweede",
                2,
                -5,
                datetime.date(2025, 6, 7),
                datetime.datetime(2025, 6, 7, 8, 9, tzinfo=UTC),
                [],
                b"",
                "[]",
                Decimal("0"),
                uuid.UUID(int=2),
                False,
                "leeg",
            ],
        )


def run(sql: str, params=None, times: int = 3) -> list:
    """What each of `times` runs gave: rows (or None), row count and columns."""
    outcomes = []
    for _ in range(times):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall() if cursor.description else None
            columns = [(c.name, c.type_code) for c in cursor.description or ()]
            outcomes.append((rows, cursor.rowcount, columns))
    return outcomes


SAME_ANSWERS = [
    ("SELECT t, n, big, d, ts, tags, b, j, num, u, ok FROM prep ORDER BY id", None),
    ("SELECT t FROM prep WHERE t LIKE '50%%' ORDER BY id", []),
    ("SELECT t, n FROM prep WHERE t LIKE %s AND n >= %s ORDER BY id", ["%korting", 1]),
    (
        "SELECT id, d, ts FROM prep WHERE d >= %s AND ts < %s ORDER BY id",
        [datetime.date(2025, 1, 1), datetime.datetime(2027, 1, 1, tzinfo=UTC)],
    ),
    ("SELECT t FROM prep WHERE tags && %s OR n = ANY(%s) ORDER BY id", [["b"], [2, 3]]),
    ("SELECT t FROM prep WHERE b = %s AND u = %s", [b"\x00\x01", uuid.UUID(int=1)]),
    ("SELECT t FROM prep WHERE num = %s OR big = %s ORDER BY id", [Decimal("1.5"), -5]),
    ("SELECT t FROM prep WHERE j @> %s AND ok = %s", ['{"a": 1}', True]),
    ("SELECT t FROM prep WHERE n = %s OR n IS NULL ORDER BY id", [None]),
    # Parameters in the select list keep their literal's type: 1 stays an integer.
    (
        "SELECT %s AS one, %s AS word, %s AS day, %s AS nothing, %s AS half",
        [1, "x", datetime.date(2026, 1, 1), None, 0.5],
    ),
    ("SELECT count(*) FROM prep WHERE t IN (%s, %s)", ["tweede", "leeg"]),
    ("UPDATE prep SET n = n + %s WHERE n IS NOT NULL", [0]),
    ("DELETE FROM prep WHERE t = %s", ["bestaat niet"]),
    ("WITH x AS (SELECT n FROM prep WHERE n > %s) SELECT sum(n) FROM x", [0]),
    ("INSERT INTO prep (t) VALUES (%s) ON CONFLICT (t) DO NOTHING RETURNING id", ["leeg"]),
]


@pytest.mark.parametrize("sql, params", SAME_ANSWERS)
def test_prepared_and_plain_give_the_same_answer(table, sql, params):
    plain, *prepared = run(sql, params)
    assert is_prepared(sql)
    assert prepared == [plain, plain]


def test_it_is_prepared_once_and_executed_after(table):
    sql = "SELECT t FROM prep WHERE n = %s"
    run(sql, [1], times=1)
    assert not is_prepared(sql)
    run(sql, [2], times=1)  # the second time (DATABASE_PREPARE_THRESHOLD's default)
    (name, executing) = statements().prepared[(sql, ("int4",))]
    assert executing == f"EXECUTE {name}(%s)"
    with connection.cursor() as cursor:
        assert name in prepared_names(cursor)


def test_encrypted_fields_read_and_write_the_same(twente):
    with tenant_context(twente):
        submitted = public_report(person("Noa Bakker", school="De Esch"), concern="Geheime zorg")
        casus = submitted.report.casus
        answers = [
            (
                list(Report.objects.filter(casus=casus).values_list("concern", flat=True)),
                list(InvolvedPerson.objects.filter(casus=casus).values_list("name", "school")),
            )
            for _ in range(3)
        ]
        assert answers == [([("Geheime zorg")], [("Noa Bakker", "De Esch")])] * 3
        for concern in ("Een", "Twee", "Drie"):
            Report.objects.filter(casus=casus).update(concern=concern)
            assert Report.objects.get(casus=casus).concern == concern
    assert sum(1 for value in statements().prepared.values() if value) > 0


def test_what_cannot_be_prepared_runs_as_before_in_an_open_transaction(table):
    sql = "SELECT %s IS NULL"  # PostgreSQL cannot infer the parameter's type
    assert run(sql, [None]) == [([(True,)], 1, [("?column?", 16)])] * 3
    assert statements().prepared[(sql, ("unknown",))] is NOT_PREPARABLE
    # The test's transaction goes on.
    assert run("SELECT count(*) FROM prep WHERE n = %s", [1], times=1)[0][0] == [(1,)]


def test_an_error_of_a_prepared_statement_is_the_statements_own(table):
    sql = "INSERT INTO prep (t) VALUES (%s)"
    run(sql, ["eerste"], times=1)
    for _ in range(2):
        with pytest.raises(IntegrityError) as raised, transaction.atomic():
            run(sql, ["eerste"], times=1)
        assert isinstance(raised.value.__cause__, psycopg2.errors.UniqueViolation)
    assert is_prepared(sql)


def test_a_division_by_zero_is_the_same_error(table):
    errors = []
    for _ in range(3):
        try:
            with transaction.atomic():
                run("SELECT 1 / %s", [0], times=1)
        except Exception as error:
            errors.append((type(error), type(error.__cause__), error.__cause__.pgcode))
    assert is_prepared("SELECT 1 / %s")
    assert errors == [errors[0]] * 3


def test_django_counts_and_shows_the_statements_the_code_ran(table):
    sql = "SELECT t FROM prep WHERE n = %s AND t LIKE '%%korting'"
    with CaptureQueriesContext(connection) as captured:
        run(sql, [1], times=3)
    assert is_prepared(sql)
    assert [query["sql"] for query in captured.captured_queries] == [
        "SELECT t FROM prep WHERE n = 1 AND t LIKE '%korting'"
    ] * 3


def test_the_map_is_bounded_and_deallocates_what_it_drops(table, monkeypatch):
    monkeypatch.setattr(statements(), "size", 3)
    for number in range(6):
        run(f"SELECT {number} + %s", [1], times=2)
    assert len(statements().prepared) == 3
    with connection.cursor() as cursor:
        assert prepared_names(cursor) == {name for name, _ in statements().prepared.values()}
    assert run("SELECT 0 + %s", [1], times=2)[1][0] == [(1,)]


def test_two_regions_through_one_connection_see_their_own_rows(db):
    """Same text, one prepared statement: the schema is read again and the role checked."""
    regions = ("prep_oost", "prep_west")
    with connection.cursor() as cursor:
        for region in regions:
            cursor.execute(f"CREATE ROLE {region} NOLOGIN")
        for region in regions:
            cursor.execute(f"CREATE SCHEMA {region}")
            cursor.execute(f"GRANT USAGE ON SCHEMA {region} TO prep_oost, prep_west")
            cursor.execute(f"CREATE TABLE {region}.zaak (naam text)")
            cursor.execute(f"INSERT INTO {region}.zaak VALUES ('{region} 1'), ('{region} 2')")
            cursor.execute(f"GRANT SELECT ON {region}.zaak TO {region}")
        sql = "SELECT naam FROM zaak WHERE naam <> %s ORDER BY naam"
        seen = []
        for region in regions * 3:
            cursor.execute(f"SET ROLE {region}; SET search_path = {region}")
            cursor.execute(sql, ["geen"])
            seen.append((region, cursor.fetchall()))
        assert seen == [(region, [(f"{region} 1",), (f"{region} 2",)]) for region in regions * 3]
        assert is_prepared(sql)
        # West's statement, planned for West's role and path; then only the role changes:
        # the privileges are checked when it runs, so Oost's role may not read West.
        cursor.execute("SET ROLE prep_oost")
        with pytest.raises(psycopg2.errors.InsufficientPrivilege), transaction.atomic():
            cursor.cursor.execute(sql, ["geen"])


def test_the_regions_of_the_test_database_read_their_own_cases(twente, limburg):
    """Twente and Limburg alternately through one connection, with their roles."""
    names = {}
    for region in (twente, limburg):
        with tenant_context(region):
            form = "meldformulier" if region == twente else "contactformulier"
            public_report(person(f"Persoon {region.schema_name}"), form_code=form, concern="Zorg")
    for region in (twente, limburg) * 3:
        with tenant_context(region):
            names.setdefault(region.schema_name, []).append(
                sorted(InvolvedPerson.objects.values_list("name", flat=True))
            )
    assert names["twente"] == [["Persoon twente"]] * 3
    assert names["limburg"] == [["Persoon limburg"]] * 3


@pytest.fixture
def own_connection(db):
    other = connections.create_connection("default")
    other.ensure_connection()
    yield other
    other.close()


def test_discard_all_and_a_new_connection_start_empty(own_connection):
    sql = "SELECT %s + 1"
    for _ in range(2):
        with own_connection.cursor() as cursor:
            cursor.execute(sql, [1])
    assert is_prepared(sql, own_connection)
    with own_connection.cursor() as cursor:
        cursor.execute("DISCARD ALL")
    assert not statements(own_connection).prepared
    for _ in range(3):
        with own_connection.cursor() as cursor:
            cursor.execute(sql, [1])
            assert cursor.fetchone() == (2,)
    own_connection.close()
    own_connection.ensure_connection()
    assert not statements(own_connection).prepared


def test_unpreparable_outside_a_transaction(own_connection):
    for _ in range(3):
        with own_connection.cursor() as cursor:
            cursor.execute("SELECT %s IS NULL", [None])
            assert cursor.fetchone() == (True,)
    assert (
        statements(own_connection).prepared[("SELECT %s IS NULL", ("unknown",))] is NOT_PREPARABLE
    )


def test_what_is_never_prepared():
    assert prepared_body("SELECT 1; SELECT 2", False) is None
    assert prepared_body("SET search_path = twente", False) is None
    assert prepared_body("SELECT $$a$$", False) is None
    assert prepared_body("SELECT %(name)s", True) is None
    assert prepared_body("SELECT 1 %", True) is None
    assert prepared_body("SELECT '%'", False) is None
    assert prepared_body("SELECT '%%s', %s", True) == ("SELECT '%s', $1", 1)
    # psycopg2 would fill these in as text; $1 there would be a different statement.
    assert prepared_body("SELECT 1 WHERE 'a' LIKE '%s%%'", True) is None
    assert prepared_body('SELECT 1 AS "%s"', True) is None
    assert prepared_body("SELECT %s -- %s\n", True) is None
    assert prepared_body("SELECT %s /* %s */", True) is None
    assert prepared_body(" with x as (select 1) select * from x", False) == (
        " with x as (select 1) select * from x",
        0,
    )


def test_a_change_of_a_column_s_type_in_a_transaction_starts_afresh(table):
    sql = "SELECT n FROM prep WHERE id = %s"
    with transaction.atomic(), connection.cursor() as cursor:
        for _ in range(2):
            cursor.execute(sql, [1])
        assert is_prepared(sql)
        cursor.execute("ALTER TABLE prep ALTER COLUMN n TYPE bigint")
        assert not statements().prepared
        assert prepared_names(cursor) == set()
        for _ in range(3):
            cursor.execute(sql, [1])
            assert cursor.fetchone() == (1,)


def test_it_can_be_switched_off():
    assert prepare_threshold({"prepare_threshold": None}) is None
    assert prepare_threshold({"prepare_threshold": 5}) == 5
    assert prepare_threshold({}) == 2


def test_the_setting_is_checked_when_the_settings_load():
    assert prepare_threshold_setting("off") is None
    assert prepare_threshold_setting(" 3 ") == 3
    for wrong in ("2x", "0", "-1", ""):
        with pytest.raises(ImproperlyConfigured, match="DATABASE_PREPARE_THRESHOLD"):
            prepare_threshold_setting(wrong)
