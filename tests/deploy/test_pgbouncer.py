"""The application through a real PgBouncer in the manifests' session mode: two regions'
requests interleave on the same few server connections, and none reads the other's schema.

gunicorn (two workers, persistent connections as in production) reaches PostgreSQL as the
application role through a PgBouncer of the test's own, whose pool holds two server
connections for all clients. django-tenants sets the region's search_path before each
request's queries; in session mode the server connection stays with its client, so
what one request set cannot be what another request reads (docs/pooling.md).
"""

import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import dj_database_url
import psycopg2
import pytest

from tests.conftest import SERVED_DOMAIN
from tests.serving import REPO, PlainClient, free_port, gunicorn, manage, role_env

pytestmark = pytest.mark.worker
PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
SERVER_CONNECTIONS = 2
# Each region's report forms are configuration in its own schema: Twente has one (the
# choice page sends a reporter straight to it), Limburg two others.
OWN_FORM = {"twente": "meldformulier", "limburg": "contactformulier"}


def pool_mode_of_the_manifests() -> str:
    postgres = (REPO / "deploy" / "k8s" / "base" / "postgres.yaml").read_text()
    return re.search(r"poolMode: (\w+)", postgres)[1]


@pytest.fixture(scope="module")
def pgbouncer(served_database) -> Iterator[dict[str, str]]:
    """PgBouncer in front of the served database; yields the app role's environment through it."""
    assert Path(PGBOUNCER).exists(), "pgbouncer is missing: `make test` installs it"
    manage(served_database, "onboard_region", "--slug", "limburg", "--name", "Limburg",
           "--preset", "limburg", "--admin-email", "regiobeheerder@limburg.test")  # fmt: skip
    # PgBouncer refuses to run as root and drops to nobody, who must reach its files.
    with tempfile.TemporaryDirectory(prefix="pgbouncer-") as name:
        directory = Path(name)
        directory.chmod(0o755)
        yield from served_through_pgbouncer(served_database, directory)


def served_through_pgbouncer(served_database: dict, directory: Path) -> Iterator[dict[str, str]]:
    app = role_env(served_database["DATABASE_URL"], "app")
    server = dj_database_url.parse(app["DATABASE_URL"])
    port = free_port()
    config = directory / "pgbouncer.ini"
    config.write_text(
        "[databases]\n"
        f"{server['NAME']} = host={server['HOST']} port={server['PORT'] or 5432}"
        f" dbname={server['NAME']}\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        f"auth_type = plain\nauth_file = {directory / 'users.txt'}\n"
        f"pool_mode = {pool_mode_of_the_manifests()}\n"
        f"default_pool_size = {SERVER_CONNECTIONS}\nmax_client_conn = 50\n"
        f"logfile = {directory / 'pgbouncer.log'}\n"
    )
    (directory / "users.txt").write_text(f'"{server["USER"]}" "{server["PASSWORD"]}"\n')
    (directory / "pgbouncer.log").touch()
    (directory / "pgbouncer.log").chmod(0o666)
    command = [PGBOUNCER, str(config)]
    if os.geteuid() == 0:
        command[1:1] = ["--user", "nobody"]
    bouncer = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        url = app["DATABASE_URL"].replace(f":{server['PORT'] or 5432}/", f":{port}/")
        deadline = time.monotonic() + 10
        while True:
            try:
                psycopg2.connect(url).close()
                break
            except psycopg2.OperationalError:
                assert time.monotonic() < deadline, (directory / "pgbouncer.log").read_text()
                time.sleep(0.2)
        yield served_database | app | {"DATABASE_URL": url, "WEB_CONCURRENCY": "2"}
    finally:
        bouncer.terminate()
        bouncer.wait(timeout=10)


def server_connections(served_database: dict[str, str], role: str) -> int:
    """The app role's backends on the real server: PgBouncer's server connections."""
    url = served_database["DATABASE_URL"]
    with psycopg2.connect(url) as admin, admin.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND usename = %s",
            [dj_database_url.parse(url)["NAME"], role],
        )
        return cursor.fetchone()[0]


def test_the_manifests_pool_sessions():
    assert pool_mode_of_the_manifests() == "session"


def test_interleaved_regions_through_pgbouncer_each_read_their_own_schema(
    served_database, pgbouncer, tmp_path
):
    with gunicorn(pgbouncer, tmp_path / "gunicorn.log", host=f"twente.{SERVED_DOMAIN}") as port:
        clients = {region: PlainClient(port, f"{region}.{SERVED_DOMAIN}") for region in OWN_FORM}
        answered = []
        for _ in range(12):
            for region, client in clients.items():
                other = OWN_FORM[next(r for r in OWN_FORM if r != region)]
                choice = client.get("/melden/")
                if region == "twente":
                    assert choice.location == "/melden/meldformulier/", choice.status
                else:
                    assert choice.status == 200 and "Contactformulier" in choice.text
                assert client.get(f"/melden/{OWN_FORM[region]}/").status == 200, region
                assert client.get(f"/melden/{other}/").status == 404, (region, "read", other)
                answered.append(region)
        # 72 requests of two regions, over at most two server connections between them.
        user = dj_database_url.parse(pgbouncer["DATABASE_URL"])["USER"]
        assert 0 < server_connections(served_database, user) <= SERVER_CONNECTIONS
    assert answered.count("twente") == answered.count("limburg") == 12
    assert "Traceback" not in (tmp_path / "gunicorn.log").read_text()
