"""Which region a host name belongs to: cached, forgotten when a region or domain changes.

Every request starts with this lookup, so it is kept in the cache instead of
asked of PostgreSQL each time. The cache key carries the public schema's name
(django_tenants.cache.make_key), whichever schema the connection is in when a
key is written or forgotten. A cache that fails (Redis down) never fails the
request: the lookup then reads the database, as it would on a miss.
"""

import logging
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django_tenants.utils import get_public_schema_name, schema_context

from tenants.models import Domain, Region

logger = logging.getLogger(__name__)
# A missed invalidation (a bulk update bypasses the signals) heals within this time.
CACHE_SECONDS = 300


def cache_key(hostname: str) -> str:
    return f"region-for-host:{hostname}"


def _cached(operation: Callable[..., Any], *args: Any) -> Any:
    with schema_context(get_public_schema_name()):
        try:
            return operation(*args)
        except Exception as error:
            logger.warning("cache unavailable for the host lookup (%s)", type(error).__name__)
            return None


def region_for_host(hostname: str) -> Region:
    """The region (or the platform) at `hostname`; raises Domain.DoesNotExist for none."""
    region = _cached(cache.get, cache_key(hostname))
    if region is None:
        region = Domain.objects.select_related("tenant").get(domain=hostname).tenant
        _cached(cache.set, cache_key(hostname), region, CACHE_SECONDS)
    return region


def forget_hosts(hostnames: list[str]) -> None:
    """Drop cached lookups now and again at commit, so no request re-caches the old state."""

    def forget() -> None:
        _cached(cache.delete_many, [cache_key(hostname) for hostname in hostnames])

    forget()
    transaction.on_commit(forget)


@receiver(pre_save, sender=Domain)
def remember_previous_domain(sender, instance: Domain, **kwargs) -> None:
    instance.previous_domain = (
        Domain.objects.filter(pk=instance.pk).values_list("domain", flat=True).first()
        if instance.pk
        else None
    )


@receiver(post_save, sender=Domain)
@receiver(post_delete, sender=Domain)
def forget_changed_domain(sender, instance: Domain, **kwargs) -> None:
    forget_hosts(
        [name for name in (instance.domain, getattr(instance, "previous_domain", None)) if name]
    )


@receiver(post_save, sender=Region)
@receiver(post_delete, sender=Region)
def forget_changed_region(sender, instance: Region, **kwargs) -> None:
    """A suspension, reactivation or rename reaches every host of the region."""
    forget_hosts(
        list(Domain.objects.filter(tenant_id=instance.pk).values_list("domain", flat=True))
    )
