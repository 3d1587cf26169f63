"""The partner portal (/partner/): a partner's contact person answers the requests and
decides on the referrals addressed to their organisation, files reports and follows
them. Everything is read through workflow.portal, done through the services."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.policy import Role, partner_of
from frontend.persons import PersonFormSet
from frontend.portal.forms import PartnerReportForm, PortalAnswerForm, PortalDecisionForm
from frontend.public.forms import ReplyForm
from workflow import intake, portal
from workflow.intake import offered_forms
from workflow.services import information, referrals, reports


def unlinked(request: HttpRequest) -> HttpResponse | None:
    """A partnercontact whose account no regiobeheerder has linked to an organisation
    yet is told so, instead of a bare refusal."""
    if Role.PARTNERCONTACT in request.user.role_codes() and partner_of(request.user) is None:
        return render(request, "portal/unlinked.html", status=403)
    return None


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    if (response := unlinked(request)) is not None:
        return response
    context = {"inbox": portal.partner_inbox(request.user), "today": timezone.localdate()}
    return render(request, "portal/inbox.html", context)


@dataclass(frozen=True)
class ItemPage:
    """What the contact does with an item addressed to their organisation."""

    form: type[forms.Form]
    perform: Callable  # (item, user, form) -> object
    done: Promise
    template: str


ITEM_PAGES = {
    "verzoek": ItemPage(
        PortalAnswerForm,
        lambda item, user, form: information.answer_in_portal(
            item, actor=user, **form.cleaned_data
        ),
        gettext_lazy("Uw antwoord is naar het meldpunt gestuurd."),
        "portal/request.html",
    ),
    "doorverwijzing": ItemPage(
        PortalDecisionForm,
        lambda item, user, form: referrals.decide_in_portal(item, actor=user, **form.cleaned_data),
        gettext_lazy("Uw besluit is naar het meldpunt gestuurd."),
        "portal/referral.html",
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def item_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """An information request to answer, or a referral to decide on."""
    if (response := unlinked(request)) is not None:
        return response
    described = ITEM_PAGES[kind]
    item = portal.addressed_item(request.user, kind, pk)
    data = request.POST if request.method == "POST" else None
    form = described.form(data)
    if data is not None and form.is_valid():
        try:
            described.perform(item, request.user, form)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, described.done)
            return redirect("portal:inbox")
    context = {"item": item, "shared": portal.shown(request.user, item), "form": form}
    return render(request, described.template, context, status=400 if data else 200)


@login_required
def report_choice(request: HttpRequest) -> HttpResponse:
    if (response := unlinked(request)) is not None:
        return response
    forms = list(offered_forms())
    if len(forms) == 1:
        return redirect("portal:report_form", form_code=forms[0].code)
    return render(request, "portal/choose_form.html", {"forms": forms})


@login_required
@require_http_methods(["GET", "POST"])
def report_form(request: HttpRequest, form_code: str) -> HttpResponse:
    if (response := unlinked(request)) is not None:
        return response
    partner = portal.portal_partner(request.user)
    offered = offered_forms().filter(code=form_code).first()
    if offered is None:
        raise Http404
    data = request.POST if request.method == "POST" else None
    form = PartnerReportForm(data, offered=offered, user=request.user, partner=partner)
    persons = PersonFormSet(data, prefix="persoon")
    context = {"form": form, "persons": persons, "offered": offered, "partner": partner}
    if data is None or not (form.is_valid() and persons.is_valid()):
        return render(request, "portal/report_form.html", context, status=400 if data else 200)
    people = [person.person_data() for person in persons if person.has_changed()]
    try:
        submitted = reports.submit_as_partner(
            form.report_data(people),
            actor=request.user,
            submission_token=form.cleaned_data["token"],
        )
    except intake.IntakeRefused as refused:
        form.show_refusal(refused)
        return render(request, "portal/report_form.html", context, status=400)
    messages.success(
        request,
        _("Uw melding is ontvangen onder code %(code)s. U volgt haar hier.")
        % {"code": submitted.code},
    )
    return redirect("portal:report", pk=submitted.report.pk)


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if (response := unlinked(request)) is not None:
        return response
    report, follow_up = portal.own_report(request.user, pk)
    data = request.POST if request.method == "POST" else None
    form = ReplyForm(data)
    if data is not None and form.is_valid():
        reports.reply_from_reporter(report, form.cleaned_data["text"], actor=request.user)
        messages.success(request, _("Dank u. Uw bericht is aan het meldpunt doorgegeven."))
        return redirect("portal:report", pk=pk)
    context = follow_up | {"form": form, "report": report}
    return render(request, "portal/report.html", context, status=400 if data else 200)
