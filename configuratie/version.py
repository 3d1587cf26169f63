"""The region's configuration version (meldpunt.cache.version_of): renewed whenever
anything of the region's configuration is saved or deleted, so that what is built from
configuration (the public form's municipality list, the case list's filter choices,
the labels of codes) is cached under it and never outlives a change."""

from typing import Any

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from meldpunt.cache import renew_version, version_of

CONFIGURATION = "configuratie"


def configuration_version() -> str:
    """The current region's configuration version."""
    return version_of(CONFIGURATION)


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
