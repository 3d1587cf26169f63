"""Error reporting to Sentry without personal data.

Events may carry the region's slug and technical context, never request bodies,
cookies, headers that identify a person, query strings, user e-mails or local
variables: those can hold a victim's or reporter's details.
"""

from typing import Any

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

SAFE_HEADERS = frozenset({"Host", "User-Agent", "Accept", "Accept-Language", "Content-Type"})
SCRUBBED = "[verwijderd]"


def scrub_event(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    request = event.get("request")
    if request:
        for key in ("data", "cookies", "query_string", "env"):
            if key in request:
                request[key] = SCRUBBED
        headers = request.get("headers") or {}
        request["headers"] = {
            name: (value if name in SAFE_HEADERS else SCRUBBED) for name, value in headers.items()
        }
        if "url" in request:
            request["url"] = request["url"].split("?", 1)[0]
    user = event.get("user")
    if user:
        event["user"] = {"id": user["id"]} if "id" in user else {}
    for crumb in (event.get("breadcrumbs") or {}).get("values", []):
        crumb.pop("data", None)
    for exception in (event.get("exception") or {}).get("values", []):
        for frame in (exception.get("stacktrace") or {}).get("frames", []):
            frame.pop("vars", None)
    return event


def init_sentry(dsn: str, environment: str, **options: Any) -> None:
    if not dsn:
        return
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        # No send_default_pii (deprecated) and no data_collection: with neither, the SDK
        # collects no personal data (sentry_sdk.data_collection), and data_collection's
        # defaults for omitted fields would collect request bodies. scrub_event removes
        # the rest; tests/meldpunt/test_sentry.py reads the events that leave.
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub_event,
        before_send_transaction=scrub_event,
        **options,
    )


def tag_region(slug: str) -> None:
    sentry_sdk.get_isolation_scope().set_tag("region", slug)
