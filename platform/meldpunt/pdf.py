"""PDF documents (a meeting's agenda and minutes, a person's access overview, the yearly
report) rendered from templates by WeasyPrint. Nothing is fetched from outside: only
the platform's own static files can be referenced, so a PDF never calls out."""

from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

BASE_URL = "http://pdf.invalid/"  # resolves relative links; never fetched
STATIC_PREFIX = "/static/"


class StaticFilesOnly(URLFetcher):
    """WeasyPrint's fetcher, restricted to our own static files (CSS, images, fonts)."""

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        parts = urlsplit(url)
        static = url.startswith(BASE_URL) and parts.path.startswith(STATIC_PREFIX)
        found = None
        if static and ".." not in PurePosixPath(parts.path).parts:
            found = finders.find(parts.path.removeprefix(STATIC_PREFIX))
        if not found:
            raise ValueError(f"Only the platform's own static files may be used in a PDF: {url}")
        return super().fetch(Path(found).as_uri(), headers)


def render_pdf(template_name: str, context: dict, *, request: HttpRequest | None = None) -> bytes:
    html = render_to_string(template_name, context, request=request)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly()).write_pdf()


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """A PDF to download; never kept by a browser cache or a proxy."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
