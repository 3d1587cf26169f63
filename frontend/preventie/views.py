"""The prevention register and the advice log: lists with filters and pages, and forms
to record and change; writes go through statistiek.services (policy and audit line)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.decorators import allowed
from accounts.policy import Action
from frontend.preventie.forms import ActivityForm, AdviceForm
from statistiek.figures import region_municipalities
from statistiek.filters import ActivityFilterSet, AdviceFilterSet
from statistiek.models import AdviceRequest, PreventionActivity
from statistiek.selectors import register_page
from statistiek.services import save_activity, save_advice


def listing(
    request: HttpRequest, filters, template: str, grounds: str, filter_label: str
) -> HttpResponse:
    """A filtered page of a register; reading it is an audit line (its free texts may,
    against the advice, hold a name)."""
    page = register_page(request.user, filters, grounds, request.GET.get("pagina", 1))
    query = urlencode({k: v for k, v in request.GET.items() if k != "pagina"})
    context = {
        "filters": filters,
        "page": page,
        "page_query": query,
        "filter_label": filter_label,
    }
    return render(request, template, context, status=200 if filters.is_valid() else 400)


@allowed(Action.VIEW_PREVENTION)
def activities(request: HttpRequest) -> HttpResponse:
    filters = ActivityFilterSet(
        request.GET,
        queryset=PreventionActivity.objects.prefetch_related("partners"),
        municipalities=region_municipalities(),
    )
    return listing(
        request, filters, "preventie/activities.html", "preventie", _("Activiteiten filteren")
    )


@allowed(Action.VIEW_PREVENTION)
def advice_list(request: HttpRequest) -> HttpResponse:
    filters = AdviceFilterSet(request.GET, queryset=AdviceRequest.objects.select_related("casus"))
    return listing(request, filters, "preventie/advice.html", "advies", _("Adviesvragen filteren"))


@allowed(Action.RECORD_PREVENTION)
@require_http_methods(["GET", "POST"])
def activity_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    activity = get_object_or_404(PreventionActivity, pk=pk) if pk else None
    form = ActivityForm(request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        save_activity(actor=request.user, data=dict(form.cleaned_data), activity=activity)
        messages.success(request, _("De preventieactiviteit is opgeslagen."))
        return redirect("preventie:activities")
    context = {
        "form": form,
        "editing": activity is not None,
        "cancel_url": reverse("preventie:activities"),
    }
    return render(
        request, "preventie/activity_form.html", context, status=400 if form.errors else 200
    )


@allowed(Action.RECORD_PREVENTION)
@require_http_methods(["GET", "POST"])
def advice_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    advice = get_object_or_404(AdviceRequest.objects.select_related("casus"), pk=pk) if pk else None
    form = AdviceForm(request.POST or None, instance=advice, user=request.user)
    if request.method == "POST" and form.is_valid():
        save_advice(actor=request.user, data=form.service_data(), advice=advice)
        messages.success(request, _("De adviesvraag is opgeslagen."))
        return redirect("preventie:advice")
    context = {
        "form": form,
        "editing": advice is not None,
        "cancel_url": reverse("preventie:advice"),
    }
    return render(
        request, "preventie/advice_form.html", context, status=400 if form.errors else 200
    )
