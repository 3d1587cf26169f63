"""Probes answer on every host, before HTTPS redirects; /readyz answers 503 without a database."""

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO, free_port
from tests.meldpunt.test_settings import PRODUCTION

PROBE = """
import json, django
django.setup()
from django.test import Client
answers = {}
for host in ("10.1.2.3:8000", "meldpunt.example.nl", "twente.meldpunt.example.nl", "elders.example"):
    for path in ("/healthz", "/readyz"):
        response = Client(HTTP_HOST=host).get(path)
        answers[f"{host}{path}"] = [response.status_code, json.loads(response.content)]
print(json.dumps(answers))
"""


def probe_with(database_url: str, settings) -> dict:
    """What the probes answer in a production-configured process."""
    env = PRODUCTION | {
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.CELERY_BROKER_URL,
        "DJANGO_SETTINGS_MODULE": "meldpunt.settings",
        "PYTHONPATH": "platform",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO, env=env, capture_output=True, text=True,
        timeout=60, check=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_probes_answer_on_any_host_in_production_settings(db, settings):
    database = settings.DATABASES["default"]
    url = (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    answers = probe_with(url, settings)
    for host in (
        "10.1.2.3:8000",
        "meldpunt.example.nl",
        "twente.meldpunt.example.nl",
        "elders.example",
    ):
        assert answers[f"{host}/healthz"] == [200, {"status": "ok"}]
        status, checks = answers[f"{host}/readyz"]
        assert (status, checks["database"]) == (200, "ok")


def test_readyz_answers_503_when_the_database_is_unreachable(settings):
    closed_port = free_port()
    answers = probe_with(f"postgres://meldpunt:geheim@127.0.0.1:{closed_port}/meldpunt", settings)
    assert answers["twente.meldpunt.example.nl/healthz"] == [200, {"status": "ok"}]
    status, checks = answers["twente.meldpunt.example.nl/readyz"]
    assert (status, checks["database"]) == (503, "unavailable")


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_are_not_cached_and_refuse_writes(db, client, path):
    assert client.get(path, HTTP_HOST="10.0.0.1")["Cache-Control"] == "no-store"
    assert client.post(path, HTTP_HOST="10.0.0.1").status_code != 200
