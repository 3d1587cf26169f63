"""Selects the region's schema from the host, and turns suspended regions away.

The host lookup is cached (tenants.hosts); with TENANT_LIMIT_SET_CALLS a
request then sends one `SET search_path`, for the region's schema, with the
region's database role (tenants.postgresql_backend). When the response is done
the connection goes back to the public schema and the application's own role.
"""

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django_tenants.middleware.main import TenantMainMiddleware

from meldpunt.sentry import tag_region
from tenants.hosts import region_for_host
from tenants.models import Region


class RegionSuspended(PermissionDenied):
    """The region of the request is suspended. Django's 403 handler answers it: the
    notice page for people, the API's error shape for programs."""


class RegionMiddleware(TenantMainMiddleware):
    def get_tenant(self, domain_model, hostname: str) -> Region:
        return region_for_host(hostname)

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        response = super().process_request(request)
        if response is not None:
            return response
        region = request.tenant
        tag_region(region.slug)
        if region.is_suspended:
            raise RegionSuspended
        return None


def back_to_public(**kwargs) -> None:
    """The connection of a finished request leaves the region: whatever runs on it next
    (another request, a test, a management command's next step) starts as the platform.

    Costs no query: the next query sends `RESET ROLE` with the public search_path,
    unless the next request selects a region first.
    """
    connection.set_schema_to_public()
