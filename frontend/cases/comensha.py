"""The registration of a case's (possible) victim with CoMensha: per victim, whether the
written consent is there (else the refusal says what is missing), the fields CoMensha
asks filled from the case, the registration as a PDF and as a JSON file, and recording
when and by whom it was sent. The rules are workflow.services.comensha's."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.decorators import allowed
from accounts.policy import Action
from frontend.cases.casework_forms import TextArea
from meldpunt.downloads import download
from meldpunt.pdf import pdf_response, render_pdf
from workflow.models import ComenshaRegistration, Gender, InvolvedPerson
from workflow.selectors import audit_persons_shown, find_case
from workflow.services import comensha


class RegistrationForm(forms.Form):
    exploitation = forms.ChoiceField(
        label=gettext_lazy("Vorm van uitbuiting"),
        choices=ComenshaRegistration.Exploitation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Kies de vorm van uitbuiting.")},
    )
    country_of_origin = forms.CharField(
        label=gettext_lazy("Land van herkomst"),
        max_length=comensha.TEXT_MAX,
        error_messages={"required": gettext_lazy("Vul het land van herkomst in.")},
    )
    age = forms.IntegerField(
        label=gettext_lazy("Leeftijd"),
        min_value=0,
        max_value=120,
        error_messages={
            "required": gettext_lazy("Vul de leeftijd in."),
            "invalid": gettext_lazy("Vul de leeftijd in als getal."),
        },
    )
    gender = forms.ChoiceField(
        label=gettext_lazy("Gender"),
        choices=Gender.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Kies het gender.")},
    )
    identifying_organisation = forms.CharField(
        label=gettext_lazy("Signalerende organisatie"),
        max_length=comensha.TEXT_MAX,
        help_text=gettext_lazy("De organisatie die de (mogelijke) uitbuiting signaleerde."),
        error_messages={
            "required": gettext_lazy("Vul de organisatie in die de persoon signaleerde.")
        },
    )
    need = forms.ChoiceField(
        label=gettext_lazy("Wat is er nodig?"),
        choices=ComenshaRegistration.Need.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Kies wat er nodig is.")},
    )


class SentForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Hoe is de registratie verstuurd? (niet verplicht)"),
        required=False,
        max_length=2000,
        widget=TextArea(2),
        help_text=gettext_lazy("Bijvoorbeeld: per beveiligde e-mail aan CoMensha."),
    )


def initial_of(person: InvolvedPerson, draft: ComenshaRegistration | None) -> dict:
    if draft is None:
        return comensha.prefill(person)
    return {field: getattr(draft, field) for field in comensha.REGISTRATION_FIELDS}


@allowed(Action.VIEW_CASE, unseen=True)
@require_http_methods(["GET", "POST"])
def prepare(request: HttpRequest, reference: str) -> HttpResponse:
    """One victim at a time (`?betrokkene=`): the form, or the refusal with what is missing."""
    casus = find_case(request.user, reference, Action.REGISTER_WITH_COMENSHA)
    victims = list(comensha.victims(casus).prefetch_related("consents", "comensha_registrations"))
    audit_persons_shown(request.user, casus, persons=victims)
    chosen = request.GET.get("betrokkene", "")
    person = next((p for p in victims if str(p.pk) == chosen), victims[0] if victims else None)
    context = {"casus": casus, "victims": victims, "person": person, "refusal": []}
    if person is None:
        context["refusal"] = [_("Deze casus heeft geen (mogelijk) slachtoffer om te registreren.")]
        return render(request, "cases/comensha.html", context, status=409)
    registrations = list(person.comensha_registrations.all())
    sent = next((r for r in registrations if r.sent_at), None)
    draft = next((r for r in registrations if r.sent_at is None), None)
    context |= {"sent": sent, "draft": draft}
    if sent is not None:
        return render(request, "cases/comensha.html", context)
    try:
        comensha.registration_consent(person)
    except ValidationError as refused:
        context["refusal"] = refused.messages
        status = 409 if request.method == "POST" else 200
        return render(request, "cases/comensha.html", context, status=status)
    posted = request.method == "POST"
    form = RegistrationForm(request.POST if posted else None, initial=initial_of(person, draft))
    if posted and form.is_valid():
        try:
            registration = comensha.prepare_registration(
                person, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("De registratie staat klaar om te versturen."))
            return redirect("cases:comensha_registration", reference, registration.pk)
    context["form"] = form
    return render(request, "cases/comensha.html", context, status=400 if posted else 200)


def registration_of(request: HttpRequest, reference: str, pk: int) -> ComenshaRegistration:
    casus = find_case(request.user, reference, Action.REGISTER_WITH_COMENSHA)
    queryset = ComenshaRegistration.objects.filter(casus=casus).select_related(
        "person", "consent", "sent_by", "recorded_by"
    )
    registration = get_object_or_404(queryset, pk=pk)
    registration.casus = casus
    return registration


@allowed(Action.VIEW_CASE, unseen=True)
@require_http_methods(["GET", "POST"])
def registration(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """A prepared registration: its fields, its files, and recording that it was sent."""
    registered = registration_of(request, reference, pk)
    audit_persons_shown(request.user, registered.casus, persons=[registered.person])
    posted = request.method == "POST"
    form = SentForm(request.POST if posted else None)
    if posted and form.is_valid():
        try:
            comensha.record_sent(registered, actor=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Vastgelegd: de registratie is verstuurd aan CoMensha."))
            return redirect("cases:comensha_registration", reference, pk)
    context = {"casus": registered.casus, "registration": registered, "form": form}
    return render(
        request, "cases/comensha_registration.html", context, status=400 if posted else 200
    )


@allowed(Action.VIEW_CASE, unseen=True)
def registration_download(request: HttpRequest, reference: str, pk: int, fmt: str) -> HttpResponse:
    """The registration as a PDF or a JSON file, to send to CoMensha."""
    if fmt not in ("pdf", "json"):
        raise Http404
    registered = registration_of(request, reference, pk)
    made = comensha.registration_file(registered, actor=request.user, fmt=fmt)
    if fmt == "json":
        return download(made.json_bytes(), made.filename, comensha.JSON_TYPE)
    labels = comensha.field_labels()
    context = {
        "site_name": request.tenant.name,
        "rows": [(labels[key], value) for key, value in made.fields.items()],
    }
    return pdf_response(render_pdf("cases/comensha_pdf.html", context), made.filename)
