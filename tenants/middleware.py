"""Selects the region's schema from the host, and turns suspended regions away."""

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django_tenants.middleware.main import TenantMainMiddleware

from meldpunt.sentry import tag_region


class RegionMiddleware(TenantMainMiddleware):
    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        response = super().process_request(request)
        if response is not None:
            return response
        region = request.tenant
        tag_region(region.slug)
        if region.is_suspended:
            response = TemplateResponse(
                request, "tenants/suspended.html", {"region": region}, status=403
            )
            return response.render()
        return None
