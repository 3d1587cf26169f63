"""Pages of the frontend that belong to no room: the answer to a host of no region."""

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse


def unknown_host(request: HttpRequest) -> HttpResponse:
    """A plain 404 for a host that belongs to no region."""
    return TemplateResponse(request, "frontend/unknown_host.html", status=404)
