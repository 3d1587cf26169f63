"""Django's PostgreSQL backend with django-prometheus' database metrics, counted cheaper,
and a health check without a round trip while the server has said nothing.

The metrics are django-prometheus' own (docs/operations.md: connections, statements,
their duration and errors, by alias and vendor): its backend looked their labelled series
up and made two context managers on every statement, a few percent of a signed-in page.
Here a connection's cursors hold their series.

Django checks a kept connection before each request's first statement
(conn_health_checks) with a `SELECT 1` round trip. A connection that the server or the
pooler closed (a restart, an idle timeout) has the server's goodbye or the end of the
stream waiting in its socket: only then, or after an error, is the question sent.

Statements a connection runs again and again run as server-side prepared statements
(meldpunt/database/prepared.py): from the `prepare_threshold`-th time (default 2;
OPTIONS["prepare_threshold"], which the settings take from DATABASE_PREPARE_THRESHOLD;
None: never), at most `prepared_max` (100) per connection.
"""

import select
from time import perf_counter

from django.db.backends.postgresql import base
from django_prometheus.db import (
    errors_total,
    execute_many_total,
    execute_total,
    query_duration_seconds,
)
from django_prometheus.db.common import DatabaseWrapperMixin

from meldpunt.database.prepared import preparing_connection, preparing_cursor

PREPARE_THRESHOLD = 2
PREPARED_MAX = 100


def prepare_threshold(options: dict) -> int | None:
    """After how many runs a connection prepares a statement; None: never."""
    threshold = options.pop("prepare_threshold", PREPARE_THRESHOLD)
    return None if threshold is None else max(int(threshold), 1)


def measured_cursor(cursor_class: type, alias: str, vendor: str) -> type:
    """`cursor_class`, counting its statements, their duration and errors."""
    executed = execute_total.labels(alias, vendor)
    executed_many = execute_many_total.labels(alias, vendor)
    duration = query_duration_seconds.labels(alias, vendor)

    class MeasuredCursor(cursor_class):
        def execute(self, *args, **kwargs):
            executed.inc()
            started = perf_counter()
            try:
                return super().execute(*args, **kwargs)
            except Exception as error:
                errors_total.labels(alias, vendor, type(error).__name__).inc()
                raise
            finally:
                duration.observe(perf_counter() - started)

        def executemany(self, query, param_list, *args, **kwargs):
            executed.inc(len(param_list))
            executed_many.inc(len(param_list))
            started = perf_counter()
            try:
                return super().executemany(query, param_list, *args, **kwargs)
            except Exception as error:
                errors_total.labels(alias, vendor, type(error).__name__).inc()
                raise
            finally:
                duration.observe(perf_counter() - started)

    return MeasuredCursor


class DatabaseWrapper(DatabaseWrapperMixin, base.DatabaseWrapper):
    """django-prometheus' connection counts (its mixin) and the measured cursors."""

    def get_connection_params(self) -> dict:
        params = super().get_connection_params()
        threshold = prepare_threshold(params)
        size = params.pop("prepared_max", PREPARED_MAX)
        cursor = params["cursor_factory"]
        if threshold is not None:
            params["connection_factory"] = preparing_connection(threshold, size)
            cursor = preparing_cursor(cursor)
        params["cursor_factory"] = measured_cursor(cursor, self.alias, self.vendor)
        return params

    def is_usable(self) -> bool:
        if self.connection is None or self.connection.closed:
            return False
        if self.errors_occurred:
            return super().is_usable()
        try:
            socket = select.poll()
            socket.register(self.connection.fileno(), select.POLLIN)
            said_something = bool(socket.poll(0))
        except (OSError, ValueError):
            said_something = True
        return not said_something or super().is_usable()

    def create_cursor(self, name=None):
        # The connection makes measured cursors already (its cursor_factory).
        return base.DatabaseWrapper.create_cursor(self, name=name)
