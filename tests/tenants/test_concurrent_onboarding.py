"""Two administrators onboarding a region at the same moment both succeed: the database
function serialises what the two would grant on the same public objects."""

import threading

import psycopg2
import pytest
from django.db import connection

from tenants.services import blueprint
from tenants.services.app_role import region_role_prefix

SCHEMAS = ("tegelijk_een", "tegelijk_twee")


def connect(settings_dict: dict) -> psycopg2.extensions.connection:
    return psycopg2.connect(
        dbname=settings_dict["NAME"],
        user=settings_dict["USER"],
        host=settings_dict["HOST"],
        port=settings_dict["PORT"],
        password=settings_dict["PASSWORD"],
    )


@pytest.fixture
def two_sessions(db):
    """Two sessions of their own, which commit; what they create is removed afterwards."""
    settings_dict = connection.settings_dict
    assert blueprint.is_current()  # the function the sessions call is the one of this code
    sessions = [connect(settings_dict) for _ in SCHEMAS]
    yield sessions
    for session in sessions:
        session.close()
    cleanup = connect(settings_dict)
    cleanup.autocommit = True
    with cleanup.cursor() as cursor:
        for schema in SCHEMAS:
            role = region_role_prefix(settings_dict["NAME"]) + schema
            cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone():
                cursor.execute(f'DROP OWNED BY "{role}"')
                cursor.execute(f'DROP ROLE "{role}"')
    cleanup.close()


def test_two_regions_onboarded_at_the_same_moment_both_get_their_schema(two_sessions):
    first, second = two_sessions
    first.cursor().execute(f"SELECT {blueprint.FUNCTION}(%s)", [SCHEMAS[0]])
    failures: list[Exception] = []

    def onboard_second() -> None:
        try:
            second.cursor().execute(f"SELECT {blueprint.FUNCTION}(%s)", [SCHEMAS[1]])
            second.commit()
        except psycopg2.Error as error:
            failures.append(error)

    waiting = threading.Thread(target=onboard_second)
    waiting.start()
    waiting.join(timeout=2)
    assert waiting.is_alive(), "the second onboarding did not wait for the first"
    first.commit()
    waiting.join(timeout=60)

    assert failures == []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s) ORDER BY nspname",
            [list(SCHEMAS)],
        )
        assert [row[0] for row in cursor.fetchall()] == sorted(SCHEMAS)
