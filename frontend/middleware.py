"""Request-wide rules of the frontend: the language, no stored copies of pages with
case data, no NUL bytes and no body larger than the site reads.

Dutch unless the user chose English: the browser's Accept-Language is not asked.
A Dutch public service answers in Dutch; an English-language browser alone is no
reason to switch. The choice made with the language button is kept in a cookie.
"""

import functools
import time
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import get_resolver, get_urlconf
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.http import http_date

# What add_never_cache_headers writes on a response that had neither header.
NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"


class ChosenLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class NoStoreForSignedInMiddleware:
    """Every page a signed-in user sees may hold case data or lead to it: no browser
    cache or proxy keeps a copy, so the back button of a shared computer shows nothing
    after signing out. (The public pages with a report's codes or status say so themselves.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated:
            never_cache(response)
        return response


def never_cache(response: HttpResponse) -> None:
    """add_never_cache_headers, the same headers written directly where the response has
    no caching headers of its own (nearly every page): Django's parses and merges the
    Cache-Control header twice and formats the date anew, a twentieth of a home page."""
    if "Cache-Control" in response or "Expires" in response:
        add_never_cache_headers(response)
        return
    response.headers["Expires"] = expires_now(int(time.time()))
    response.headers["Cache-Control"] = NEVER_CACHE


@functools.lru_cache(maxsize=1)
def expires_now(second: int) -> str:
    """http_date of this second (the header has seconds only): formatted once a second."""
    return http_date(second)


class RefuseNulBytesMiddleware:
    """A NUL byte is in no address of ours and in nothing a person types, and
    PostgreSQL refuses it in any text: let through, it ends as a 500. A path with one
    names no page (404); a query string with one is a bad request (400). Form fields
    refuse it themselves, with a message."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            return error_page(request, 404, Http404())
        if any("\x00" in key or "\x00" in value for key, value in request.GET.items()):
            return error_page(request, 400, BadRequest("NUL byte in the query string"))
        return self.get_response(request)


def error_page(request: HttpRequest, status: int, error: Exception) -> HttpResponse:
    """The site's own error page (the API's JSON under /api/), with DEBUG on too."""
    return get_resolver(get_urlconf()).resolve_error_handler(status)(request, error)


class RefuseLargeBodiesMiddleware:
    """A body larger than REQUEST_BODY_MAX_BYTES is refused by the size it declares,
    before any of it is read: Django limits the fields of a form, but streams an upload
    of any size to disk first. The error handler answers 413 with the limit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH", "")
        if declared.isdigit() and int(declared) > settings.REQUEST_BODY_MAX_BYTES:
            return error_page(request, 400, RequestDataTooBig("body larger than the site reads"))
        return self.get_response(request)
