"""The API of the platform domain, under /api/v1/ (included by meldpunt.urls_public)."""

from django.urls import path, re_path

from api import platform
from api.docs import docs_urls
from api.errors import unknown_endpoint
from api.urls import API

urlpatterns = [
    path(f"{API}regios/", platform.Regions.as_view(), name="api-regions"),
    path(f"{API}benchmark/", platform.Benchmark.as_view(), name="api-benchmark"),
    *docs_urls(API, urlconf=__name__),
    re_path(r"^api/", unknown_endpoint),
]
