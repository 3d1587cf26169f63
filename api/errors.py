"""One shape for every error of the API, with a Dutch (translatable) message:

    {"fout": {"code": "niet_gevonden", "melding": "…", "velden": {"veld": ["…"]}}}

`code` is stable and meant for programs; `melding` is for people; `velden` names
the fields that were wrong (`algemeen` for what concerns the request as a whole).
Django's ValidationError from a service and the engine's refusal of a move are 400s
like a serializer's; Http404 and PermissionDenied keep the screens' 404 and 403.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.template import loader
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import defaults
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
)
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler

from api.parsers import TooLarge
from api.permissions import Public
from meldpunt.error_shape import body, for_api, json_error
from tenants.middleware import RegionSuspended
from workflow.engine import TransitionRefused

GENERAL = "algemeen"


def messages() -> dict[type[exceptions.APIException], tuple[str, str]]:
    """Code and message per kind of error, translated in the language of the request."""
    return {
        exceptions.NotAuthenticated: (
            "niet_ingelogd",
            _("Log in, of stuur een geldige API-token mee."),
        ),
        exceptions.AuthenticationFailed: (
            "niet_ingelogd",
            _("Deze inloggegevens of deze API-token worden niet (meer) aanvaard."),
        ),
        exceptions.PermissionDenied: ("geen_toegang", _("U mag dit niet doen.")),
        exceptions.NotFound: ("niet_gevonden", _("Niet gevonden, of u mag het niet zien.")),
        exceptions.MethodNotAllowed: (
            "methode_niet_toegestaan",
            _("Deze methode is hier niet toegestaan."),
        ),
        exceptions.NotAcceptable: (
            "niet_aanvaardbaar",
            _("De API antwoordt alleen in JSON."),
        ),
        exceptions.UnsupportedMediaType: (
            "niet_ondersteund",
            _("Stuur de gegevens als JSON (Content-Type: application/json)."),
        ),
        exceptions.ParseError: ("ongeldige_json", _("De gegevens zijn geen geldige JSON.")),
        exceptions.Throttled: (
            "te_veel_verzoeken",
            _("Te veel verzoeken. Probeer het later opnieuw."),
        ),
        TooLarge: (
            "te_groot",
            _("Het verzoek is te groot."),
        ),
        exceptions.ValidationError: (
            "ongeldig",
            _("De gegevens zijn niet in orde. Zie de velden."),
        ),
    }


# Refusals whose own message says more than the kind's: why a token is refused (the
# same words whatever the reason, api.authentication) and how long to wait.
KEEP_DETAIL = (exceptions.AuthenticationFailed, exceptions.Throttled)


def field_messages(detail: Any) -> dict[str, list[str]]:
    """DRF's nested error detail as one list of messages per (dotted) field."""
    found: dict[str, list[str]] = {}

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                name = GENERAL if key == "non_field_errors" else str(key)
                walk(inner, f"{path}.{name}" if path else name)
        elif isinstance(value, list) and value and not isinstance(value[0], str):
            for index, inner in enumerate(value):
                walk(inner, f"{path}.{index}" if path else str(index))
        elif isinstance(value, list):
            found.setdefault(path or GENERAL, []).extend(str(item) for item in value)
        elif value:
            found.setdefault(path or GENERAL, []).append(str(value))

    walk(detail, "")
    return found


def django_validation_fields(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            (GENERAL if key == "__all__" else key): [str(m) for m in messages_]
            for key, messages_ in error.message_dict.items()
        }
    return {GENERAL: [str(message) for message in error.messages]}


def handle(exc: Exception, context: dict) -> Response | None:
    """The REST_FRAMEWORK exception handler: every error in the one shape."""
    if isinstance(exc, TransitionRefused):
        return Response(
            body(
                "overgang_geweigerd",
                _("De casus kan niet naar die stap."),
                {GENERAL: [str(reason) for reason in exc.reasons]},
            ),
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(django_validation_fields(exc))
    if isinstance(exc, RequestDataTooBig):  # Django's own check, where DRF read .body
        exc = TooLarge()
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None  # a real bug: Django's 500, reported to Sentry
    code, message = next(
        (found for kind, found in messages().items() if isinstance(exc, kind)),
        ("fout", _("Het verzoek kon niet worden verwerkt.")),
    )
    if isinstance(exc, KEEP_DETAIL):  # their own Dutch message: the token's, the wait
        message = str(exc.detail)
    fields = field_messages(exc.detail) if isinstance(exc, exceptions.ValidationError) else {}
    response.data = body(code, message, fields)
    return response


# Django's own error pages, for what fails before a view of the API runs (a NUL byte in
# the address, an unknown address under /api/): JSON in the one shape there, the
# site's pages elsewhere.
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return too_large(request)
    if for_api(request):
        return json_error("ongeldig", _("Het verzoek is niet in orde."), 400)
    return defaults.bad_request(request, exception)


def too_large(request: HttpRequest) -> HttpResponse:
    """A body over Django's limits or REQUEST_BODY_MAX_BYTES: a 413 that says the limit
    (rendered without the request: the middleware refuses before sessions and users)."""
    if for_api(request):
        return json_error("te_groot", _("Het verzoek is te groot."), 413)
    page = loader.get_template("413.html").render(
        {
            "megabytes": settings.DOCUMENT_MAX_BYTES // 2**20,
            "text_megabytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 2**20,
        }
    )
    return HttpResponse(page, status=413)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if for_api(request):
        return json_error("niet_gevonden", _("Niet gevonden, of u mag het niet zien."), 404)
    return defaults.page_not_found(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if isinstance(exception, RegionSuspended):
        return region_suspended(request)
    if for_api(request):
        return json_error("geen_toegang", _("U mag dit niet doen."), 403)
    return defaults.permission_denied(request, exception)


def region_suspended(request: HttpRequest) -> HttpResponse:
    if for_api(request):
        # A program reads the API's one error shape, not the notice page.
        return json_error(
            "regio_opgeschort", _("Deze regio is tijdelijk niet beschikbaar op het platform."), 403
        )
    context = {"region": request.tenant}
    return TemplateResponse(request, "tenants/suspended.html", context, status=403).render()


def server_error(request: HttpRequest) -> HttpResponse:
    if for_api(request):
        return json_error("serverfout", _("Er ging iets mis aan onze kant."), 500)
    return defaults.server_error(request)


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@authentication_classes([])
@permission_classes([Public])
def unknown_endpoint(request: Request) -> Response:
    """Any other address under /api/: a 404 in the one shape, also where DEBUG would
    show Django's page for developers."""
    raise exceptions.NotFound()
