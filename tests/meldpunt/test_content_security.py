"""The site's policy built once gives every response the header django-csp gives it."""

import pytest
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from meldpunt.content_security import ContentSecurityPolicyMiddleware


def plain(response: HttpResponse) -> None:
    pass


def own_update(response: HttpResponse) -> None:
    response._csp_update = {"form-action": ["https://login.example.org"]}


def exempt(response: HttpResponse) -> None:
    response._csp_exempt = True


def set_by_the_view(response: HttpResponse) -> None:
    response["Content-Security-Policy"] = "default-src 'none'"


@pytest.mark.parametrize("shape", [plain, own_update, exempt, set_by_the_view])
@pytest.mark.parametrize("with_nonce", [False, True])
@pytest.mark.parametrize("report_only", [None, {"DIRECTIVES": {"default-src": ["'self'"]}}])
def test_every_response_has_the_header_django_csp_gives_it(
    shape, with_nonce, report_only, settings
):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = report_only
    headers = []
    for middleware_class in (CSPMiddleware, ContentSecurityPolicyMiddleware):
        request = RequestFactory().get("/melden/")

        def view(request):
            response = HttpResponse("ok")
            if with_nonce:
                str(request.csp_nonce)
            shape(response)
            return response

        response = middleware_class(view)(request)
        headers.append(
            (
                response.get("Content-Security-Policy"),
                response.get("Content-Security-Policy-Report-Only"),
            )
        )
    assert headers[1] == headers[0]
    assert headers[0] != (None, None) or (shape is exempt and not report_only)
