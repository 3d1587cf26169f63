"""One's own personal API tokens: the list, making one (its key shown once, on the
answer to the form and nowhere after), and revoking one after a confirmation. The
same screens on a region's domain and, for national administrators, on the platform's
(frontend.users.api_token_urls)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import services as account_services
from accounts.decorators import allowed
from accounts.models import ApiToken
from accounts.policy import Action, on_platform
from frontend.users.forms import ApiTokenForm


@allowed(Action.USE_API)
@require_http_methods(["GET", "POST"])
def api_token_list(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    created = key = None
    if request.method == "POST" and form.is_valid():
        try:
            created, key = account_services.create_api_token(
                request.user, name=form.cleaned_data["name"], expires_at=form.expiry()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = ApiTokenForm()
    # Rendered, not redirected: a redirect would need the key kept somewhere until the
    # next page, and it is kept nowhere. The page is not cached (NoStoreForSignedInMiddleware).
    context = {
        "form": form,
        "tokens": ApiToken.objects.filter(user=request.user),
        "created": created,
        "key": key,
        "on_platform": on_platform(),
    }
    return render(request, "users/api_tokens.html", context, status=400 if form.errors else 200)


@allowed(Action.USE_API)
@require_http_methods(["GET", "POST"])
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user, revoked_at__isnull=True)
    if request.method == "POST":
        try:
            account_services.revoke_api_token(request.user, token)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request, _("De API-sleutel %(name)s is ingetrokken.") % {"name": token.name}
            )
        return redirect("users:api_tokens")
    return render(request, "users/api_token_revoke.html", {"token": token})
