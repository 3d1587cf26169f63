"""Personal API tokens on the API: `Authorization: Token <key>`.

Every refusal is the same 401 with the same message, whatever the reason (an
unknown key, another region's, revoked, expired, a deactivated account, a
suspended region), so that a caller learns nothing about a key it does not hold.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from accounts.models import ApiToken, User
from accounts.services import authenticate_api_key

KEYWORD = "Token"
REFUSED = _("Deze API-sleutel geeft geen toegang. Controleer de sleutel, of maak een nieuwe aan.")


class PersonalTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None  # no token: another authentication (the session) may apply
        try:
            (key,) = (part.decode("ascii") for part in parts[1:])
        except (ValueError, UnicodeDecodeError) as error:
            raise AuthenticationFailed(REFUSED) from error
        token = authenticate_api_key(key)
        if token is None:
            raise AuthenticationFailed(REFUSED)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        """Named in WWW-Authenticate, which makes an unauthenticated request a 401."""
        return KEYWORD
