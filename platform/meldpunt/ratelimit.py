"""Counting attempts per client address (and per address and code), per region.

The counts live in the cache: Redis, or PostgreSQL while Redis is down
(`meldpunt.cache`), so the limits hold through an outage and no request fails on
one; the cache hashes the keys, so no address or code is stored as such. Every
key holds the client address: a limit on a report code alone would let anyone
who knows the code lock its reporter out.
"""

from meldpunt.cache import count_within


def exceeded(client: str | None, scope: str, *, limit: int, window: int, key: str = "") -> bool:
    """Count one attempt from the client's address (audit.services.client_ip; for `key`,
    when given); True once more than `limit` were made within `window` seconds."""
    return count_within(f"ratelimit:{scope}:{client}:{key}", window) > limit
