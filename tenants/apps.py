"""The tenants app: regions, their domains and schemas."""

from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Regio's"

    def ready(self) -> None:
        from django.core.signals import request_finished

        from tenants import hosts  # noqa: F401  (connects the cache invalidation signals)
        from tenants.middleware import back_to_public

        request_finished.connect(back_to_public, dispatch_uid="tenants.back_to_public")
