"""The API's one error shape (api/errors.py says more), here in the platform core so that
what answers before any view of the API runs, such as the overload refusal
(meldpunt.overload), answers in it too:

    {"fout": {"code": "niet_gevonden", "melding": "…", "velden": {"veld": ["…"]}}}
"""

from django.http import HttpRequest, JsonResponse

API_PREFIX = "/api/"


def body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict:
    return {"fout": {"code": code, "melding": str(message), "velden": fields or {}}}


def for_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def json_error(code: str, message: str, status_code: int) -> JsonResponse:
    return JsonResponse(body(code, message), status=status_code)
