"""Leads every signed-in user without MFA to set it up before anything else."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import LazyObject, empty
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
        # From here on the request carries the user itself, not the lazy stand-in the
        # authentication middleware put there: the policy, the context processors and the
        # templates read it some fifty times a page, each read through the stand-in one
        # more call. login() and logout() in a view, and DRF, set request.user themselves.
        user = request.user = resolved(request.user)
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


def resolved(user: AbstractBaseUser | AnonymousUser) -> AbstractBaseUser | AnonymousUser:
    """The object behind a lazy user, looked up now if it was not yet."""
    if not isinstance(user, LazyObject):
        return user
    if user._wrapped is empty:
        user._setup()
    return user._wrapped
