"""The cache: Redis, and a table in PostgreSQL in its place while Redis cannot be reached.

Rate limits (the report form's, the follow-up page's and allauth's sign-in and
password-reset limits) and allauth's TOTP replay protection live in the cache. A
cache that raises when Redis is down fails those pages with a 500; one that
quietly answers "nothing stored" would switch the limits off. Falling back to
PostgreSQL keeps both: pages answer and limits hold while Redis is away. The table
exists in every schema (migration 0001), so a region's entries stay in its own
schema, found through the search path.
"""

import hashlib
import logging
import time
from collections import OrderedDict
from contextlib import nullcontext
from contextvars import ContextVar
from typing import Any
from uuid import uuid4

from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.core.signals import request_finished, request_started
from django.db import connection, transaction
from django_tenants.utils import schema_context
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

FALLBACK_TABLE = "meldpunt_cache_fallback"
# After a failure Redis is left alone this long: a request that makes ten cache
# calls must not wait ten times for a server that does not answer.
REDIS_RETRY_AFTER_SECONDS = 5.0
# Entries only accumulate while Redis is down; Django's database cache culls above this.
FALLBACK_MAX_ENTRIES = 100_000


def make_key(key: str, key_prefix: str, version: int) -> str:
    """The schema in the clear, so that regions never share an entry; the key itself
    hashed, because callers build keys from addresses, e-mail addresses and report
    codes, and those stay out of the cache."""
    return key_in(connection.schema_name, key, key_prefix, version)


def key_in(schema: str, key: str, key_prefix: str, version: int) -> str:
    """make_key's key as it is in the cache of `schema`, whichever schema is current."""
    digest = hashlib.sha256(str(key).encode()).hexdigest()
    return f"{schema}:{key_prefix}:{version}:{digest}"


def count_within(key: str, window: int) -> int:
    """Add one to the counter `key` in the cache and return it: it starts at 1 and is
    forgotten `window` seconds after it started. Atomic in Redis and in the fallback,
    so the rate limits count every attempt, with Redis up or down."""
    if cache.add(key, 1, window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window)
        return 1


class LockingDatabaseCache(DatabaseCache):
    """Django's database cache with an `incr` that behaves as Redis's does: atomic
    (the base class reads, then writes, so two requests at once would count one
    attempt) and keeping the entry's expiry (the base class resets it to the default)."""

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        from meldpunt.models import CacheFallbackEntry  # that module imports this one

        made_key = self.make_and_validate_key(key, version)
        entry = CacheFallbackEntry.objects.select_for_update().filter(cache_key=made_key)
        with transaction.atomic():
            expires = entry.values_list("expires", flat=True).first()  # locks the row
            value = super().incr(key, delta, version)  # ValueError when missing or expired
            entry.update(expires=expires)
            return value


class RedisWithDatabaseFallback(BaseCache):
    """Every call goes to Redis; when Redis fails, to PostgreSQL, with a warning in the log."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        self.redis = RedisCache(server, params)
        database_params = {key: value for key, value in params.items() if key != "OPTIONS"}
        database_params["OPTIONS"] = {"MAX_ENTRIES": FALLBACK_MAX_ENTRIES}
        self.database = LockingDatabaseCache(FALLBACK_TABLE, database_params)
        self.redis_down_until = 0.0

    def _call(self, method: str, *args: Any) -> Any:
        if time.monotonic() >= self.redis_down_until:
            try:
                return getattr(self.redis, method)(*args)
            except RedisError as error:
                self._redis_failed(error)
        return getattr(self.database, method)(*args)

    def _redis_failed(self, error: RedisError) -> None:
        self.redis_down_until = time.monotonic() + REDIS_RETRY_AFTER_SECONDS
        logger.warning(
            "Redis cache unreachable (%s): using PostgreSQL for the next %.0f s",
            type(error).__name__,
            REDIS_RETRY_AFTER_SECONDS,
        )

    def get_in_schemas(self, keys: list[tuple[str, str]]) -> list[Any]:
        """The values (None where missing) of `keys`, pairs of a schema and a key in that
        schema's cache: one round trip to Redis for all, whichever schema is current.
        None for every key while Redis is down: the stand-in tables of other schemas are
        out of the current database role's reach."""
        if time.monotonic() >= self.redis_down_until:
            made = [key_in(schema, key, self.key_prefix, self.version) for schema, key in keys]
            try:
                found = self.redis._cache.get_many(made)
            except RedisError as error:
                self._redis_failed(error)
            else:
                return [found.get(key) for key in made]
        return [None] * len(keys)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        return self._call("add", key, value, timeout, version)

    def get(self, key, default=None, version=None) -> Any:
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None) -> bool:
        return self._call("delete", key, version)

    def get_many(self, keys, version=None) -> dict:
        return self._call("get_many", keys, version)

    def has_key(self, key, version=None) -> bool:
        return self._call("has_key", key, version)

    def incr(self, key, delta=1, version=None) -> int:
        return self._call("incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None) -> list:
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys, version=None) -> None:
        self._call("delete_many", keys, version)

    def clear(self) -> None:
        self._call("clear")

    def close(self, **kwargs: Any) -> None:
        self.redis.close(**kwargs)
        self.database.close(**kwargs)


