"""Who may call an endpoint: every view of the API names its permission from here, so
that the policy is asked before the view runs (and a test can see that it is)."""

from rest_framework import exceptions
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request

from accounts.policy import PUBLIC, Action, may


class Public(AllowAny):
    """Open to anyone: the public report channel and the API's own description."""

    asks_policy = PUBLIC


def asks(*actions: Action, unseen: bool = False) -> type[BasePermission]:
    """Signed in (401) and allowed one of `actions` (403; 404 with `unseen`, for an
    endpoint of one case or meeting, as its selector answers for what one may not see)."""

    class AsksPolicy(BasePermission):
        asks_policy = actions

        def has_permission(self, request: Request, view) -> bool:
            if not request.user.is_authenticated:
                return False
            if any(may(request.user, action) for action in actions):
                return True
            if unseen:
                raise exceptions.NotFound
            return False

    return AsksPolicy
