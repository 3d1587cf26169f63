"""A kept connection is checked without a round trip while the server has said nothing,
and one the server closed is still found and replaced."""

import time
from unittest.mock import patch

import pytest
from django.db import connection, connections
from django.db.backends.postgresql.base import DatabaseWrapper as PostgreSQL


@pytest.fixture
def other_connection():
    other = connections.create_connection("default")
    other.ensure_connection()
    yield other
    other.close()


def test_a_quiet_connection_is_usable_without_a_round_trip(db, other_connection):
    with patch.object(PostgreSQL, "is_usable", side_effect=AssertionError("asked the server")):
        assert other_connection.is_usable()


def test_a_connection_the_server_closed_is_not_usable(db, other_connection):
    with other_connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 5
    while other_connection.is_usable() and time.monotonic() < deadline:
        time.sleep(0.05)  # the server's goodbye is on its way
    assert not other_connection.is_usable()


def test_after_an_error_the_server_is_asked(db, other_connection):
    other_connection.errors_occurred = True
    with patch.object(PostgreSQL, "is_usable", return_value=True) as asked:
        assert other_connection.is_usable()
    asked.assert_called_once()
