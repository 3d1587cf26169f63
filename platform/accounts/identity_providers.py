"""Signing in through an organisation's OpenID Connect provider: the providers of the
current schema as allauth sees them, who may sign in through one, and the
administrator's changes to them.

allauth does the protocol (discovery, the code flow with PKCE, the ID token's issuer
and audience); this module decides only what is ours: which providers a schema has,
that a sign-in never creates an account, and when the provider's word counts as the
second factor.
"""

from typing import Any
from urllib.parse import urlsplit

from allauth.account import signals as allauth_signals
from allauth.core.internal.datakit import parse_bool_safely
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.db import transaction
from django.dispatch import receiver

from accounts.models import IdentityProvider, User
from accounts.policy import Action, require
from audit.models import AuditAction
from audit.services import record

# What a sign-in's SocialLogin.state carries to the MFA stage: the provider vouched
# for more than one factor.
MFA_BY_PROVIDER = "meldpunt_mfa_by_provider"
# The same in the session, once signed in (accounts.middleware reads it).
MFA_BY_PROVIDER_SESSION_KEY = "meldpunt_mfa_by_provider"


def social_apps(key: str | None = None, client_id: str | None = None) -> list[SocialApp]:
    """The current schema's providers as allauth's (unsaved) SocialApps."""
    rows = IdentityProvider.objects.all()
    if key is not None and key != OpenIDConnectProvider.id:
        rows = rows.filter(key=key)
    if client_id is not None:
        rows = rows.filter(client_id=client_id)
    return [
        SocialApp(
            provider=OpenIDConnectProvider.id,
            provider_id=row.key,
            name=row.name,
            client_id=row.client_id,
            secret=row.client_secret,
            settings={"server_url": row.issuer, "oauth_pkce_enabled": True},
        )
        for row in rows
    ]


def provider_claims(extra_data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The person's claims (userinfo where fetched, else the ID token) and the ID token."""
    id_token = extra_data.get("id_token") or {}
    return extra_data.get("userinfo") or id_token, id_token


def account_for_sign_in(provider: IdentityProvider, claims: dict[str, Any]) -> User | None:
    """The active account of this schema that the provider's verified e-mail address
    names, when the provider answers for its domain; None otherwise. Nobody is created."""
    email = str(claims.get("email") or "").strip().lower()
    if not email or not parse_bool_safely(claims.get("email_verified")):
        return None
    if not provider.answers_for(email):
        return None
    return User.objects.filter(email__iexact=email, is_active=True).first()


def refuse_sign_in(provider: IdentityProvider, claims: dict[str, Any]) -> None:
    """Log a refused sign-in: which provider, and the account only if it exists."""
    email = str(claims.get("email") or "").strip()[:254]
    account = User.objects.filter(email__iexact=email).first() if email else None
    record(
        AuditAction.LOGIN_FAILED,
        target=account,
        detail={
            "identiteitsprovider": provider.key,
            "poging_voor": account.email if account else "onbekend account",
        },
    )


def save_identity_provider(
    provider: IdentityProvider, *, by: User, values: dict[str, Any]
) -> IdentityProvider:
    """Add or change a provider; the secret itself never goes into the audit line."""
    require(by, Action.MANAGE_SIGN_IN)
    creating = provider.pk is None
    changes = {}
    for field, value in values.items():
        old = getattr(provider, field)
        if old != value:
            shown = ("•••", "•••") if field == "client_secret" else (old, value)
            changes[field] = ("" if creating else shown[0], shown[1])
            setattr(provider, field, value)
    with transaction.atomic():
        provider.full_clean()
        provider.save()
        record(
            AuditAction.CREATE if creating else AuditAction.CHANGE,
            user=by,
            target=provider,
            changes=changes,
        )
    return provider


def delete_identity_provider(provider: IdentityProvider, *, by: User) -> None:
    require(by, Action.MANAGE_SIGN_IN)
    with transaction.atomic():
        record(AuditAction.CHANGE, user=by, target=provider, detail={"verwijderd": str(provider)})
        provider.delete()


@receiver(allauth_signals.user_logged_in, dispatch_uid="accounts_mfa_by_provider")
def remember_mfa_by_provider(sender, request, user, sociallogin=None, **kwargs) -> None:
    """Keep, for the session, that the provider vouched for the second factor (or forget
    it, for any other sign-in)."""
    if sociallogin is not None and sociallogin.state.get(MFA_BY_PROVIDER):
        request.session[MFA_BY_PROVIDER_SESSION_KEY] = sociallogin.account.provider
    else:
        request.session.pop(MFA_BY_PROVIDER_SESSION_KEY, None)


def provider_origins() -> list[str]:
    """The origins of the current schema's providers, which the sign-in page's forms
    must be allowed to lead to (its Content-Security-Policy's form-action): a provider's
    authorisation endpoint is on its issuer's origin."""
    origins = set()
    for issuer in IdentityProvider.objects.values_list("issuer", flat=True):
        parts = urlsplit(issuer)
        origins.add(f"{parts.scheme}://{parts.netloc}")
    return sorted(origins)
