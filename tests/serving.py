"""Real processes for the tests that need them: a database of their own, gunicorn, and
a Redis, a clamd and an SMTP server that a test may stop and start again without
touching anyone else's."""

import email
import email.policy
import hashlib
import http.client
import http.cookies
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
from aiosmtpd.controller import Controller
from clamav_client.clamd import ClamdError, ClamdUnixSocket

REPO = Path(__file__).resolve().parents[1]
BASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres:postgres@127.0.0.1:5432/meldpunt")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(purpose: str) -> str:
    """A database of this run's own, beside the one in DATABASE_URL: two runs on one
    machine never drop each other's."""
    name = f"{dj_database_url.parse(BASE_URL)['NAME']}_{purpose}_{os.getpid()}"
    return BASE_URL.rsplit("/", 1)[0] + f"/{name}"


def manage_database(url: str, flag: str) -> None:
    """--recreate: an empty database; --drop: none."""
    name = dj_database_url.parse(url)["NAME"]
    subprocess.run(
        [sys.executable, "deploy/dev/create_database.py", name, flag], cwd=REPO, check=True
    )


def role_env(url: str, role: str) -> dict[str, str]:
    """DATABASE_URL and DATABASE_APP_ROLE for connecting to the database of `url` as the
    'owner' (migrations) or the 'app' role (everything else), as in production."""
    name = dj_database_url.parse(url)["NAME"]
    printed = subprocess.run(
        [sys.executable, "deploy/dev/create_database.py", name, "--env", role],
        cwd=REPO, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return dict(line.split("=", 1) for line in printed.splitlines())


def manage(env: dict[str, str], *args: str, cwd: Path = REPO) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def run_in_schema(env: dict[str, str], schema: str, code: str) -> str:
    """Run Python in one schema of the database in `env`; returns the last line it prints.
    In the schema's region (tenant_context), as a request or task is: with region roles
    the app role sees a region's tables only through the region's role, and a bare
    schema_context would fall through to the public schema's tables of the same name."""
    wrapped = (
        "from django_tenants.utils import get_tenant_model, tenant_context\n"
        f"with tenant_context(get_tenant_model().objects.get(schema_name={schema!r})):\n"
        + "".join(f"    {line}\n" for line in code.strip().splitlines())
    )
    return manage(env, "shell", "-c", wrapped).strip().splitlines()[-1]


def wait_until_answering(port: int, host: str, seconds: float = 30) -> None:
    """Until the server answers at all (a redirect to https counts)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            PlainClient(port, host).get("/accounts/login/")
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@contextmanager
def gunicorn(
    env: dict[str, str], log: Path, *, host: str, cwd: Path = REPO, port: int = 0
) -> Iterator[int]:
    """gunicorn with the project's configuration (on a free port unless given); yields the port."""
    port = port or free_port()
    with log.open("w") as output:
        web = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py",
             "--bind", f"127.0.0.1:{port}"],
            cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            wait_until_answering(port, host)
            yield port
        finally:
            web.terminate()
            web.wait(timeout=30)


def celery_worker(env: dict[str, str]) -> subprocess.Popen:
    """A real Celery worker on the broker of `env`; the caller terminates it."""
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "meldpunt", "worker", "--pool", "solo",
         "--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


