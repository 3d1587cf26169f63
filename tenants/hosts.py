"""Which region a host name belongs to: kept in each process, forgotten when a region or
domain changes.

Every request starts with this lookup. Each process keeps the regions it looked up by
host under the hosts' version token (meldpunt.cache.read_versions), in the platform's
cache, which every change of a region or domain renews; a request reads that token in
the same round trip as its region's version tokens (its configuration's, its counts'),
so it costs no lookup of its own. A cache that fails (Redis down) never fails the
request: the token is read from its PostgreSQL stand-in in the public schema then.
"""

import time
from contextlib import nullcontext

from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django_tenants.utils import get_public_schema_name, schema_context

from meldpunt.cache import NAMES_READ, KeptInProcess, read_versions, renew_version, version_of
from tenants.models import Domain, Region

HOSTS = "hosts"
# A missed invalidation (a bulk update bypasses the signals, or a change made while
# Redis was down that a process did not see) heals within this time.
CACHE_SECONDS = 300
# The regions by host this process looked up, under the hosts' version `under`, since
# `since`; bounded (a process that saw more hosts than this looks the oldest up again).
KNOWN = KeptInProcess(most=4096)
KEPT = {"under": "", "since": 0.0}


def region_for_host(hostname: str) -> Region:
    """The region (or the platform) at `hostname`; raises Domain.DoesNotExist for none.
    What it returns is shared by this process's requests: read it, never change it."""
    public = get_public_schema_name()
    known = KNOWN.get(hostname)
    # The known region's version tokens come along: the request asks for them anyway.
    names = sorted(NAMES_READ - {HOSTS}) if known is not None else []
    found = read_versions([(public, HOSTS)] + [(known.schema_name, name) for name in names])
    hosts = found.get((public, HOSTS))
    if hosts is None:  # Redis down, or no token yet
        with nullcontext() if connection.schema_name == public else schema_context(public):
            hosts = version_of(HOSTS)
    if hosts != KEPT["under"] or time.monotonic() - KEPT["since"] > CACHE_SECONDS:
        KNOWN.forget_all()
        KEPT.update(under=hosts, since=time.monotonic())
    elif known is not None:
        return known
    region = Domain.objects.select_related("tenant").get(domain=hostname).tenant
    return KNOWN.keep(hostname, region)


def forget_hosts() -> None:
    """Every process forgets the regions it knows by host, now and again at commit (so no
    request keeps what it read of the old state in between)."""
    with schema_context(get_public_schema_name()):
        renew_version(HOSTS)


@receiver(post_save, sender=Domain)
@receiver(post_delete, sender=Domain)
def forget_changed_domain(sender, instance: Domain, **kwargs) -> None:
    forget_hosts()


@receiver(post_save, sender=Region)
@receiver(post_delete, sender=Region)
def forget_changed_region(sender, instance: Region, **kwargs) -> None:
    """A suspension, reactivation or rename reaches every host of the region."""
    forget_hosts()
