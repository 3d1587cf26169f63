"""The regiobeheerder's registers: partners, priorities, the lists (catalogues), the
risk instrument and the region's settings. One set of list and form views serves
every register; what differs per register is described in SECTIONS."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from configuratie.models import (
    CatalogueEntry,
    CatalogueKind,
    Participation,
    Partner,
    Priority,
    RegionMunicipality,
    RegionSettings,
    RiskLevel,
    RiskQuestion,
)
from configuratie.services.register import ContactChange, delete_record, save_record
from frontend.beheer.forms import (
    CatalogueEntryForm,
    ContactFormSet,
    PartnerForm,
    PriorityForm,
    RegionMunicipalityForm,
    RegionSettingsForm,
    RiskLevelForm,
    RiskQuestionForm,
)
from frontend.beheer.views import configurator


@dataclass(frozen=True)
class Column:
    label: Promise
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class Section:
    slug: str
    title: Promise
    intro: Promise
    columns: tuple[Column, ...]
    queryset: Callable[[], QuerySet]
    form_class: type
    form_kwargs: Callable[[], dict] = dict
    formset_class: type | None = None


def yes_no(value: bool) -> str:
    return _("ja") if value else _("nee")


def covenant(partner: Partner) -> str:
    status = partner.get_covenant_status_display()
    valid = _("geldig")  # outside the f-string, where makemessages finds it
    return f"{status} ({valid})" if partner.has_current_covenant() else status


def participation(partner: Partner) -> str:
    labels = dict(Participation.choices)
    return ", ".join(str(labels.get(code, code)) for code in partner.participates_in) or "—"


def catalogue_section(kind: CatalogueKind, intro: Promise) -> Section:
    columns = (
        Column(gettext_lazy("Waarde"), str),
        Column(gettext_lazy("In gebruik"), lambda e: yes_no(e.is_active)),
    )
    return Section(
        slug=kind.value,
        title=kind.label,
        intro=intro,
        columns=columns,
        queryset=lambda: CatalogueEntry.objects.filter(catalogue=kind),
        form_class=CatalogueEntryForm,
        form_kwargs=lambda: {"catalogue": kind.value},
    )


SECTIONS: dict[str, Section] = {
    section.slug: section
    for section in (
        Section(
            slug="partners",
            title=gettext_lazy("Partnernetwerk"),
            intro=gettext_lazy(
                "De organisaties waarmee het meldpunt samenwerkt. Alleen partners met een geldend convenant kunnen casusinformatie ontvangen."
            ),
            columns=(
                Column(gettext_lazy("Partner"), str),
                Column(gettext_lazy("Soort"), lambda p: p.get_kind_display()),
                Column(gettext_lazy("Convenant"), covenant),
                Column(gettext_lazy("Neemt deel aan"), participation),
                Column(gettext_lazy("Contactpersonen"), lambda p: p.contact_count),
            ),
            queryset=lambda: Partner.objects.annotate(contact_count=Count("contacts")),
            form_class=PartnerForm,
            formset_class=ContactFormSet,
        ),
        Section(
            slug="prioriteiten",
            title=gettext_lazy("Prioriteiten"),
            intro=gettext_lazy(
                "Prioriteitsniveaus met hun reactietijd; een stap van het werkproces kan per prioriteit een eigen termijn hebben."
            ),
            columns=(
                Column(gettext_lazy("Prioriteit"), str),
                Column(gettext_lazy("Code"), lambda p: p.code),
                Column(gettext_lazy("Reactietijd (uren)"), lambda p: p.reaction_hours),
            ),
            queryset=Priority.objects.all,
            form_class=PriorityForm,
        ),
        catalogue_section(
            CatalogueKind.SIGNAL,
            gettext_lazy("Signalen die een melder kan aankruisen en die het meldpunt registreert."),
        ),
        catalogue_section(
            CatalogueKind.CASE_TYPE,
            gettext_lazy("Soorten casussen: slachtoffer-, dader- of beide sporen."),
        ),
        catalogue_section(CatalogueKind.CHANNEL, gettext_lazy("Hoe meldingen binnenkomen.")),
        catalogue_section(
            CatalogueKind.REPORT_FORM,
            gettext_lazy(
                "De meldformulieren die het publiek op de website van de regio kan invullen."
            ),
        ),
        catalogue_section(
            CatalogueKind.EVALUATION_QUESTION,
            gettext_lazy("De vragen van de evaluatie na afsluiting van een casus."),
        ),
        catalogue_section(
            CatalogueKind.CLOSING_REASON,
            gettext_lazy("De redenen waarmee een casus wordt afgesloten."),
        ),
        catalogue_section(
            CatalogueKind.FEEDBACK_TEMPLATE,
            gettext_lazy("Standaardteksten voor de terugkoppeling aan de melder."),
        ),
        Section(
            slug="risicovragen",
            title=gettext_lazy("Risicotaxatie: vragen"),
            intro=gettext_lazy(
                "Elke vraag die met 'ja' wordt beantwoord telt met haar gewicht mee in de score."
            ),
            columns=(
                Column(gettext_lazy("Vraag"), str),
                Column(gettext_lazy("Gewicht"), lambda q: q.weight),
            ),
            queryset=RiskQuestion.objects.all,
            form_class=RiskQuestionForm,
        ),
        Section(
            slug="risiconiveaus",
            title=gettext_lazy("Risicotaxatie: niveaus"),
            intro=gettext_lazy("Vanaf welke score een risiconiveau geldt."),
            columns=(
                Column(gettext_lazy("Niveau"), str),
                Column(gettext_lazy("Vanaf score"), lambda level: level.threshold),
            ),
            queryset=RiskLevel.objects.all,
            form_class=RiskLevelForm,
        ),
        Section(
            slug="gemeenten",
            title=gettext_lazy("Gemeenten"),
            intro=gettext_lazy(
                "Het werkgebied van de regio, met de CBS-code van elke gemeente; welke gemeenten het meldpunt financieren (zij krijgen het jaarverslag), en het aantal jongeren als de kaart casussen per 10.000 jongeren moet tonen."
            ),
            columns=(
                Column(gettext_lazy("Gemeente"), str),
                Column(gettext_lazy("CBS-code"), lambda m: m.code),
                Column(gettext_lazy("Financiert"), lambda m: yes_no(m.funds_meldpunt)),
                Column(
                    gettext_lazy("Jongeren (10 tot 23 jaar)"),
                    lambda m: m.young_population if m.young_population is not None else "—",
                ),
            ),
            queryset=RegionMunicipality.objects.all,
            form_class=RegionMunicipalityForm,
        ),
    )
}


def section_or_404(slug: str) -> Section:
    if slug not in SECTIONS:
        raise Http404
    return SECTIONS[slug]


@configurator
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "beheer/index.html", {"sections": SECTIONS.values()})


@configurator
def section_list(request: HttpRequest, section: str) -> HttpResponse:
    described = section_or_404(section)
    rows = [
        (obj, [column.value(obj) for column in described.columns]) for obj in described.queryset()
    ]
    return render(request, "beheer/section_list.html", {"section": described, "rows": rows})


def record_values(form: ModelForm) -> dict[str, Any]:
    """The record's fields as the form checked them (the fields the form shows)."""
    return {name: form.cleaned_data[name] for name in form._meta.fields if name in form.fields}


