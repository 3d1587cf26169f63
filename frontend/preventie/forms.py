"""Forms of the prevention register and the advice log."""

from django import forms
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from configuratie.models import Partner
from frontend.persons import municipality_options
from statistiek.models import AdviceRequest, PreventionActivity, TargetGroup
from workflow.selectors import find_case

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # ISO, whatever the language


class ActivityForm(forms.ModelForm):
    target_groups = forms.MultipleChoiceField(
        label=_("Doelgroepen"),
        choices=TargetGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één doelgroep.")},
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Betrokken partners"),
        queryset=Partner.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    municipality = forms.ChoiceField(label=_("Gemeente"), required=False)

    class Meta:
        model = PreventionActivity
        fields = [
            "held_on",
            "kind",
            "target_groups",
            "municipality",
            "organisation",
            "people_reached",
            "partners",
            "evaluation",
        ]
        widgets = {
            "held_on": DATE,
            "organisation": forms.TextInput(),
            "evaluation": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "organisation": _("Bijvoorbeeld de school of het buurtcentrum waar het was."),
            "evaluation": _("Wat ging goed, wat kan beter? Geen namen van deelnemers."),
        }
        error_messages = {
            "held_on": {"required": _("Vul de datum in.")},
            "kind": {"required": _("Kies de soort activiteit.")},
            "people_reached": {"required": _("Vul in hoeveel mensen er bereikt zijn.")},
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = municipality_options()


class AdviceForm(forms.ModelForm):
    municipality = forms.ChoiceField(label=_("Gemeente van de vrager"), required=False)
    case_reference = forms.CharField(
        label=_("Casuscode van de melding"),
        required=False,
        max_length=20,
        help_text=_("Alleen als de adviesvraag later een melding werd, bijvoorbeeld 2025-00042."),
    )

    class Meta:
        model = AdviceRequest
        fields = [
            "given_on",
            "asker_kind",
            "topic",
            "advice",
            "minutes_spent",
            "municipality",
            "became_report",
        ]
        widgets = {"given_on": DATE, "advice": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "given_on": {"required": _("Vul de datum in.")},
            "asker_kind": {"required": _("Kies wie om advies vroeg.")},
            "topic": {"required": _("Kies het onderwerp.")},
            "advice": {"required": _("Beschrijf het gegeven advies.")},
            "minutes_spent": {"required": _("Vul de bestede tijd in minuten in.")},
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["municipality"].choices = municipality_options()
        if self.instance.casus_id:
            self.initial["case_reference"] = self.instance.casus.reference

    def clean_case_reference(self):
        reference = self.cleaned_data["case_reference"].strip()
        if not reference:
            return None
        try:
            return find_case(self.user, reference)
        except Http404:
            raise forms.ValidationError(
                _("Er is geen casus met die code die u mag zien.")
            ) from None

    def service_data(self) -> dict:
        data = {key: value for key, value in self.cleaned_data.items() if key != "case_reference"}
        return data | {"casus": self.cleaned_data["case_reference"]}
