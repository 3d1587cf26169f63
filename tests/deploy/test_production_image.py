"""CI builds what the container image builds and serves it with production settings.

There is no container engine here, so the steps of deploy/Dockerfile run in a fresh
copy of the repository's files: the Python packages are this virtualenv's (the image
installs the same pyproject.toml), the npm packages the checkout's. gunicorn then
serves it with DEBUG off, behind a pretend TLS proxy at 127.0.0.1.
"""

import os
import re
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from tests.conftest import SERVED_DOMAIN, SERVED_REGION_HOST
from tests.serving import REPO, PlainClient, gunicorn

pytestmark = pytest.mark.worker
FROM_PROXY = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}


def copy_of_the_repository(destination: Path) -> Path:
    """What `COPY . .` puts in the image: the files git knows, none that it ignores."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO, capture_output=True, check=True,
    ).stdout  # fmt: skip
    for name in filter(None, listed.decode().split("\0")):
        source = REPO / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    (destination / "frontend" / "node_modules").symlink_to(REPO / "frontend" / "node_modules")
    return destination


@pytest.fixture(scope="module")
def production(served_database, tmp_path_factory) -> Iterator[int]:
    """The built copy, served by gunicorn with production settings; yields its port."""
    build = copy_of_the_repository(tmp_path_factory.mktemp("image") / "app")
    subprocess.run(
        ["bash", "deploy/collect_assets.sh"],
        cwd=build, env={"PATH": os.environ["PATH"], "PYTHON": sys.executable}, check=True,
    )  # fmt: skip
    env = {
        "PATH": os.environ["PATH"],
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "BLIND_INDEX_KEY": secrets.token_urlsafe(48),
        "BASE_DOMAIN": SERVED_DOMAIN,
        "DATABASE_URL": served_database["DATABASE_URL"],
        "REDIS_URL": served_database["REDIS_URL"],
        "TRUSTED_PROXIES": "127.0.0.1",
        "WEB_CONCURRENCY": "1",
    }
    log = tmp_path_factory.mktemp("log") / "gunicorn.log"
    with gunicorn(env, log, cwd=build, host=SERVED_REGION_HOST) as port:
        yield port
    assert "Traceback" not in log.read_text(), log.read_text()


def test_the_public_form_login_page_and_static_files_answer(production):
    through_proxy = PlainClient(production, SERVED_REGION_HOST, headers=FROM_PROXY)
    choice = through_proxy.get("/melden/")
    assert choice.status == 302 and choice.location == "/melden/meldformulier/"
    form = through_proxy.get("/melden/meldformulier/")
    assert form.status == 200 and "Melding versturen" in form.text
    assert "max-age=31536000" in form.headers["Strict-Transport-Security"]
    assert "default-src 'self'" in form.headers["Content-Security-Policy"]
    login = through_proxy.get("/accounts/login/")
    assert login.status == 200 and "Inloggen" in login.text
    theme = re.search(r'href="(/static/utrecht-tokens/theme\.[0-9a-f]{12}\.css)"', form.text)
    assert theme, "the page links the hashed name from the manifest"
    stylesheet = through_proxy.get(theme.group(1))
    assert stylesheet.status == 200 and stylesheet.headers["Content-Type"].startswith("text/css")
    assert "immutable" in stylesheet.headers["Cache-Control"]


def test_plain_http_and_a_forged_proxy_header_are_sent_to_https(production):
    direct = PlainClient(production, SERVED_REGION_HOST)
    response = direct.get("/melden/")
    assert response.status == 301
    assert response.location == f"https://{SERVED_REGION_HOST}/melden/"
    # The header means nothing from an address that is not a trusted proxy.
    forged = PlainClient(production, SERVED_REGION_HOST, headers=FROM_PROXY, source="127.0.0.2")
    assert forged.get("/melden/").status == 301


def test_the_language_cookie_is_secure_like_the_others(production):
    through_proxy = PlainClient(
        production,
        SERVED_REGION_HOST,
        headers=FROM_PROXY | {"Origin": f"https://{SERVED_REGION_HOST}"},
    )
    through_proxy.get("/melden/meldformulier/")
    chosen = through_proxy.post("/i18n/setlang/", {"language": "en", "next": "/melden/"})
    assert chosen.status == 302
    (cookie,) = [
        c for c in chosen.headers.get_all("Set-Cookie") if c.startswith("django_language=")
    ]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
