"""National administration on the platform domain: regions, onboarding, suspension,
and the role grants of regions without a second regiobeheerder."""

from django.contrib import messages
from django.core.exceptions import BadRequest, ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.decorators import allowed
from accounts.models import Role
from accounts.policy import Action
from national import services
from national.forms import ContactDetailsForm, OnboardRegionForm, SuspensionForm
from national.models import OpenRoleGrant
from tenants.models import Region
from tenants.services import onboarding
from tenants.services.contact import set_contact_details


@allowed(Action.MANAGE_REGIONS)
def regions(request: HttpRequest) -> HttpResponse:
    listing = Region.objects.regions().prefetch_related("domains")
    context = {"regions": listing, "open_grant_count": OpenRoleGrant.objects.count()}
    return render(request, "national/regions.html", context)


@allowed(Action.MANAGE_REGIONS)
@require_http_methods(["GET", "POST"])
def onboard(request: HttpRequest) -> HttpResponse:
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


@allowed(Action.MANAGE_REGIONS)
@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest, slug: str) -> HttpResponse:
    """The contact details other meldpunten see when they know the same person."""
    region = get_object_or_404(Region.objects.regions(), slug=slug)
    form = ContactDetailsForm(request.POST or None, initial=ContactDetailsForm.initial_of(region))
    if request.method == "POST" and form.is_valid():
        try:
            set_contact_details(region, actor=request.user, values=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("De contactgegevens van %(name)s zijn opgeslagen.") % {"name": region.name},
            )
            return redirect("national:regions")
    context = {"form": form, "region": region, "cancel_url": reverse("national:regions")}
    return render(request, "national/contact.html", context, status=400 if form.errors else 200)


@allowed(Action.MANAGE_REGIONS)
@require_http_methods(["GET", "POST"])
def suspension(request: HttpRequest, slug: str, suspend: bool) -> HttpResponse:
    """Suspend (or reactivate) a region after a confirmation page that asks the reason."""
    region = get_object_or_404(Region.objects.regions(), slug=slug)
    if region.is_suspended == suspend:  # a second tab, or the back button
        already = (
            _("Regio %(name)s is al opgeschort.") if suspend else _("Regio %(name)s is al actief.")
        )
        messages.info(request, already % {"name": region.name})
        return redirect("national:regions")
    form = SuspensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_suspension(
                region, suspend=suspend, reason=form.cleaned_data["reason"], admin=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            done = (
                _("Regio %(name)s is opgeschort. De regiobeheerders krijgen een e-mail.")
                if suspend
                else _("Regio %(name)s is weer actief. De regiobeheerders krijgen een e-mail.")
            )
            messages.success(request, done % {"name": region.name})
            return redirect("national:regions")
    status = 400 if form.errors else 200
    context = {"form": form, "region": region, "cancel_url": reverse("national:regions")}
    template = "national/suspend.html" if suspend else "national/reactivate.html"
    return render(request, template, context, status=status)


@allowed(Action.MANAGE_REGIONS)
def grants(request: HttpRequest) -> HttpResponse:
    role_names = {role.code: role.name for role in Role.objects.all()}
    rows = [
        {"entry": entry, "role": role_names.get(entry.role_code, entry.role_code)}
        for entry in OpenRoleGrant.objects.select_related("region")
    ]
    return render(request, "national/grants.html", {"rows": rows})


@allowed(Action.MANAGE_REGIONS)
@require_http_methods(["GET", "POST"])
def grant(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(OpenRoleGrant.objects.select_related("region"), pk=pk)
    if request.method == "POST":
        decision = request.POST.get("besluit")
        if decision not in {"bevestigen", "intrekken"}:
            raise BadRequest("unknown decision")
        try:
            services.decide_open_grant(entry, admin=request.user, confirm=decision == "bevestigen")
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            done = (
                _("De rol is toegekend in regio %(region)s.")
                if decision == "bevestigen"
                else _("De aanvraag in regio %(region)s is ingetrokken.")
            )
            messages.success(request, done % {"region": entry.region.name})
        return redirect("national:grants")
    try:
        details = services.grant_in_region(entry, admin=request.user)
    except ObjectDoesNotExist as error:
        raise Http404 from error
    context = {"entry": entry, "details": details}
    return render(request, "national/grant.html", context)
