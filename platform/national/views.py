"""National administration on the platform domain: regions, onboarding, suspension."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.policy import Action, require
from national.forms import OnboardRegionForm
from tenants.models import Region
from tenants.services import onboarding


@login_required
def regions(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.MANAGE_REGIONS)
    listing = Region.objects.regions().prefetch_related("domains")
    return render(request, "national/regions.html", {"regions": listing})


@login_required
@require_http_methods(["GET", "POST"])
def onboard(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.MANAGE_REGIONS)
    form = OnboardRegionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = onboarding.onboard_region(
                slug=data["slug"],
                name=data["name"],
                domain=data["domain"] or onboarding.default_domain(data["slug"].strip().lower()),
                admin_email=data["admin_email"],
                preset=data["preset"],
                actor=request.user,
            )
        except onboarding.OnboardingError as error:
            for field, message in error.message_dict.items():
                form.add_error(field if field in form.fields else None, message)
        else:
            if result.created:
                messages.success(
                    request,
                    _(
                        "Regio %(name)s is aangemaakt. De regiobeheerder heeft een uitnodiging gekregen."
                    )
                    % {"name": result.region.name},
                )
            else:
                messages.info(
                    request,
                    _("Regio %(name)s bestond al; er is niets veranderd.")
                    % {"name": result.region.name},
                )
            return redirect("national:regions")
    status = 400 if form.errors else 200
    context = {"form": form, "cancel_url": reverse("national:regions")}
    return render(request, "national/onboard.html", context, status=status)


@login_required
@require_POST
def suspension(request: HttpRequest, slug: str) -> HttpResponse:
    require(request.user, Action.MANAGE_REGIONS)
    region = get_object_or_404(Region.objects.regions(), slug=slug)
    suspend = request.POST.get("suspend") == "1"
    onboarding.set_suspended(region, suspend, actor=request.user)
    if suspend:
        messages.success(request, _("Regio %(name)s is opgeschort.") % {"name": region.name})
    else:
        messages.success(request, _("Regio %(name)s is weer actief.") % {"name": region.name})
    return redirect("national:regions")
