"""The region's part in the national signalling of persons known to two meldpunten
(docs/matching.md): taking part or not, and the contact details other meldpunten see."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.decorators import allowed
from accounts.policy import Action
from configuratie.models import RegionSettings
from national.forms import ContactDetailsForm
from tenants.models import Region
from tenants.services.contact import set_contact_details
from workflow.services import matching


class MatchingForm(ContactDetailsForm):
    field_order = ["enabled"]

    enabled = forms.BooleanField(
        label=gettext_lazy("Doet mee aan de landelijke signalering"),
        required=False,
        help_text=gettext_lazy(
            "Van elke betrokkene met naam en geboortejaar gaat alleen een versleuteld kenmerk "
            "naar het platform, zonder naam, geboortejaar of casusnummer. Kent een ander "
            "meldpunt dezelfde persoon, dan ziet de procesregisseur van beide meldpunten een "
            "signaal met de contactgegevens van het andere meldpunt, en niets over diens casus. "
            "Alleen precies dezelfde naam (hoofdletters, accenten en spaties tellen niet) met "
            "hetzelfde geboortejaar komt overeen: een andere spelling van de naam wordt niet "
            "herkend. Zet u dit uit, dan verdwijnen alle kenmerken en signalen van deze regio."
        ),
    )


@allowed(Action.CONFIGURE_REGION)
@require_http_methods(["GET", "POST"])
def matching_settings(request: HttpRequest) -> HttpResponse:
    region = Region.objects.get(pk=request.tenant.pk)
    initial = ContactDetailsForm.initial_of(region)
    form = MatchingForm(
        request.POST or None,
        initial=initial | {"enabled": RegionSettings.current().matching_enabled},
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                set_contact_details(region, actor=request.user, values=form.cleaned_data)
                matching.set_taking_part(form.cleaned_data["enabled"], actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("De landelijke signalering is opgeslagen."))
            return redirect("beheer:index")
    context = {"form": form, "cancel_url": reverse("beheer:index")}
    return render(
        request,
        "beheer/landelijke_signalering.html",
        context,
        status=400 if form.errors else 200,
    )
