"""Leads every signed-in user without MFA to set it up before anything else."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts.identity_providers import MFA_BY_PROVIDER_SESSION_KEY
from accounts.policy import mfa_satisfied

# The pages a user needs to finish setting up MFA, or to leave.
MFA_SETUP_URL_NAMES = frozenset(
    {
        "account_logout",
        "mfa_activate_totp",
        "account_reauthenticate",
        "mfa_reauthenticate",
        "set_language",
    }
)


class RequireMFAMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        user = request.user
        if user.is_authenticated and request.session.get(MFA_BY_PROVIDER_SESSION_KEY):
            # Signed in through an organisation's provider that vouched for two factors.
            user._mfa_satisfied = True
        if not user.is_authenticated or mfa_satisfied(user):
            return None
        match = request.resolver_match
        if match is not None and match.url_name in MFA_SETUP_URL_NAMES:
            return None
        messages.info(
            request,
            _(
                "Stel eerst tweestapsverificatie in. Zonder tweede stap krijgt u geen toegang "
                "tot gegevens van het meldpunt."
            ),
        )
        return redirect("mfa_activate_totp")
