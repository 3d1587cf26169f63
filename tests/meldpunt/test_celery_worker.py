"""A real Celery worker, over Redis, runs a task in the schema of the region that queued it."""

import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta

import psycopg2
import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.tasks import clear_expired_sessions
from tests.conftest import REPO

pytestmark = pytest.mark.worker


@pytest.fixture
def committed() -> Iterator[psycopg2.extensions.connection]:
    """A second connection in autocommit: what it writes, the worker sees."""
    db = settings.DATABASES["default"]
    raw = psycopg2.connect(
        dbname=connection.settings_dict["NAME"],
        user=db["USER"],
        password=db["PASSWORD"],
        host=db["HOST"],
        port=db["PORT"] or 5432,
    )
    raw.autocommit = True
    yield raw
    raw.close()


@pytest.fixture
def worker_queue(db) -> Iterator[str]:
    """A worker on a queue of its own, so no other worker on this Redis takes the task."""
    queue = f"test-{secrets.token_hex(4)}"
    db_settings = connection.settings_dict
    env = os.environ | {
        "PYTHONPATH": "platform",
        "DEBUG": "1",
        "DATABASE_URL": (
            f"postgres://{db_settings['USER']}:{db_settings['PASSWORD']}@{db_settings['HOST']}:"
            f"{db_settings['PORT'] or 5432}/{db_settings['NAME']}"
        ),
        "REDIS_URL": settings.CELERY_BROKER_URL,
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "meldpunt",
            "worker",
            "--pool",
            "solo",
            "-Q",
            queue,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "INFO",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield queue
    worker.terminate()
    output, _ = worker.communicate(timeout=30)
    print(output)


def insert_session(raw, schema: str, key: str, expired: bool) -> None:
    expires = timezone.now() + (timedelta(days=-1) if expired else timedelta(days=1))
    with raw.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{schema}".django_session (session_key, session_data, expire_date) '
            "VALUES (%s, '', %s)",
            [key, expires],
        )


def session_keys(raw, schema: str, keys: list[str]) -> set[str]:
    with raw.cursor() as cursor:
        cursor.execute(
            f'SELECT session_key FROM "{schema}".django_session WHERE session_key = ANY(%s)', [keys]
        )
        return {row[0] for row in cursor.fetchall()}


def test_a_task_runs_in_the_region_that_queued_it_and_no_other(twente, committed, worker_queue):
    twente_key, limburg_key = f"twente{secrets.token_hex(8)}", f"limburg{secrets.token_hex(8)}"
    insert_session(committed, "twente", twente_key, expired=True)
    insert_session(committed, "limburg", limburg_key, expired=True)
    try:
        with tenant_context(twente):
            clear_expired_sessions.apply_async(queue=worker_queue)
        deadline = time.monotonic() + 60
        while session_keys(committed, "twente", [twente_key]) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert session_keys(committed, "twente", [twente_key]) == set()
        assert session_keys(committed, "limburg", [limburg_key]) == {limburg_key}
    finally:
        with committed.cursor() as cursor:
            cursor.execute(
                "DELETE FROM limburg.django_session WHERE session_key = %s", [limburg_key]
            )