# The version tokens a request has read, by schema and name: a page asked Redis for the
# same token up to three times. Only while a request is served (request_started to
# request_finished): a task or a shell, which may run for hours, asks Redis every time.
REQUEST_VERSIONS: ContextVar[dict[tuple[str, str], str] | None] = ContextVar(
    "request_versions", default=None
)


def remember_versions(**_signal: Any) -> None:
    REQUEST_VERSIONS.set({})


def forget_versions(**_signal: Any) -> None:
    REQUEST_VERSIONS.set(None)


request_started.connect(remember_versions, dispatch_uid="meldpunt.cache.remember_versions")
request_finished.connect(forget_versions, dispatch_uid="meldpunt.cache.forget_versions")


# The names of the version tokens this process has read (a handful, named in code):
# tenants.hosts reads a region's all at once with the request's first round trip.
NAMES_READ: set[str] = set()


def version_of(name: str) -> str:
    """The current version token of `name` (e.g. the region's configuration) in the
    current region's cache: what is built from it is cached under the token, and never
    outlives a change, which renews the token. A lost token is replaced by a new one,
    which only costs a rebuild. Read once per request: a change another process makes
    meanwhile is seen from the next request on, as if it had come a moment later."""
    NAMES_READ.add(name)
    read = REQUEST_VERSIONS.get()
    if read is not None and (token := read.get((connection.schema_name, name))) is not None:
        return token
    key = f"versie:{name}"
    token = cache.get(key)
    if token is None:
        token = uuid4().hex
        if not cache.add(key, token, None):
            token = cache.get(key) or token
    if read is not None:
        read[(connection.schema_name, name)] = token
    return token


def read_versions(wanted: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The version tokens of `wanted` (pairs of a schema and a name) that exist, in one
    round trip whichever schema is current, kept for the rest of the request as
    version_of's are. Nothing while Redis is down: version_of reads each then."""
    tokens = cache.get_in_schemas([(schema, f"versie:{name}") for schema, name in wanted])
    found = {pair: token for pair, token in zip(wanted, tokens, strict=True) if token is not None}
    if (read := REQUEST_VERSIONS.get()) is not None:
        read.update(found)
    return found


def renew_version(name: str) -> None:
    """`name` changed in the current region: a new token, at once and again when the
    transaction commits (a request that rebuilt an entry from the old rows in between
    has put it under a token nobody asks for any more). This request reads it anew."""
    key = f"versie:{name}"
    schema = connection.schema_name

    def renew() -> None:
        # At commit the code may have left the region (a transfer commits in the
        # receiving one): the key is the region's where the change was made.
        with nullcontext() if connection.schema_name == schema else schema_context(schema):
            cache.set(key, uuid4().hex, None)
        if (read := REQUEST_VERSIONS.get()) is not None:
            read.pop((schema, name), None)

    renew()
    transaction.on_commit(renew)


class KeptInProcess:
    """What one process keeps beside the shared cache (a round trip and an unpickling
    less per request), at most `most` entries, the least recently used dropped first.
    A key names everything its value depends on: the region, the version tokens."""

    def __init__(self, most: int) -> None:
        self.most = most
        self.entries: OrderedDict[Any, Any] = OrderedDict()

    def get(self, key: Any) -> Any:
        """The value kept under `key`, or None."""
        value = self.entries.get(key)
        if value is not None:
            self.entries.move_to_end(key)
        return value

    def keep(self, key: Any, value: Any) -> Any:
        self.entries[key] = value
        if len(self.entries) > self.most:
            self.entries.popitem(last=False)
        return value

    def forget_all(self) -> None:
        self.entries.clear()
