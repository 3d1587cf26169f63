"""The sign-in backends, reading a signed-in user with what the policy asks of them on
every request (TOTP set up, role codes) in one statement instead of two.

Sessions name the backend that signed their user in; those written before these
classes (Django's and allauth's own) are read as naming these (accounts.sessions)."""

from typing import TYPE_CHECKING

from allauth.account import auth_backends
from django.contrib.auth import backends

from accounts.policy import user_with_access

if TYPE_CHECKING:
    from accounts.models import User


class UserWithAccess:
    def get_user(self, user_id: object) -> "User | None":
        user = user_with_access(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(UserWithAccess, backends.ModelBackend):
    pass


class AuthenticationBackend(UserWithAccess, auth_backends.AuthenticationBackend):
    pass


# The backends' names before, as sessions written then name them.
RENAMED = {
    "django.contrib.auth.backends.ModelBackend": "accounts.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": "accounts.backends.AuthenticationBackend",
}
