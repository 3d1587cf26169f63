"""A database of the benchmark's own, with the owner and app roles production has."""

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CREATE = [sys.executable, str(REPO / "deploy" / "dev" / "create_database.py")]
BASE_DOMAIN = "meldpunt.bench.localhost"


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
    base_url = os.environ.get(
        "DATABASE_URL", "postgres://postgres:postgres@127.0.0.1:5432/meldpunt"
    )
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
