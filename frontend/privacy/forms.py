"""Forms of the privacy screens."""

from django import forms
from django.utils.translation import gettext_lazy as _

from configuratie.models import CatalogueEntry, CatalogueKind
from privacy.models import MAX_MONTHS, Scope
from privacy.services.subjects import CORRECTION_REASONS
from workflow.models import Gender, InvolvedPerson, PersonRole

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def months_field(label, required: bool = True, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=MAX_MONTHS,
        required=required,
        help_text=help_text,
        error_messages={
            "required": _("Vul een aantal maanden in."),
            "min_value": _("Vul minstens 1 maand in."),
            "max_value": _("Vul hoogstens %(limit_value)s maanden in."),
            "invalid": _("Vul een heel aantal maanden in."),
        },
    )


class ExportForm(forms.Form):
    prefix = "export"  # shares the audit log page with its filters: ids must stay unique

    start = forms.DateField(
        label=_("Van (datum)"),
        widget=DATE_INPUT,
        error_messages={"required": _("Vul de begindatum in.")},
    )
    end = forms.DateField(
        label=_("Tot en met (datum)"),
        widget=DATE_INPUT,
        error_messages={"required": _("Vul de einddatum in.")},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["start"] > cleaned["end"]:
            self.add_error("end", _("De einddatum ligt voor de begindatum."))
        return cleaned


class CheckFindingForm(forms.Form):
    note = forms.CharField(
        label=_("Notitie"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wat u heeft nagegaan, en met welke uitkomst."),
        error_messages={"required": _("Schrijf in de notitie wat u heeft nagegaan.")},
    )


class CaseReferenceForm(forms.Form):
    casus = forms.CharField(
        label=_("Casuscode"),
        max_length=20,
        help_text=_("Bijvoorbeeld 2026-00012."),
        error_messages={"required": _("Vul de casuscode in.")},
    )


class PersonNameForm(forms.Form):
    """The name of the person who asks for an overview; sent by POST, so that it stays
    out of addresses, browser history and logs."""

    naam = forms.CharField(
        label=_("Naam van de betrokkene"),
        max_length=150,
        help_text=_("Voornaam, achternaam of de volledige naam; hoofdletters maken niet uit."),
        error_messages={
            "required": _("Vul de naam van de betrokkene in."),
            "max_length": _("Een naam is hoogstens %(limit_value)d tekens."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    geboortejaar = forms.IntegerField(
        label=_("Geboortejaar (niet verplicht)"),
        required=False,
        min_value=1900,
        max_value=2100,
        error_messages={
            "invalid": _("Vul een jaar in, bijvoorbeeld 2011."),
            "min_value": _("Vul een jaar in, bijvoorbeeld 2011."),
            "max_value": _("Vul een jaar in, bijvoorbeeld 2011."),
        },
    )


class RetentionForm(forms.Form):
    default_months = months_field(
        _("Standaard bewaartermijn na afronding (maanden)"),
        help_text=_("Geldt voor elke afsluitreden zonder eigen termijn."),
    )
    reporter_contact_months = months_field(
        _("Contactgegevens van de melder bewaren na de laatste terugkoppeling (maanden)"),
        help_text=_("Naam, e-mailadres, telefoonnummer en organisatie van de melder."),
    )

    def __init__(self, *args, reasons: list[CatalogueEntry], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.reasons = reasons
        for entry in reasons:
            self.fields[f"reden_{entry.code}"] = months_field(
                _("Afsluitreden '%(reason)s' (maanden)") % {"reason": entry.name},
                required=False,
                help_text=_("Leeg: de standaard bewaartermijn."),
            )

    def by_reason(self) -> dict[str, int | None]:
        return {entry.code: self.cleaned_data.get(f"reden_{entry.code}") for entry in self.reasons}

    @staticmethod
    def closing_reasons() -> list[CatalogueEntry]:
        return list(CatalogueEntry.objects.filter(catalogue=CatalogueKind.CLOSING_REASON))


class LegalHoldForm(CaseReferenceForm):
    reason = forms.CharField(
        label=_("Reden"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld een lopend strafrechtelijk onderzoek of een klacht."),
        error_messages={"required": _("Geef de reden van de bewaarplicht.")},
    )


class LiftHoldForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden van opheffen"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Geef de reden om de bewaarplicht op te heffen.")},
    )


class ErasureForm(CaseReferenceForm):
    scope = forms.ChoiceField(
        label=_("Wat moet er gewist worden?"),
        choices=[
            (Scope.CASE, _("De hele casus: alle persoonsgegevens en vrije teksten")),
            (Scope.PERSON, _("Eén betrokkene: naam, school en zoeksleutels")),
            (Scope.REPORTER, _("De contactgegevens van de melder van één melding")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies wat er gewist moet worden.")},
    )
    person = forms.IntegerField(
        label=_("Nummer van de betrokkene"),
        required=False,
        help_text=_("Alleen bij één betrokkene; het nummer staat in het auditlog en de inzage."),
    )
    report = forms.CharField(
        label=_("Meldcode"), required=False, max_length=20, help_text=_("Alleen bij de melder.")
    )
    note = forms.CharField(
        label=_("Het verzoek"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Datum, kenmerk en van wie het verzoek kwam; geen andere persoonsgegevens."),
        error_messages={"required": _("Noteer het verzoek.")},
    )


class CorrectionForm(forms.ModelForm):
    reason = forms.ChoiceField(
        label=_("Reden van de correctie"),
        choices=list(CORRECTION_REASONS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies de reden van de correctie.")},
    )
    explanation = forms.CharField(
        label=_("Toelichting"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Licht de correctie toe.")},
    )

    class Meta:
        model = InvolvedPerson
        fields = ["role", "name", "birth_year", "age", "gender", "municipality", "school"]
        widgets = {
            "name": forms.TextInput(),
            "school": forms.TextInput(),
            "role": forms.Select(choices=PersonRole.choices),
            "gender": forms.Select(choices=[("", "—"), *Gender.choices]),
        }
