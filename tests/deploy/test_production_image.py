"""The container image, built from deploy/Dockerfile with podman, serves under production
settings: its gunicorn and its Celery worker run from the image's own filesystem, as the
image's user, against a region onboarded for the test, behind a pretend TLS proxy.

tests/deploy/image.py says how the image is built and its processes run here.
"""

import re
import secrets
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import SERVED_DOMAIN, SERVED_REGION_HOST
from tests.deploy import image
from tests.serving import OwnRedis, PlainClient, free_port, role_env, wait_until_answering

pytestmark = pytest.mark.worker
FROM_PROXY = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
FORM = "/melden/meldformulier/"
# deploy/Dockerfile's user, which the Kubernetes manifests run as too.
IMAGE_UID = 10001


class Running:
    """The built image mounted, its web server's port, its processes, /tmp and logs."""

    def __init__(self, name: str, root: Path, tmp: Path, logs: Path, env: dict, port: int):
        self.name, self.root, self.tmp, self.logs, self.env = name, root, tmp, logs, env
        self.port, self.pids = port, {}

    def run(self, *command: str) -> str:
        return image.run(self.name, self.root, self.tmp, list(command), self.env)

    def client(self, **headers: str) -> PlainClient:
        return PlainClient(self.port, SERVED_REGION_HOST, headers=FROM_PROXY | headers)


@pytest.fixture(scope="module")
def production(served_database, tmp_path_factory) -> Iterator[Running]:
    built = image.build()
    redis = OwnRedis()
    redis.start()
    tmp = tmp_path_factory.mktemp("image-tmp")
    tmp.chmod(0o1777)  # the image's /tmp, shared by its processes and read by the test
    logs = tmp_path_factory.mktemp("image-logs")
    env = role_env(served_database["DATABASE_URL"], "app") | {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        # The database's data keys (what a deployment keeps in its secret), not new ones.
        "FIELD_ENCRYPTION_KEYS": served_database["FIELD_ENCRYPTION_KEYS"],
        "BLIND_INDEX_KEY": served_database["BLIND_INDEX_KEY"],
        "MATCHING_KEY": served_database["MATCHING_KEY"],
        "BASE_DOMAIN": SERVED_DOMAIN,
        "REDIS_URL": redis.url,
        "TRUSTED_PROXIES": "127.0.0.1",
        "WEB_CONCURRENCY": "2",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": "/tmp/mail",  # noqa: S108 (the image's /tmp is the test's own directory)
    }
    port = free_port()
    processes = {}
    with image.mounted(built) as root:
        try:
            # The image's own CMD with the port of this test; the worker as the manifests start it.
            command = image.configuration(built)["Cmd"]
            processes["web"] = image.start(
                built, root, tmp, [*command[:-1], f"127.0.0.1:{port}"], env, logs / "web.log"
            )
            processes["worker"] = image.start(
                built, root, tmp,
                ["celery", "-A", "meldpunt", "worker", "--loglevel", "INFO", "--concurrency", "1"],
                env, logs / "worker.log",
            )  # fmt: skip
            wait_until_answering(port, SERVED_REGION_HOST, seconds=60)
            running = Running(built, root, tmp, logs, env, port)
            running.pids = {name: process.pid for name, process in processes.items()}
            yield running
        finally:
            for process in processes.values():
                process.terminate()
                process.wait(timeout=30)
            redis.stop()
    for log in logs.iterdir():
        assert "Traceback" not in log.read_text(), log.read_text()


def test_the_public_form_login_page_and_a_hashed_static_file_answer(production):
    through_proxy = production.client()
    form = through_proxy.get(FORM)
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
    direct = PlainClient(production.port, SERVED_REGION_HOST)
    response = direct.get("/melden/")
    assert response.status == 301
    assert response.location == f"https://{SERVED_REGION_HOST}/melden/"
    # The header means nothing from an address that is not a trusted proxy.
    forged = PlainClient(
        production.port, SERVED_REGION_HOST, headers=FROM_PROXY, source="127.0.0.2"
    )
    assert forged.get("/melden/").status == 301


