"""The organisations' identity providers through which this schema's accounts may
sign in: a list, and one form to add, change or remove one."""

from allauth.utils import build_absolute_uri
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.decorators import allowed
from accounts.identity_providers import delete_identity_provider, save_identity_provider
from accounts.models import IdentityProvider
from accounts.policy import Action
from frontend.beheer.identity_forms import IdentityProviderForm


def redirect_uri(request: HttpRequest, provider: IdentityProvider) -> str:
    """The address the provider must send people back to (its redirect URI)."""
    path = reverse("openid_connect_callback", kwargs={"provider_id": provider.key})
    return build_absolute_uri(request, path)


@allowed(Action.MANAGE_SIGN_IN)
def provider_list(request: HttpRequest) -> HttpResponse:
    providers = [
        (provider, redirect_uri(request, provider)) for provider in IdentityProvider.objects.all()
    ]
    return render(request, "beheer/identity_providers.html", {"providers": providers})


@allowed(Action.MANAGE_SIGN_IN)
@require_http_methods(["GET", "POST"])
def provider_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = get_object_or_404(IdentityProvider, pk=pk) if pk else None
    if request.method == "POST" and instance is not None and "delete" in request.POST:
        delete_identity_provider(instance, by=request.user)
        messages.success(request, _("'%(name)s' is verwijderd.") % {"name": instance})
        return redirect("identity_providers:list")
    form = IdentityProviderForm(
        request.POST if request.method == "POST" else None, instance=instance
    )
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form._meta.fields}
        # The form wrote its values into its own copy; the service compares with the stored row.
        stored = IdentityProvider.objects.get(pk=pk) if pk else IdentityProvider()
        provider = save_identity_provider(stored, by=request.user, values=values)
        messages.success(
            request,
            _("'%(name)s' is opgeslagen. Geef de provider dit adres als redirect-URI: %(uri)s")
            % {"name": provider, "uri": redirect_uri(request, provider)},
        )
        return redirect("identity_providers:list")
    context = {
        "form": form,
        "instance": instance,
        "redirect_uri": redirect_uri(request, instance) if instance else "",
        "cancel_url": reverse("identity_providers:list"),
    }
    return render(
        request, "beheer/identity_provider_form.html", context, status=400 if form.errors else 200
    )
