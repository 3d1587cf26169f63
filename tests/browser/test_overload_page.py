"""The page a person gets when the server refused a request that waited too long
(meldpunt/overload.py): Dutch, says when to try again and that a report always goes
first, and passes axe at desktop width and at 390 px. The refusal is rendered as the
middleware renders it and served at the region's address, with the site's own styles."""

import time

from django.test import RequestFactory
from playwright.sync_api import Page, expect

from meldpunt.overload import RefuseLateRequestsMiddleware
from tests.browser.conftest import Server, assert_accessible

TWENTE = "twente.localhost"


def test_the_refusal_page_says_when_to_try_again(page: Page, server: Server, settings):
    settings.REQUEST_QUEUE_MAX_SECONDS = 3
    late = RequestFactory().get("/casussen/", HTTP_X_REQUEST_START=f"t={time.time() - 10:.6f}")
    refused = RefuseLateRequestsMiddleware(lambda request: None)(late)
    assert refused.status_code == 503
    page.route(
        "**/casussen/",
        lambda route: route.fulfill(
            status=503, body=refused.content, headers={"Content-Type": "text/html; charset=utf-8"}
        ),
    )
    page.goto(server.url(TWENTE, "/casussen/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Het is even te druk")
    expect(page.get_by_role("main")).to_contain_text("Probeer het over 5 seconden opnieuw.")
    expect(page.get_by_role("main")).to_contain_text("meldformulier gaat altijd voor")
    assert_accessible(page)