def test_the_language_cookie_is_secure_like_the_others(production):
    through_proxy = production.client(Origin=f"https://{SERVED_REGION_HOST}")
    through_proxy.get(FORM)
    chosen = through_proxy.post("/i18n/setlang/", {"language": "en", "next": "/melden/"})
    assert chosen.status == 302
    (cookie,) = [
        c for c in chosen.headers.get_all("Set-Cookie") if c.startswith("django_language=")
    ]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_report_filed_through_the_form_reaches_the_worker(production):
    reporter = production.client(Origin=f"https://{SERVED_REGION_HOST}")
    opened = reporter.get(FORM)
    token = re.search(r'name="token" value="([^"]+)"', opened.text).group(1)
    time.sleep(3.5)  # a person's pace: the form refuses what is sent faster
    sent = reporter.post(
        FORM,
        {
            "token": token,
            "reporter_type": "ouder",
            "concern": "Mijn dochter krijgt dure cadeaus van een veel oudere vriend.",
            "reporter_email": "melder.image@example.org",
            "feedback_preference": "email",
            "persoon-TOTAL_FORMS": "1",
            "persoon-INITIAL_FORMS": "0",
            "persoon-MIN_NUM_FORMS": "0",
            "persoon-MAX_NUM_FORMS": "5",
            "persoon-0-role": "slachtoffer",
            "website": "",
        },
    )
    assert sent.status == 302, sent.text
    code = re.search(r'id="meldcode">([^<]+)<', reporter.get("/melden/ontvangen/").text)[1]
    # The web process queued the outbox's delivery; the image's worker sent the e-mail.
    mail = production.tmp / "mail"
    deadline = time.monotonic() + 60
    while not any(code in path.read_text() for path in mail.glob("*.log")):
        assert time.monotonic() < deadline, "the worker delivered no e-mail with the report's code"
        time.sleep(0.5)
    assert "To: melder.image@example.org" in "".join(p.read_text() for p in mail.glob("*.log"))
    assert "meldpunt.tasks.deliver_outbox" in (production.logs / "worker.log").read_text()


def test_a_meeting_agenda_pdf_renders_in_the_image_with_its_fonts(production):
    production.run("python3", "manage.py", "shell", "-c", """
from datetime import timedelta
from django.utils import timezone
from django_tenants.utils import tenant_context
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from accounts.services import invite_user
from meldpunt.pdf import render_pdf
from workflow.selectors import read_meeting
from workflow.services.meetings import plan_meeting
from tenants.models import Region
# In the region, as a request is: with region roles a schema name alone reads the public schema.
with tenant_context(Region.objects.get(schema_name="twente")):
    director = invite_user("regisseur.image@twente.test", role_codes=["medewerker", "procesregisseur"])
    director.set_password("een-lang-wachtwoord-voor-de-image-test")
    director.save()
    TOTP.activate(director, generate_totp_secret())
    meeting = plan_meeting(actor=director, kind="screeningsteam", location="Stadhuis Hengelo",
                           starts_at=timezone.now() + timedelta(days=1), attendees=[director])
    agenda = render_pdf("meetings/pdf_agenda.html",
                        {"file": read_meeting(director, meeting.pk), "site_name": "Twente"})
open("/tmp/agenda.pdf", "wb").write(agenda)
""")  # fmt: skip
    pdf = PdfReader(production.tmp / "agenda.pdf")
    fonts = {
        str(font["/BaseFont"])
        for page in pdf.pages
        for font in page["/Resources"]["/Font"].values()
        for font in [font.get_object()]
    }
    assert fonts and all("+DejaVu-Sans" in font for font in fonts), fonts
    assert "Stadhuis Hengelo" in pdf.pages[0].extract_text()


def test_the_image_holds_no_repository_secrets_environments_or_tests(production):
    app = production.root / "app"
    assert (app / "manage.py").is_file() and (app / "var" / "staticfiles").is_dir()
    for absent in (".git", ".venv", "deploy/.env", ".env", "tests", "deploy/k8s"):
        assert not (app / absent).exists(), absent
    found = [
        path.relative_to(app)
        for pattern in ("**/.env", "**/*.env", "**/test_*.py", "**/conftest.py", "**/.git")
        for path in app.glob(pattern)
    ]
    assert found == []


def test_the_image_checks_its_own_health(production):
    check = image.inspected(production.name)["Healthcheck"]["Test"]
    assert check[0] == "CMD" and "/healthz" in " ".join(check)


def test_the_processes_run_as_the_image_s_user(production):
    assert image.configuration(production.name)["User"] == f"{IMAGE_UID}:{IMAGE_UID}"
    for name, pid in production.pids.items():
        assert image.uids_of_tree(pid) == {IMAGE_UID}, name
