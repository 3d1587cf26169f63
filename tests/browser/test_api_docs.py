"""The API's documentation works in a browser from our own files, under the site's
Content-Security-Policy: every operation shows, nothing is loaded from elsewhere, and
the browser refuses nothing."""

import json

from playwright.sync_api import Page, expect

from tests.serving import PlainClient


def operations_in(server, host: str) -> int:
    """How many operations the domain's schema describes."""
    schema = json.loads(PlainClient(server.port, host).get("/api/v1/schema/?format=json").text)
    return sum(len(methods) for methods in schema["paths"].values())


def test_the_api_documentation_shows_every_operation_from_our_own_files(page: Page, server):
    requested, refused = [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text or message.type == "error"
            else None
        ),
    )
    page.goto(server.url("twente.localhost", "/api/v1/docs/"))
    expect(page.get_by_text("Meldpunt API").first).to_be_visible()
    expect(
        page.locator(".opblock-summary-path", has_text="/api/v1/casussen/").first
    ).to_be_visible()
    expect(page.locator(".opblock")).to_have_count(operations_in(server, "twente.localhost"))
    assert refused == []
    own = server.url("twente.localhost", "")
    assert [
        url for url in requested if not url.startswith(own) and not url.startswith("data:")
    ] == []


def test_the_platform_documentation_shows_the_platform_operations(page: Page, server):
    page.goto(server.url("localhost", "/api/v1/docs/"))
    expect(page.locator(".opblock")).to_have_count(operations_in(server, "localhost"))
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/regios/")).to_be_visible()
