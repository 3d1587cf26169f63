"""Browser tests: Debian's Chromium, driven by Playwright, against a real gunicorn.

The server runs on its own database (migrated and seeded with the demo data as
`make run` does: migrations as the owner role, the server as the application
role), on a free port, with e-mail written to files the tests read.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

REPO = Path(__file__).resolve().parents[2]
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
        wrapped = (
            "from django_tenants.utils import schema_context\n"
            f"with schema_context({region!r}):\n"
            + "".join(f"    {line}\n" for line in code.splitlines())
        )
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", wrapped],
            cwd=REPO, env=self.env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        return result.stdout.strip().splitlines()[-1]

    def mails(self) -> list[str]:
        return [
            path.read_text() for path in sorted(self.mail_dir.glob("*.log"), key=os.path.getmtime)
        ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage_database(name: str, flag: str) -> None:
    subprocess.run(
        [sys.executable, "deploy/dev/create_database.py", name, flag], cwd=REPO, check=True
    )


def role_env(name: str, role: str) -> dict[str, str]:
    """DATABASE_URL and DATABASE_APP_ROLE for connecting to database `name` as `role`."""
    printed = subprocess.run(
        [sys.executable, "deploy/dev/create_database.py", name, "--env", role],
        cwd=REPO, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return dict(line.split("=", 1) for line in printed.splitlines())


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[Server]:
    base_url = os.environ.get(
        "DATABASE_URL", "postgres://postgres:postgres@127.0.0.1:5432/meldpunt"
    )
    # One database per run, so two runs on one machine do not drop each other's.
    name = f"{dj_database_url.parse(base_url)['NAME']}_browser_{os.getpid()}"
    database_url = base_url.rsplit("/", 1)[0] + f"/{name}"
    manage_database(name, "--recreate")
    port = free_port()
    mail_dir = tmp_path_factory.mktemp("mail")
    env = os.environ | {
        "DEBUG": "1",
        "DEMO_MODE": "1",
        "BASE_DOMAIN": "localhost",
        "DATABASE_URL": database_url,
        "PUBLIC_PORT": str(port),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "PYTHONPATH": "platform",
        "WEB_CONCURRENCY": "2",
    }
    # As in production: migrations as the owner role, everything else as the app role.
    subprocess.run(
        [sys.executable, "manage.py", "migrate_schemas", "--noinput", "-v", "0"],
        cwd=REPO, env=env | role_env(name, "owner"), check=True,
    )  # fmt: skip
    env |= role_env(name, "app")
    subprocess.run([sys.executable, "manage.py", "seed_demo"], cwd=REPO, env=env, check=True)
    log = (tmp_path_factory.mktemp("log") / "gunicorn.log").open("w")
    web = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "deploy/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/accounts/login/", headers={"Host": "localhost"}
            )
            urllib.request.urlopen(request, timeout=2)  # noqa: S310  (loopback only)
            break
        except OSError:
            time.sleep(0.3)
    yield Server(port=port, mail_dir=mail_dir, env=env)
    web.terminate()
    web.wait(timeout=30)
    log.close()
    manage_database(name, "--drop")


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
    page.get_by_role("button", name="Inloggen").click()


def open_details(page: Page, summary: str) -> None:
    """Open a <details> section (it may be open already, when it holds errors or answers)."""
    details = page.locator("details", has=page.locator("summary", has_text=summary))
    if details.get_attribute("open") is None:
        details.locator("summary").click()
