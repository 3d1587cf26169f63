"""The region's configuration version (meldpunt.cache.version_of): renewed whenever
anything of the region's configuration is saved or deleted, so that what is built from
configuration (the public form's municipality list, the case list's filter choices,
the labels of codes) is cached under it and never outlives a change."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save

from meldpunt.cache import KeptInProcess, renew_version, version_of

CONFIGURATION = "configuratie"
T = TypeVar("T")
# What was built from a configuration version, kept in this process too: the labels
# and the filter choices came out of Redis and were unpickled on every page.
KEPT = KeptInProcess(most=256)  # versions of all regions together


def configuration_version() -> str:
    """The current region's configuration version."""
    return version_of(CONFIGURATION)


def built_from_configuration(name: str, build: Callable[[], T]) -> T:
    """`build()` for the current region's configuration version, made once: kept in this
    process and in the shared cache (for the other processes) under the version, so a
    change of the configuration (a new version) is never outlived. What it returns is
    shared by every request: read it, never change it."""
    key = f"{name}:{configuration_version()}"
    kept_as = f"{connection.schema_name}:{key}"
    value = KEPT.get(kept_as)
    if value is not None:
        return value
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, 24 * 3600)
    return KEPT.keep(kept_as, value)


def configuration_changed(**_signal: Any) -> None:
    renew_version(CONFIGURATION)


def watch_configuration() -> None:
    """Every save and delete of a configuration model (also a new one) is a change."""
    for model in apps.get_app_config("configuratie").get_models():
        for signal in (post_save, post_delete):
            signal.connect(configuration_changed, sender=model, dispatch_uid=f"versie-{model}")
        for many in model._meta.local_many_to_many:
            m2m_changed.connect(
                configuration_changed,
                sender=many.remote_field.through,
                dispatch_uid=f"versie-{many}",
            )
