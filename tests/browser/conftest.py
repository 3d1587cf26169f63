"""Browser tests: Debian's Chromium, driven by Playwright, against a real gunicorn.

The server runs on its own database (migrated and seeded with the demo data as
`make run` does: migrations as the owner role, the server as the application
role), on a free port, with e-mail written to files the tests read.
"""

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.serving import (
    REPO,
    database_url,
    free_port,
    gunicorn,
    manage,
    manage_database,
    role_env,
    run_in_schema,
)

AXE = REPO / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_PASSWORD = "Meldpunt-demo-2026"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Server:
    port: int
    mail_dir: Path
    env: dict[str, str]

    def url(self, host: str, path: str = "/") -> str:
        return f"http://{host}:{self.port}{path}"

    def shell(self, region: str, code: str) -> str:
        """Run Python in a region's schema of the server's database; returns what it prints."""
        return run_in_schema(self.env, region, code)

    def deliver_mail(self, region: str) -> None:
        """What a worker does after a commit (none runs beside the test server): send
        the region's outbox, here into the mail directory."""
        self.shell(region, "from meldpunt.outbox import deliver_pending\nprint(deliver_pending())")

    def mails(self) -> list[str]:
        return [
            path.read_text() for path in sorted(self.mail_dir.glob("*.log"), key=os.path.getmtime)
        ]


@pytest.fixture(scope="session")
def server(tmp_path_factory, own_clamd) -> Iterator[Server]:
    database = database_url("browser")
    manage_database(database, "--recreate")
    port = free_port()
    mail_dir = tmp_path_factory.mktemp("mail")
    env = os.environ | {
        "DEBUG": "1",
        "DEMO_MODE": "1",
        "BASE_DOMAIN": "localhost",
        "DATABASE_URL": database,
        "PUBLIC_PORT": str(port),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "PYTHONPATH": "platform",
        "WEB_CONCURRENCY": "2",
        # This run's own clamd (tests/conftest.py); a test that stops it starts it again.
        "CLAMD_ADDRESS": own_clamd.address,
    }
    # As in production: migrations as the owner role, everything else as the app role.
    manage(env | role_env(database, "owner"), "migrate_schemas", "--noinput", "-v", "0")
    env |= role_env(database, "app")
    manage(env, "seed_demo")
    log = tmp_path_factory.mktemp("log") / "gunicorn.log"
    with gunicorn(env, log, host="localhost", port=port):
        yield Server(port=port, mail_dir=mail_dir, env=env)
    manage_database(database, "--drop")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    yield page
    context.close()


PHONE = {"width": 390, "height": 844}
OVERFLOWING = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                 && !e.closest('.meldpunt-table-wrapper, .meldpunt-scroll'))
    .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + (e.id || ''))"""


def assert_accessible(page: Page) -> None:
    """No WCAG 2.2 AA violations at the page's own width and at 390 px (a phone),
    where the page itself must not scroll sideways (WCAG 1.4.10: a wide table
    scrolls inside its own box)."""
    own = page.viewport_size
    for size in (own, PHONE) if own != PHONE else (PHONE,):
        page.set_viewport_size(size)
        if size == PHONE:
            wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
            assert not wide, f"the page scrolls sideways at 390 px: {page.evaluate(OVERFLOWING)}"
        assert_no_axe_violations(page)
    page.set_viewport_size(own)


def assert_no_axe_violations(page: Page) -> None:
    """axe-core, from npm, injected into the page.

    Evaluated through the DevTools protocol rather than a <script> tag, so the
    page's Content-Security-Policy stays in force during the test.
    """
    duplicates = page.evaluate(
        "() => { const ids = [...document.querySelectorAll('[id]')].map(e => e.id);"
        " return ids.filter((id, i) => ids.indexOf(id) !== i); }"
    )
    assert duplicates == [], f"duplicate ids (labels point at the wrong field): {duplicates}"
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    violations = [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
    ]
    assert violations == [], json.dumps(violations, indent=2)


def log_in(
    page: Page, server: Server, host: str, email: str, password: str = DEMO_PASSWORD
) -> None:
    page.goto(server.url(host, "/accounts/login/"))
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.get_by_role("button", name="Inloggen", exact=True).click()


def open_details(page: Page, summary: str) -> None:
    """Open a <details> section (it may be open already, when it holds errors or answers)."""
    details = page.locator("details", has=page.locator("summary", has_text=summary))
    if details.get_attribute("open") is None:
        details.locator("summary").click()
