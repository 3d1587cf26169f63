"""allauth behaviour for the platform: no sign-up, issuer per region, MFA kept,
the client address from the trusted proxy, links in e-mail on the configured address,
mail through the outbox; each schema's own OpenID Connect providers, which sign in
invited accounts only."""

import logging
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from allauth.socialaccount.providers.base import AuthProcess
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from accounts.identity_providers import (
    MFA_BY_PROVIDER,
    account_for_sign_in,
    provider_claims,
    refuse_sign_in,
    social_apps,
)
from accounts.models import IdentityProvider
from accounts.services import link_in_email
from audit.services import client_ip
from meldpunt.encryption import decrypt, encrypt
from meldpunt.outbox import queue_email

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are created by an administrator, who sends an invitation.
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        # One answer for every rate limit and the audit log (see TRUSTED_PROXIES).
        address = client_ip(request)
        if not address:
            raise PermissionDenied("No client address")
        return address

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth counts failed sign-ins per "key" (ACCOUNT_RATE_LIMITS["login_failed"]).
        # Its key is the account alone, so five wrong passwords from anyone would lock the
        # owner out: a button for an attacker. Keyed on account and address, a guesser
        # only slows down themselves; the second factor stops one with many addresses.
        # (The Host header that allauth's own key holds is left out: a client chooses it.)
        login = str(credentials.get("email") or credentials.get("username") or "").lower()
        return f"{login}:{self.get_client_ip(request)}"

    def get_reset_password_from_key_url(self, key: str) -> str:
        # allauth's own builds on the request's Host header, port and all.
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return link_in_email(path.replace("UID-KEY", quote(key)))

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # Through the outbox like every mail: a mail server that is down delays the
        # password link and never answers the request with a 500.
        request = allauth_context.request
        context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            "site_url": link_in_email("/"),
        } | context
        message = self.render_mail(template_prefix, email, context)
        queue_email(email, message.subject, message.body)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        # Reauthentication guards existing second factors. A user setting up the
        # first one right after signing in has none to guard, and one who has just
        # proved the new authenticator app may see their recovery codes; asking
        # the password again at those moments only teaches people to type it.
        request = allauth_context.request
        user = request.user if request is not None else None
        if (
            app == "allauth.mfa"
            and user is not None
            and user.is_authenticated
            and is_setting_up_mfa(user)
        ):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def get_login_stages(self) -> list[str]:
        # Our second-factor stage steps aside for a provider that vouched for one.
        return [
            "accounts.stages.AuthenticateStage"
            if stage == "allauth.mfa.stages.AuthenticateStage"
            else stage
            for stage in super().get_login_stages()
        ]


def is_setting_up_mfa(user) -> bool:
    since = timezone.now() - timedelta(seconds=account_settings.REAUTHENTICATION_TIMEOUT)
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return totp is None or totp.created_at >= since


class MFAAdapter(DefaultMFAAdapter):
    def get_totp_issuer(self) -> str:
        tenant = getattr(connection, "tenant", None)
        if tenant is None or tenant.schema_name == "public":
            return "Meldpunt platform"
        return f"Meldpunt {tenant.name}"

    def encrypt(self, text: str) -> str:
        # TOTP secrets and recovery-code seeds, under the keys of the account's schema.
        return encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt(encrypted_text)

    def can_delete_authenticator(self, authenticator) -> bool:
        # MFA is mandatory: a user cannot switch it off, only an administrator can reset it.
        return False


def provider_unavailable(request: HttpRequest) -> HttpResponse:
    """The page for a provider that is down, refuses us or answers nonsense: the
    password sign-in stays open."""
    return render(request, "socialaccount/provider_unavailable.html", status=502)


class IdentityProviderAdapter(DefaultSocialAccountAdapter):
    def list_apps(
        self, request: HttpRequest, provider: str | None = None, client_id: str | None = None
    ) -> list[SocialApp]:
        # The current schema's own providers only: never settings, never another region's.
        return social_apps(key=provider, client_id=client_id)

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        if sociallogin.state.get("process") != AuthProcess.LOGIN:
            # Signing in only: no links between accounts and providers are kept.
            raise ImmediateHttpResponse(render(request, "403.html", status=403))
        provider = IdentityProvider.objects.filter(key=sociallogin.account.provider).first()
        if provider is None:  # removed by the administrator during the sign-in
            raise ImmediateHttpResponse(provider_unavailable(request))
        claims, id_token = provider_claims(sociallogin.account.extra_data)
        account = account_for_sign_in(provider, claims)
        if account is None:
            refuse_sign_in(provider, claims)
            raise ImmediateHttpResponse(
                render(
                    request,
                    "socialaccount/not_invited.html",
                    {"provider": provider},
                    status=403,
                )
            )
        # Signed in as the invited account; allauth saves no link and no tokens.
        sociallogin.user = account
        sociallogin.state[MFA_BY_PROVIDER] = provider.asserts_mfa(id_token)

    def on_authentication_error(
        self, request: HttpRequest, provider, error=None, exception=None, extra_context=None
    ) -> None:
        logger.warning(
            "Sign-in through identity provider %s failed: %s %s",
            provider.app.provider_id if provider is not None else "?",
            error,
            type(exception).__name__ if exception is not None else "",
        )
        raise ImmediateHttpResponse(provider_unavailable(request))
