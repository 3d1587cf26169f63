"""Production settings refuse to start insecurely, and pass `check --deploy` when right."""

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "p7#Zq2!vL9@xR4$wT8^kM1&nB6*hJ3(fD5)gS0-aY2_cV7+eU4=oI9",
    "BASE_DOMAIN": "meldpunt.example.nl",
    "DATABASE_URL": "postgres://meldpunt:geheim@db.internal:5432/meldpunt",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "FIELD_ENCRYPTION_KEYS": "bY0Hq1cTz8hVwq1l0v0sQ9bqz8W5c3m2x1n0p9o8i7U=",
    "BLIND_INDEX_KEY": "f3a9c1e7b5d2a8c4e6f0b1d3a5c7e9f2b4d6a8c0",
    "MATCHING_KEY": "9c2e4a6b8d0f1e3c5a7b9d1f3e5c7a9b2d4f6e8a",
    "TRUSTED_PROXIES": "10.0.0.0/8",
    "PATH": os.environ["PATH"],
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True
    )


def test_check_deploy_is_clean_with_production_values():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_refuses_a_missing_secret_key():
    env = PRODUCTION | {"SECRET_KEY": ""}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("value", ["", "f3a9c1e7b5d2a8c4e6f0b1d3a5c7e9f2b4d6a8c0"])
def test_production_refuses_a_missing_matching_key_or_the_blind_index_key_again(value):
    result = manage("check", env=PRODUCTION | {"MATCHING_KEY": value})
    assert result.returncode != 0
    assert "MATCHING_KEY must be set" in result.stderr


def test_production_refuses_the_demo_mfa_skip():
    result = manage("check", env=PRODUCTION | {"DEMO_MODE": "1"})
    assert result.returncode != 0
    assert "DEMO_MODE" in result.stderr


def test_production_refuses_plain_http_links():
    result = manage("check", env=PRODUCTION | {"PUBLIC_URL_SCHEME": "http"})
    assert result.returncode != 0
    assert "https" in result.stderr


def test_production_behind_a_proxy_refuses_to_trust_none():
    # The HTTPS redirect reads the scheme the proxy forwards: trusting no proxy loops it.
    result = manage("check", env=PRODUCTION | {"TRUSTED_PROXIES": ""})
    assert result.returncode != 0
    assert "TRUSTED_PROXIES must name" in result.stderr
    without_proxy = PRODUCTION | {"TRUSTED_PROXIES": "", "SECURE_SSL_REDIRECT": "0"}
    assert manage("check", env=without_proxy).returncode == 0


def test_production_refuses_missing_encryption_keys():
    result = manage(
        "check", env={k: v for k, v in PRODUCTION.items() if k != "FIELD_ENCRYPTION_KEYS"}
    )
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS" in result.stderr


def test_the_cache_uses_the_database_after_the_broker_s():
    # Two installations on one Redis (…/0 and …/4) must not clear each other's rate limits.
    from meldpunt.settings import next_redis_db_url

    assert next_redis_db_url("redis://127.0.0.1:6379/4") == "redis://127.0.0.1:6379/5"
    assert next_redis_db_url("redis://:geheim@redis.internal:6379") == (
        "redis://:geheim@redis.internal:6379/1"
    )
