"""The national administrator's app; lists the regions' open role grants as they open and close."""

from django.apps import AppConfig


class NationalConfig(AppConfig):
    name = "national"
    verbose_name = "Landelijk beheer"

    def ready(self) -> None:
        from accounts.signals import role_grant_decided, role_grant_opened
        from national.services import list_open_grant, unlist_decided_grant

        role_grant_opened.connect(list_open_grant, dispatch_uid="national-list-open-grant")
        role_grant_decided.connect(unlist_decided_grant, dispatch_uid="national-unlist-grant")
