"""The tenants app: regions, their domains and schemas."""

from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Regio's"

    def ready(self) -> None:
        from tenants import hosts  # noqa: F401  (connects the cache invalidation signals)
