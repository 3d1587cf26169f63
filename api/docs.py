"""The OpenAPI schema (/api/v1/schema/) and its browsable documentation (/api/v1/docs/),
on each domain for that domain's endpoints. Swagger UI comes from our own static files
(drf-spectacular-sidecar) and its start script from a URL of ours, so the site's
Content-Security-Policy (scripts and styles from 'self' only) holds on the page too."""

from django.urls import URLPattern, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api.permissions import Public


def docs_urls(prefix: str, *, urlconf: str) -> list[URLPattern]:
    # The contract is public, like the address of the report form: it holds no data.
    return [
        path(
            f"{prefix}schema/",
            SpectacularAPIView.as_view(
                urlconf=urlconf, permission_classes=[Public], authentication_classes=[]
            ),
            name="api-schema",
        ),
        path(
            f"{prefix}docs/",
            SpectacularSwaggerSplitView.as_view(
                url_name="api-schema",
                template_name="api/docs.html",
                permission_classes=[Public],
                authentication_classes=[],
            ),
            name="api-docs",
        ),
    ]