class OwnRedis:
    """A redis-server on a free port, for one test: stopping it stops nobody else's."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        server = shutil.which("redis-server")
        assert server, "redis-server is not installed (make test installs it)"
        self.process = subprocess.Popen(
            [server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while not self.answers():
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.1)

    def stop(self) -> None:
        assert self.process is not None
        self.process.terminate()
        self.process.wait(timeout=10)
        assert not self.answers()

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(7) == b"+PONG\r\n"
        except OSError:
            return False


# The EICAR test file: every virus scanner is meant to call it infected.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class OwnClamd:
    """ClamAV's daemon with a configuration, socket and signature database of its own in
    `directory`: stopping it stops nobody else's, and it never uses a system clamd.

    The official signatures cannot be downloaded here, and clamd will not start without
    a database, so it gets two signatures of its own: the EICAR file by its MD5 and size
    (.hdb, `md5:size:name`), and the EICAR string anywhere in a file (.ndb, `name:target
    type:offset:hex`), as in a PDF that carries it."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.socket = directory / "clamd.sock"
        self.config = directory / "clamd.conf"
        self.process: subprocess.Popen | None = None
        database = directory / "db"
        database.mkdir(parents=True, exist_ok=True)
        digest = hashlib.md5(EICAR).hexdigest()  # noqa: S324  clamd's .hdb format is MD5
        (database / "test.hdb").write_text(f"{digest}:{len(EICAR)}:Eicar-Test-Signature\n")
        (database / "test.ndb").write_text(f"Eicar-Test-Signature-Inside:0:*:{EICAR.hex()}\n")
        self.config.write_text(
            f"LocalSocket {self.socket}\n"
            f"DatabaseDirectory {database}\n"
            f"TemporaryDirectory {directory}\n"
            f"LogFile {directory / 'clamd.log'}\n"
            "Foreground yes\n"
        )

    @property
    def address(self) -> str:
        return str(self.socket)

    def start(self) -> None:
        server = shutil.which("clamd") or "/usr/sbin/clamd"
        assert Path(server).exists(), "clamd is not installed (make test installs clamav-daemon)"
        self.process = subprocess.Popen(
            [server, f"--config-file={self.config}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while not self.answers():
            assert self.process.poll() is None, (self.directory / "clamd.log").read_text()
            assert time.monotonic() < deadline, "clamd did not start"
            time.sleep(0.1)

    def stop(self) -> None:
        assert self.process is not None
        self.process.terminate()
        self.process.wait(timeout=30)
        self.process = None
        assert not self.answers()

    def answers(self) -> bool:
        try:
            return ClamdUnixSocket(str(self.socket), timeout=2).ping() == "PONG"
        except ClamdError:
            return False


class Page:
    def __init__(self, status: int, headers: http.client.HTTPMessage, text: str) -> None:
        self.status, self.headers, self.text = status, headers, text

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


class PlainClient:
    """HTTP to a test server as a browser sends it, without a browser: the region's
    Host header, cookies kept, redirects not followed, forms posted with the CSRF token."""

    def __init__(
        self, port: int, host: str, *, headers: dict[str, str] | None = None, source: str = ""
    ) -> None:
        self.port, self.host, self.source = port, host, source
        self.headers = headers or {}
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict | None = None, json_body: object = None
    ) -> Page:
        connection = http.client.HTTPConnection(
            "127.0.0.1",
            self.port,
            timeout=30,
            source_address=(self.source, 0) if self.source else None,
        )
        headers = {"Host": self.host, **self.headers}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            form = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **form}
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if json_body is not None:
            body = json.dumps(json_body)
            headers["Content-Type"] = "application/json"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        page = Page(response.status, response.headers, response.read().decode())
        connection.close()
        return page

    def get(self, path: str) -> Page:
        return self.request("GET", path)

    def post(self, path: str, form: dict) -> Page:
        return self.request("POST", path, form)

    def post_json(self, path: str, data: object) -> Page:
        return self.request("POST", path, json_body=data)


@dataclass(frozen=True)
class ReceivedMail:
    recipients: tuple[str, ...]
    subject: str
    body: str
    # (file name, content type with its parameters, text) of each attachment
    attachments: tuple[tuple[str, str, str], ...] = ()


class RefusingHandler:
    """aiosmtpd's handler: keeps what it accepts, answers 550 for the refused addresses."""

    def __init__(self) -> None:
        self.refused: set[str] = set()
        self.received: list[ReceivedMail] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if address in self.refused:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",)).get_content()
        attachments = tuple(
            (part.get_filename(), str(part["Content-Type"]), part.get_content())
            for part in message.iter_attachments()
        )
        self.received.append(
            ReceivedMail(tuple(envelope.rcpt_tos), message["Subject"], body, attachments)
        )
        return "250 Message accepted for delivery"


class OwnSmtpServer:
    """A real SMTP server (aiosmtpd, in a thread of the test process) on a free port,
    which a test stops, starts again, and makes refuse a recipient."""

    def __init__(self) -> None:
        self.port = free_port()
        self.handler = RefusingHandler()
        self.controller: Controller | None = None

    @property
    def env(self) -> dict[str, str]:
        """The settings that send a server's or worker's mail here."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.port),
            "EMAIL_TIMEOUT": "5",
        }

    def refuse(self, address: str) -> None:
        self.handler.refused.add(address)

    def received_by(self, address: str) -> list[ReceivedMail]:
        return [mail for mail in self.handler.received if address in mail.recipients]

    def wait_for(self, address: str, seconds: float = 60) -> list[ReceivedMail]:
        deadline = time.monotonic() + seconds
        while not (received := self.received_by(address)):
            assert time.monotonic() < deadline, f"no mail for {address}"
            time.sleep(0.2)
        return received

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        assert self.controller is not None
        self.controller.stop()
        self.controller = None
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", self.port)) != 0, "the SMTP server still answers"

    @property
    def running(self) -> bool:
        return self.controller is not None