def contact_changes(formset: BaseInlineFormSet) -> list[ContactChange]:
    """The contact persons the regiobeheerder added, changed or removed (their partner
    is the record the service saves)."""
    return [
        ContactChange(form.instance.pk, delete=True)
        if form.cleaned_data.get("DELETE")
        else ContactChange(
            form.instance.pk,
            {name: value for name, value in record_values(form).items() if name != formset.fk.name},
        )
        for form in formset.forms
        if form.has_changed()
    ]


@configurator
@require_http_methods(["GET", "POST"])
def section_form(request: HttpRequest, section: str, pk: int | None = None) -> HttpResponse:
    described = section_or_404(section)
    instance = get_object_or_404(described.queryset(), pk=pk) if pk else None
    list_url = reverse("beheer:register", kwargs={"section": section})
    if request.method == "POST" and instance is not None and "delete" in request.POST:
        try:
            delete_record(instance, actor=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(request.path)
        messages.success(request, _("'%(name)s' is verwijderd.") % {"name": instance})
        return redirect(list_url)
    data = request.POST if request.method == "POST" else None
    form = described.form_class(data, instance=instance, **described.form_kwargs())
    formset = (
        described.formset_class(data, instance=instance or described.form_class._meta.model())
        if described.formset_class
        else None
    )
    if request.method == "POST" and form.is_valid() and (formset is None or formset.is_valid()):
        try:
            saved = save_record(
                form.instance,
                actor=request.user,
                values=record_values(form),
                contacts=contact_changes(formset) if formset is not None else (),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("'%(name)s' is opgeslagen.") % {"name": saved})
            return redirect(list_url)
    invalid = bool(form.errors) or bool(
        formset is not None and request.method == "POST" and not formset.is_valid()
    )
    context = {
        "section": described,
        "form": form,
        "formset": formset,
        "instance": instance,
        "cancel_url": list_url,
    }
    return render(request, "beheer/section_form.html", context, status=400 if invalid else 200)


@configurator
@require_http_methods(["GET", "POST"])
def region_settings(request: HttpRequest) -> HttpResponse:
    form = RegionSettingsForm(request.POST or None, instance=RegionSettings.current())
    if request.method == "POST" and form.is_valid():
        save_record(form.instance, actor=request.user, values=record_values(form))
        messages.success(request, _("De instellingen zijn opgeslagen."))
        return redirect("beheer:index")
    context = {"form": form, "cancel_url": reverse("beheer:index")}
    return render(request, "beheer/instellingen.html", context, status=400 if form.errors else 200)
