"""PDF documents (a meeting's agenda and minutes, a person's access overview, the yearly
report) rendered from templates by WeasyPrint. Nothing is fetched from outside: only
the platform's own static files can be referenced, so a PDF never calls out."""

from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from meldpunt.downloads import download

BASE_URL = "http://pdf.invalid/"  # resolves relative links; never fetched
STATIC_PREFIX = "/static/"


class StaticFilesOnly(URLFetcher):
    """WeasyPrint's fetcher, restricted to our own static files (CSS, images, fonts)."""

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        parts = urlsplit(url)
        static = url.startswith(BASE_URL) and parts.path.startswith(STATIC_PREFIX)
        found = None
        if static and ".." not in PurePosixPath(parts.path).parts:
            name = parts.path.removeprefix(STATIC_PREFIX)
            found = finders.find(name) or collected(name)
        if not found:
            raise ValueError(f"Only the platform's own static files may be used in a PDF: {url}")
        return super().fetch(Path(found).as_uri(), headers)


def collected(name: str) -> str | None:
    """A file among the collected static files: with production settings `{% static %}`
    names the hashed copy (`pdf.<hash>.css`), which only STATIC_ROOT holds."""
    if staticfiles_storage.exists(name):
        return staticfiles_storage.path(name)
    return None


def render_pdf(template_name: str, context: dict, *, request: HttpRequest | None = None) -> bytes:
    html = render_to_string(template_name, context, request=request)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly()).write_pdf()


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    return download(content, filename, "application/pdf")
