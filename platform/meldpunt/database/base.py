"""Django's PostgreSQL backend with django-prometheus' database metrics, counted cheaper.

The metrics are django-prometheus' own (docs/operations.md: connections, statements,
their duration and errors, by alias and vendor): its backend looked their labelled series
up and made two context managers on every statement, a few percent of a signed-in page.
Here a connection's cursors hold their series.
"""

from time import perf_counter

from django.db.backends.postgresql import base
from django_prometheus.db import (
    errors_total,
    execute_many_total,
    execute_total,
    query_duration_seconds,
)
from django_prometheus.db.common import DatabaseWrapperMixin


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
        params["cursor_factory"] = measured_cursor(
            params["cursor_factory"], self.alias, self.vendor
        )
        return params

    def create_cursor(self, name=None):
        # The connection makes measured cursors already (its cursor_factory).
        return base.DatabaseWrapper.create_cursor(self, name=name)
