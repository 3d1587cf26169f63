"""Who may open a page: the one decorator every page asks the policy with."""

import functools
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from accounts.policy import Action, marked, may

View = Callable[..., HttpResponse]


def allowed(*actions: Action, unseen: bool = False) -> Callable[[View], View]:
    """Signed in (else to the sign-in page) and allowed one of `actions` (else 403; a
    404 with `unseen`, for a page of one case or meeting: to whom may not see it, it is
    not there). Such a page asks again for its object, through its selector."""

    def decorator(view: View) -> View:
        @login_required
        @functools.wraps(view)
        def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not any(may(request.user, action) for action in actions):
                raise Http404 if unseen else PermissionDenied
            return view(request, *args, **kwargs)

        return marked(checked, actions)

    return decorator
