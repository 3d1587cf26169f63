"""Sentry events carry the region's slug and no personal data."""

import secrets

import pytest
import sentry_sdk
from sentry_sdk.transport import Transport

import frontend.home.views
from meldpunt.sentry import SCRUBBED, init_sentry, scrub_event


class CapturingTransport(Transport):
    def __init__(self, options=None) -> None:
        super().__init__(options)
        self.events: list[dict] = []

    def capture_envelope(self, envelope) -> None:
        event = envelope.get_event()
        if event is not None:
            self.events.append(event)


@pytest.fixture
def sentry_events():
    transport = CapturingTransport()
    init_sentry("https://public@sentry.example.invalid/1", environment="test", transport=transport)
    yield transport.events
    sentry_sdk.get_client().close()
    sentry_sdk.init(dsn=None)


def test_an_error_in_a_region_reaches_sentry_tagged_and_scrubbed(
    twente, logged_in, sentry_events, monkeypatch
):
    client = logged_in(twente, "medewerker")
    client.raise_request_exception = False
    # Runtime values stand for personal data: source lines travel as context, values must not.
    name, email, cookie = (
        secrets.token_hex(6),
        f"{secrets.token_hex(4)}@example.org",
        secrets.token_hex(6),
    )
    client.cookies["voorkeur"] = cookie

    def broken_render(*args, **kwargs):
        raise RuntimeError("template engine broke")

    monkeypatch.setattr(frontend.home.views, "render", broken_render)
    response = client.get(f"/?slachtoffer={name}", HTTP_X_REPORTER_EMAIL=email)
    assert response.status_code == 500
    sentry_sdk.flush()

    [event] = [e for e in sentry_events if e.get("exception")]
    assert event["tags"]["region"] == "twente"
    request = event["request"]
    assert request.get("query_string") in (None, SCRUBBED)
    assert request.get("cookies") in (None, SCRUBBED)
    assert "?" not in request.get("url", "")
    assert request.get("headers", {}).get("X-Reporter-Email") in (None, SCRUBBED)
    for personal in (name, email, cookie, client.user.email):
        assert personal not in str(event)


def test_a_captured_event_loses_body_cookies_user_email_and_locals(sentry_events):
    with sentry_sdk.new_scope() as scope:
        scope.set_user({"id": "42", "email": "medewerker@twente.test"})
        scope.set_context("request", {})
        victim_name = secrets.token_hex(8)  # stands for a name held in a local variable
        try:
            raise ValueError("kapot")
        except ValueError:
            sentry_sdk.capture_exception()
    sentry_sdk.flush()
    [event] = sentry_events
    assert event["user"] == {"id": "42"}
    assert victim_name not in str(event)
    frames = event["exception"]["values"][0]["stacktrace"]["frames"]
    assert all("vars" not in frame for frame in frames)


def test_scrub_event_removes_every_personal_part():
    event = {
        "request": {
            "url": "https://twente.example.nl/melding/volgen/?code=ABC",
            "data": {"naam": "Sanne"},
            "cookies": {"sessionid": "x"},
            "query_string": "code=ABC",
            "headers": {"Cookie": "sessionid=x", "User-Agent": "Firefox"},
        },
        "user": {"id": 3, "email": "a@b.nl", "ip_address": "192.0.2.1"},
        "breadcrumbs": {"values": [{"message": "query", "data": {"params": ["Sanne"]}}]},
    }
    scrubbed = scrub_event(event)
    assert scrubbed["request"]["url"] == "https://twente.example.nl/melding/volgen/"
    assert scrubbed["request"]["data"] == SCRUBBED
    assert scrubbed["request"]["headers"] == {"Cookie": SCRUBBED, "User-Agent": "Firefox"}
    assert scrubbed["user"] == {"id": 3}
    assert "Sanne" not in str(scrubbed)
