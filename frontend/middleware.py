"""Request-wide rules of the frontend: the language, no stored copies of pages with
case data, no NUL bytes and no body larger than the site reads.

Dutch unless the user chose English: the browser's Accept-Language is not asked.
A Dutch public service answers in Dutch; an English-language browser alone is no
reason to switch. The choice made with the language button is kept in a cookie.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import get_resolver, get_urlconf
from django.utils import translation
from django.utils.cache import add_never_cache_headers


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
            add_never_cache_headers(response)
        return response


class RefuseNulBytesMiddleware:
    """A NUL byte is in no address of ours and in nothing a person types, and
    PostgreSQL refuses it in any text: let through, it ends as a 500. A path with one
    names no page (404); a query string with one is a bad request (400). Form fields
    refuse it themselves, with a message."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The site's own error pages (the API's JSON under /api/), with DEBUG on too.
        handler = get_resolver(get_urlconf()).resolve_error_handler
        if "\x00" in request.path:
            return handler(404)(request, Http404())
        if any("\x00" in key or "\x00" in value for key, value in request.GET.items()):
            return handler(400)(request, BadRequest("NUL byte in the query string"))
        return self.get_response(request)


class RefuseLargeBodiesMiddleware:
    """A body larger than REQUEST_BODY_MAX_BYTES is refused by the size it declares,
    before any of it is read: Django limits the fields of a form, but streams an upload
    of any size to disk first. The error handler answers 413 with the limit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH", "")
        if declared.isdigit() and int(declared) > settings.REQUEST_BODY_MAX_BYTES:
            handler = get_resolver(get_urlconf()).resolve_error_handler
            return handler(400)(request, RequestDataTooBig("body larger than the site reads"))
        return self.get_response(request)
