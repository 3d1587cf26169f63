"""A database of the benchmark's own, with the owner and app roles production has."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CREATE = [sys.executable, str(REPO / "deploy" / "dev" / "create_database.py")]
BASE_DOMAIN = "meldpunt.bench.localhost"
DEFAULT_URL = "postgres://postgres:postgres@127.0.0.1:5432/meldpunt"


# The administrator's connection, kept before this process switches to the owner's.
ADMIN_ENV = dict(os.environ)


def role_env(name: str, role: str) -> dict[str, str]:
    printed = subprocess.run(
        [*CREATE, name, "--env", role], env=ADMIN_ENV, check=True, capture_output=True, text=True
    ).stdout
    return dict(line.split("=", 1) for line in printed.splitlines())


@contextmanager
def bench_database(suffix: str, keep: bool = False) -> Iterator[str]:
    """Creates `<database>_<suffix>` with its roles, yields its name and drops it afterwards;
    with `keep`, takes the one an earlier run kept (or creates it) and keeps it."""
    base_url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    name = f"{base_url.rsplit('/', 1)[1]}_{suffix}"
    subprocess.run([*CREATE, name, *([] if keep else ["--recreate"])], env=ADMIN_ENV, check=True)
    try:
        yield name
    finally:
        if not keep:
            subprocess.run([*CREATE, name, "--drop"], env=ADMIN_ENV, check=True)


def setup_django(env: dict[str, str]) -> None:
    """Django in this process, connected as `env` says (the owner role)."""
    os.environ.update(env | {"DEBUG": "1", "BASE_DOMAIN": BASE_DOMAIN})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meldpunt.settings")
    sys.path[:0] = [str(REPO), str(REPO / "platform")]
    import django

    django.setup()


# The tablespace of the regions a bench makes as fixtures (OwnCluster).
FIXTURES = "bench_fixtures"
# Settings of the server DATABASE_URL names that a cluster of the bench's own must not copy:
# where that server keeps its files and where it listens.
NOT_COPIED = {
    "data_directory", "hba_file", "ident_file", "external_pid_file", "config_file",
    "port", "listen_addresses", "unix_socket_directories", "cluster_name", "fsync",
}  # fmt: skip


class SharedServer:
    """The server DATABASE_URL names, as it is: nothing to switch, nothing to remove."""

    description = "on the server DATABASE_URL names, fsync as that server has it"
    removed_whole = False  # its databases are dropped one by one
    fixture_tablespace = ""  # the database's default

    def fixtures(self) -> None:
        """Nothing: a shared server's durability is not the bench's to change."""

    def measured(self) -> None:
        """Nothing: see fixtures()."""


class OwnCluster:
    """A PostgreSQL cluster of a bench's own: `initdb` of the same server version into
    `directory`, the settings of the server DATABASE_URL names, its own port, started
    for the bench and stopped after it.

    Its fixtures are made with `fsync = off` and everything timed runs with `fsync = on`
    (`fixtures()`, `measured()`): PostgreSQL 15 fsyncs every btree it builds
    (nbtsort.c `_bt_load` → `smgrimmedsync`), about 1 s per region of 254 indexes on this
    machine's disk whatever the parallelism, a cost of making the fixture, not of what is
    measured. The fixtures' own tables and indexes go to the tablespace FIXTURES, in
    memory (/dev/shm) unless kept: their rows in the catalogue are on disk as in
    production, but their 250,000 files at 1,000 regions are not, whose removal from this
    disk (ext4 with online discard) took minutes. What is timed creates its relations in
    the default tablespace, on disk. Removed whole at the end: seconds, where DROP
    DATABASE of 1,000 regions took 6 minutes."""

    description = (
        "in a PostgreSQL cluster of its own: the regions between checkpoints with fsync off"
        " and their tables and indexes in memory (making the fixture), everything timed"
        " with fsync on and on disk"
    )
    removed_whole = True  # its databases go with its directory
    fixture_tablespace = FIXTURES

    def __init__(
        self, directory: Path, fixtures_directory: Path, bindir: Path, settings: dict[str, str]
    ) -> None:
        self.directory, self.bindir, self.settings = directory, bindir, settings
        self.fixtures_directory = fixtures_directory
        self.data, self.port = directory / "data", free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def as_postgres(self, *command: str) -> None:
        """Runs a server program as the postgres OS user (the server refuses root)."""
        runner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*runner, *command], check=True, stdout=subprocess.DEVNULL)

    def start(self) -> None:
        if not self.data.exists():
            if os.geteuid() == 0:
                shutil.chown(self.directory, "postgres", "postgres")
            self.as_postgres(
                str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres",
                "--auth=trust", f"--encoding={self.settings.pop('server_encoding')}",
                f"--lc-collate={self.settings.pop('lc_collate')}",
                f"--lc-ctype={self.settings.pop('lc_ctype')}",
            )  # fmt: skip
            with open(self.data / "postgresql.conf", "a") as conf:
                conf.writelines(f"{name} = '{value}'\n" for name, value in self.settings.items())
        self.as_postgres(
            str(self.bindir / "pg_ctl"), "start", "-w", "-D", str(self.data),
            "-l", str(self.directory / "server.log"),
            "-o", f"-p {self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.directory}",
        )  # fmt: skip
        import psycopg2

        connection = psycopg2.connect(self.url)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_tablespace WHERE spcname = %s", [FIXTURES])
            if not cursor.fetchone():
                if os.geteuid() == 0:
                    shutil.chown(self.fixtures_directory, "postgres", "postgres")
                cursor.execute(
                    f"CREATE TABLESPACE {FIXTURES} LOCATION %s", [str(self.fixtures_directory)]
                )
                cursor.execute(f"GRANT CREATE ON TABLESPACE {FIXTURES} TO PUBLIC")
        connection.close()

    def stop(self, mode: str) -> None:
        self.as_postgres(
            str(self.bindir / "pg_ctl"), "stop", "-w", "-m", mode, "-D", str(self.data)
        )

    def switch_fsync(self, on: bool) -> None:
        import psycopg2

        connection = psycopg2.connect(self.url)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER SYSTEM SET fsync = {'on' if on else 'off'}")
            cursor.execute("SELECT pg_reload_conf()")
            if on:
                # What the fill left in shared buffers and in the kernel's cache is written
                # now, not during what is timed.
                cursor.execute("CHECKPOINT")
        connection.close()
        if on:
            # The cluster's files only (tablespaces included), not the whole disk's.
            self.as_postgres(str(self.bindir / "initdb"), "--sync-only", "-D", str(self.data))
        # A reload reaches the backends asynchronously: wait until a new one sees it.
        for _ in range(100):
            connection = psycopg2.connect(self.url)
            with connection.cursor() as cursor:
                cursor.execute("SHOW fsync")
                seen = cursor.fetchone()[0]
            connection.close()
            if seen == ("on" if on else "off"):
                return
            time.sleep(0.05)
        raise RuntimeError(f"fsync did not become {on}")

    def fixtures(self) -> None:
        """From here on the cluster makes fixtures: fsync off (a no-op `pg_fsync`)."""
        self.switch_fsync(False)

    def measured(self) -> None:
        """From here on what runs is timed: fsync on, everything before it written out."""
        self.switch_fsync(True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def local_server() -> tuple[Path, dict[str, str]] | None:
    """The binaries and the settings of the server DATABASE_URL names, when it runs on this
    machine and its version's binaries are here; None otherwise."""
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(os.environ.get("DATABASE_URL", DEFAULT_URL))
    if config["HOST"] not in ("", "127.0.0.1", "localhost", "::1") and not str(
        config["HOST"]
    ).startswith("/"):
        return None
    connection = psycopg2.connect(
        dbname="postgres", user=config["USER"], password=config["PASSWORD"],
        host=config["HOST"], port=config["PORT"] or 5432,
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version_num')::int / 10000")
        bindir = Path(f"/usr/lib/postgresql/{cursor.fetchone()[0]}/bin")
        cursor.execute(
            "SELECT name, current_setting(name) FROM pg_settings"
            " WHERE source = 'configuration file' OR name IN ('server_encoding')"
        )
        settings = {name: value for name, value in cursor.fetchall() if name not in NOT_COPIED}
        cursor.execute("SELECT datcollate, datctype FROM pg_database WHERE datname = 'template1'")
        settings["lc_collate"], settings["lc_ctype"] = cursor.fetchone()
    connection.close()
    return (bindir, settings) if (bindir / "initdb").exists() else None


@contextmanager
def own_cluster(suffix: str, keep: bool = False) -> Iterator[OwnCluster | SharedServer]:
    """A cluster of the bench's own (OwnCluster) when DATABASE_URL's server is on this
    machine, else that server (SharedServer). ADMIN_ENV points to it meanwhile. Without
    `keep` its directory is made in the temporary folder, its fixtures' tablespace in
    /dev/shm, and both are removed afterwards; with it, both are in
    `<tmp>/<database>_<suffix>.cluster`, started again by the next run and kept."""
    found = local_server()
    if found is None:
        yield SharedServer()
        return
    bindir, settings = found
    base_url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if keep:
        directory = Path(tempfile.gettempdir()) / f"{base_url.rsplit('/', 1)[1]}_{suffix}.cluster"
        fixtures = directory / "fixtures"
        fixtures.mkdir(parents=True, exist_ok=True)
    else:
        directory = Path(tempfile.mkdtemp(prefix=f"meldpunt-bench-{suffix}-"))
        memory = Path("/dev/shm")  # noqa: S108 # nosec B108 (mkdtemp makes a private folder)
        fixtures = Path(
            tempfile.mkdtemp(
                prefix=f"meldpunt-bench-{suffix}-", dir=memory if memory.is_dir() else directory
            )
        )
    cluster = OwnCluster(directory, fixtures, bindir, settings)
    cluster.start()
    database = base_url.rsplit("/", 1)[1]
    ADMIN_ENV["DATABASE_URL"] = cluster.url.rsplit("/", 1)[0] + f"/{database}"
    try:
        yield cluster
    finally:
        ADMIN_ENV["DATABASE_URL"] = base_url
        if keep:
            cluster.stop("fast")
        else:
            cluster.stop("immediate")
            # rm sorts a large folder's entries by inode before unlinking them: faster
            # than shutil.rmtree on ext4.
            subprocess.run(["rm", "-rf", str(directory), str(fixtures)], check=True)
