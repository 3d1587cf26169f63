"""Health endpoints for the orchestrator, answered before host checks and tenant selection.

`/healthz` says the process serves requests (liveness: nothing external is
asked, so a database outage does not get every pod restarted). `/readyz` asks
PostgreSQL, the broker and the virus scanner: without the database no page can be
served, so it answers 503 and the pod leaves the load balancer; without the broker
it stays ready (reports are committed first and the outbox delivers later) and says
so, as without the virus scanner (uploads wait in quarantine until it is back).
Both answer on any host, including the pod's IP address a probe sends, and
over plain HTTP behind the TLS-terminating proxy.
"""

from collections.abc import Callable

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse

from meldpunt import virusscan

BROKER_TIMEOUT_SECONDS = 1


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        connection.close()
        return "unavailable"
    return "ok"


def broker_status() -> str:
    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL,
        socket_connect_timeout=BROKER_TIMEOUT_SECONDS,
        socket_timeout=BROKER_TIMEOUT_SECONDS,
    )
    try:
        client.ping()
    except redis.RedisError:
        return "unavailable"
    finally:
        client.close()
    return "ok"


def readiness() -> HttpResponse:
    checks = {
        "database": database_status(),
        "broker": broker_status(),
        "virus_scanner": virusscan.status(),
    }
    return JsonResponse(checks, status=200 if checks["database"] == "ok" else 503)


PROBES: dict[str, Callable[[], HttpResponse]] = {
    "/healthz": lambda: JsonResponse({"status": "ok"}),
    "/readyz": readiness,
}


class HealthMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info)
        if probe is None or request.method not in {"GET", "HEAD"}:
            return self.get_response(request)
        response = probe()
        response["Cache-Control"] = "no-store"
        return response
