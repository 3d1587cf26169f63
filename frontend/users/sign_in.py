"""allauth's sign-in page, which may lead to the organisations' providers, and its
OpenID Connect sign-in and callback, with a Dutch page instead of a 500 when the
organisation's provider cannot be reached or answers what is no provider's."""

import logging

from allauth.account import views as account
from allauth.socialaccount.providers.openid_connect import views as oidc
from django.http import HttpRequest, HttpResponse
from requests import RequestException

from accounts.adapters import provider_unavailable
from accounts.identity_providers import provider_origins

logger = logging.getLogger(__name__)

# What discovery raises for a provider that is down (RequestException), sends no JSON
# (ValueError) or leaves out an endpoint (KeyError).
PROVIDER_FAULTS = (RequestException, ValueError, KeyError)


def leading_to_providers(response: HttpResponse) -> HttpResponse:
    """A page whose forms post to us, which redirect to a provider: its policy must let
    its forms lead there."""
    origins = provider_origins()
    if origins:
        response._csp_update = {"form-action": origins}
    return response


def login_page(request: HttpRequest) -> HttpResponse:
    return leading_to_providers(account.login(request))


def provider_login(request: HttpRequest, provider_id: str) -> HttpResponse:
    try:
        # Opened without a post, allauth asks to confirm with a form of its own.
        return leading_to_providers(oidc.login(request, provider_id))
    except PROVIDER_FAULTS as error:
        logger.warning("Identity provider %s unavailable: %s", provider_id, type(error).__name__)
        return provider_unavailable(request)


def provider_callback(request: HttpRequest, provider_id: str) -> HttpResponse:
    try:
        return oidc.callback(request, provider_id)
    except PROVIDER_FAULTS as error:
        logger.warning("Identity provider %s unavailable: %s", provider_id, type(error).__name__)
        return provider_unavailable(request)
