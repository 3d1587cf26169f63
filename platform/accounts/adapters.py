"""allauth behaviour for the platform: no sign-up, issuer per region, MFA kept."""

from datetime import timedelta

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from meldpunt.encryption import decrypt, encrypt


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are created by an administrator, who sends an invitation.
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        # Reauthentication guards existing second factors. A user setting up the
        # first one right after signing in has none to guard, and one who has just
        # proved the new authenticator app may see their recovery codes; asking
        # the password again at those moments only teaches people to type it.
        request = context.request
        user = request.user if request is not None else None
        if (
            app == "allauth.mfa"
            and user is not None
            and user.is_authenticated
            and is_setting_up_mfa(user)
        ):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)


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
