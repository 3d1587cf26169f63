"""A request costs one `SET search_path` (with the region's role, in the same statement),
no host lookup in PostgreSQL once the process knows the host, and one round trip to the
cache for the hosts' and the region's version tokens together."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from unittest.mock import patch

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context, tenant_context
from redis import Redis

from configuratie.version import CONFIGURATION
from meldpunt.cache import key_in
from tenants.hosts import HOSTS, KNOWN, region_for_host
from tenants.models import Domain
from tenants.services.onboarding import set_suspended
from tests.conftest import free_port, start_redis
from workflow.oversight import CASES


@pytest.fixture(autouse=True)
def own_redis(settings) -> Iterator[tuple[list, Callable[[], None]]]:
    """A Redis of each test's own as the cache, to stop and start (never a shared one)."""
    port = free_port()
    servers = [start_redis(port)]
    settings.CACHES = {
        "default": settings.CACHES["default"] | {"LOCATION": f"redis://127.0.0.1:{port}/0"}
    }
    yield servers, lambda: servers.append(start_redis(port))
    for server in servers:
        server.terminate()
        server.wait(timeout=10)


def statements_of(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_a_request_sets_the_search_path_once_and_asks_no_host(twente, client_for, logged_in):
    # The public form's page is built from what is kept per configuration version: it
    # sends no statement at all, so it sets no search path either.
    for client, path, settings_sent in (
        (client_for(twente), "/melden/meldformulier/", []),
        (
            logged_in(twente, "medewerker"),
            "/",
            [f'SET ROLE "{twente.database_role}"; SET search_path = "twente","public"'],
        ),
    ):
        client.get(path)  # fills the cache
        statements = statements_of(client, path)
        assert [sql for sql in statements if "SET search_path" in sql] == settings_sent
        assert not [sql for sql in statements if "tenants_domain" in sql]


def test_the_hosts_version_is_kept_in_the_public_schema(twente, limburg):
    with tenant_context(twente):
        assert region_for_host("limburg.localhost") == limburg
        assert cache.get(f"versie:{HOSTS}") is None  # not under twente's key
    with schema_context("public"):
        assert cache.get(f"versie:{HOSTS}") is not None


@contextmanager
def redis_commands() -> Iterator[list[tuple]]:
    sent, execute = [], Redis.execute_command

    def recorded(redis: Redis, *args, **options):
        sent.append(args)
        return execute(redis, *args, **options)

    with patch.object(Redis, "execute_command", recorded):
        yield sent


def test_a_known_host_costs_one_round_trip_for_every_version_token(twente, client_for, logged_in):
    """The hosts' token and the region's tokens (configuration; the dashboard's counts)."""
    for client, path, names in (
        (client_for(twente), "/melden/meldformulier/", [CONFIGURATION]),
        (logged_in(twente, "medewerker"), "/", [CONFIGURATION, CASES]),
    ):
        client.get(path)  # the process knows the host and the tokens its pages read
        version_keys = {
            key_in(schema, f"versie:{name}", cache.key_prefix, cache.version)
            for schema, name in [("public", HOSTS)] + [(twente.schema_name, n) for n in names]
        }
        with redis_commands() as sent:
            assert client.get(path).status_code == 200
        (read,) = [args for args in sent if version_keys & set(args[1:])]
        assert read[0] == "MGET"
        assert version_keys <= set(read[1:])


def test_suspension_and_reactivation_reach_a_cached_host(twente, client_for):
    client = client_for(twente)
    assert client.get("/melden/meldformulier/").status_code == 200
    set_suspended(twente, True, actor=None)
    assert client.get("/melden/meldformulier/").status_code == 403
    set_suspended(twente, False, actor=None)
    assert client.get("/melden/meldformulier/").status_code == 200


def test_a_changed_domain_reaches_a_cached_host(twente, client):
    assert client.get("/melden/meldformulier/", HTTP_HOST="twente.localhost").status_code == 200
    domain = Domain.objects.get(domain="twente.localhost")
    domain.domain = "twente-oost.localhost"
    domain.save()
    assert client.get("/melden/meldformulier/", HTTP_HOST="twente.localhost").status_code == 404
    assert (
        client.get("/melden/meldformulier/", HTTP_HOST="twente-oost.localhost").status_code == 200
    )
    domain.delete()
    assert (
        client.get("/melden/meldformulier/", HTTP_HOST="twente-oost.localhost").status_code == 404
    )


def test_with_the_cache_down_the_host_is_read_from_the_database(twente, client_for, own_redis):
    servers, restart = own_redis
    client = client_for(twente)
    assert client.get("/melden/meldformulier/").status_code == 200
    assert KNOWN.get("twente.localhost") == twente
    servers[0].terminate()
    servers[0].wait(timeout=10)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/melden/meldformulier/").status_code == 200
    assert [q for q in captured.captured_queries if "tenants_domain" in q["sql"]]
    restart()
    assert client.get("/melden/meldformulier/").status_code == 200
