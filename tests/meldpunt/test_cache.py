"""The cache's PostgreSQL stand-in: used when Redis fails, per schema, counting as Redis does."""

import hashlib
import logging

import pytest
from django_tenants.utils import schema_context, tenant_context

from meldpunt.cache import (
    FALLBACK_TABLE,
    LockingDatabaseCache,
    RedisWithDatabaseFallback,
    renew_version,
    version_of,
)
from meldpunt.models import CacheFallbackEntry
from tests.serving import free_port

PARAMS = {"KEY_FUNCTION": "meldpunt.cache.make_key"}


def test_the_fallback_counts_atomically_and_keeps_the_expiry(twente):
    cache = LockingDatabaseCache(FALLBACK_TABLE, PARAMS)
    with tenant_context(twente):
        assert cache.add("pogingen", 1, 600)
        expires = CacheFallbackEntry.objects.get().expires
        assert [cache.incr("pogingen") for _ in range(3)] == [2, 3, 4]
        assert CacheFallbackEntry.objects.get().expires == expires
        with pytest.raises(ValueError):
            cache.incr("nooit-gezet")


def test_a_dead_redis_sends_every_call_to_the_region_s_own_table(twente, caplog):
    dead = RedisWithDatabaseFallback(
        f"redis://127.0.0.1:{free_port()}/0", PARAMS | {"OPTIONS": {"socket_timeout": 1}}
    )
    with caplog.at_level(logging.WARNING, logger="meldpunt.cache"), tenant_context(twente):
        assert dead.add("ratelimit:follow:203.0.113.5:M-AAAA-BBBB", 1, 60)
        assert dead.incr("ratelimit:follow:203.0.113.5:M-AAAA-BBBB") == 2
        assert dead.get("ratelimit:follow:203.0.113.5:M-AAAA-BBBB") == 2
        (entry,) = CacheFallbackEntry.objects.all()
    assert "Redis cache unreachable (ConnectionError)" in caplog.text
    digest = hashlib.sha256(b"ratelimit:follow:203.0.113.5:M-AAAA-BBBB").hexdigest()
    assert entry.cache_key == f"twente::1:{digest}"  # the schema in the clear, the rest hashed
    with schema_context("public"):
        assert not CacheFallbackEntry.objects.exists()  # the region's own table, not the platform's


def test_a_version_is_renewed_at_commit_in_the_region_it_changed_in(
    twente, limburg, django_capture_on_commit_callbacks
):
    """A transfer changes the sending region and commits in the receiving one."""
    with tenant_context(twente):
        before = version_of("tellingen")
    with tenant_context(limburg):
        limburg_before = version_of("tellingen")
        with django_capture_on_commit_callbacks(execute=True), tenant_context(twente):
            renew_version("tellingen")
            renewed = version_of("tellingen")
        assert version_of("tellingen") == limburg_before
    with tenant_context(twente):
        assert version_of("tellingen") not in (before, renewed)
