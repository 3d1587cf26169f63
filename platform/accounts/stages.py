"""allauth's second-factor stage of the sign-in, which steps aside when the
organisation's identity provider vouched for more than one factor."""

from allauth.mfa import stages
from django.http import HttpRequest

from accounts.identity_providers import MFA_BY_PROVIDER


class AuthenticateStage(stages.AuthenticateStage):
    def _should_handle(self, request: HttpRequest) -> bool:
        sociallogin = (self.login.signal_kwargs or {}).get("sociallogin")
        if sociallogin is not None and sociallogin.state.get(MFA_BY_PROVIDER):
            return False
        return super()._should_handle(request)
