"""The request and database metrics docs/operations.md promises count every request and statement."""

import pytest
from django.db import ProgrammingError, connection, transaction
from django.test.utils import CaptureQueriesContext
from prometheus_client import REGISTRY


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_a_page_counts_its_response_latency_and_statements(twente, logged_in):
    client = logged_in(twente, "medewerker")
    client.get("/")  # the series exist
    by_view = {"status": "200", "view": "home:dashboard", "method": "GET"}
    database = {"alias": "default", "vendor": "postgresql"}
    names = (
        ("django_http_responses_total_by_status_view_method_total", by_view),
        (
            "django_http_requests_latency_seconds_by_view_method_count",
            {"view": "home:dashboard", "method": "GET"},
        ),
        ("django_db_execute_total", database),
        ("django_db_query_duration_seconds_count", database),
    )
    before = [value(name, **labels) for name, labels in names]
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    after = [value(name, **labels) for name, labels in names]
    statements = len(captured.captured_queries)
    assert [b - a for a, b in zip(before, after, strict=True)] == [1, 1, statements, statements]
    failed = value("django_db_errors_total", type="UndefinedColumn", **database)
    with pytest.raises(ProgrammingError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT nope")
    assert value("django_db_errors_total", type="UndefinedColumn", **database) == failed + 1
