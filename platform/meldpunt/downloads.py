"""Files the site hands over to download: one response for all of them, named as
RFC 6266 says (a name outside ASCII as `filename*=utf-8''…`, as Django's FileResponse
does) and never kept by a browser cache or a proxy."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def safe_filename(name: str) -> str:
    """The name for the download header: no path, no quotes, no control characters."""
    kept = "".join(c for c in name.rsplit("/", 1)[-1] if c.isprintable() and c not in '"\\')
    return kept[:150] or "document"


def download(content: bytes | str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=safe_filename(filename)
    )
    response["Cache-Control"] = "no-store"
    return response
