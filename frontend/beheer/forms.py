"""Forms of the regional configuration screens."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.policy import Role as RoleCode
from configuratie.conditions import CONDITIONS
from configuratie.models import (
    CatalogueEntry,
    CatalogueKind,
    CovenantStatus,
    Participation,
    Partner,
    PartnerContact,
    PartnerKind,
    Priority,
    RegionMunicipality,
    RegionSettings,
    RiskLevel,
    RiskQuestion,
    StepKind,
    WorkflowDefinition,
    WorkflowStep,
)
from configuratie.services.workflows import StepData


class StepChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: WorkflowStep) -> str:
        return obj.name


class StepForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_(
            "Kleine letters, cijfers, streepjes of liggende streepjes; uniek binnen het werkproces."
        ),
        error_messages={
            "required": _("Vul een code in."),
            "invalid": _("Gebruik alleen kleine letters, cijfers, - en _."),
        },
    )
    name = forms.CharField(
        label=_("Naam"), max_length=120, error_messages={"required": _("Vul een naam in.")}
    )
    explanation = forms.CharField(
        label=_("Uitleg"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    kind = forms.ChoiceField(label=_("Soort stap"), choices=StepKind.choices)
    responsible_role = forms.ChoiceField(label=_("Verantwoordelijke rol"))
    deadline_days = forms.IntegerField(
        label=_("Termijn in dagen"), min_value=0, max_value=3650, required=False,
        error_messages={"invalid": _("Vul een aantal dagen in."), "min_value": _("Vul een positief aantal dagen in.")},
    )  # fmt: skip
    guards = forms.MultipleChoiceField(
        label=_("Voorwaarden om de stap te verlaten"),
        choices=[(code, guard.label) for code, guard in CONDITIONS.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    is_start = forms.BooleanField(label=_("Dit is de startstap"), required=False)
    next_steps = StepChoiceField(
        queryset=WorkflowStep.objects.none(), label=_("Volgende stappen"), required=False
    )

    def __init__(
        self, *args, definition: WorkflowDefinition, step: WorkflowStep | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible_role"].choices = [
            (role.code, role.name) for role in Role.objects.all()
        ]
        others = definition.steps.exclude(pk=step.pk) if step else definition.steps.all()
        self.fields["next_steps"].queryset = others
        self.priorities = list(Priority.objects.all())
        for priority in self.priorities:
            self.fields[f"deadline_{priority.code}"] = forms.IntegerField(
                label=_("Termijn in dagen bij prioriteit %(name)s") % {"name": priority.name},
                min_value=0,
                max_value=3650,
                required=False,
                help_text=_("Leeg: de gewone termijn."),
            )
        if step is None:
            self.fields["insert_after"] = forms.ModelChoiceField(
                queryset=definition.steps.all(),
                label=_("Invoegen na stap"),
                required=False,
                empty_label=_("— niet invoegen, zelf volgende stappen kiezen —"),
                help_text=_(
                    "De nieuwe stap neemt de volgende stappen van die stap over en komt er direct achter."
                ),
            )

    def step_data(self) -> StepData:
        data = self.cleaned_data
        by_priority = {
            priority.code: data[f"deadline_{priority.code}"]
            for priority in self.priorities
            if data.get(f"deadline_{priority.code}") is not None
        }
        return StepData(
            code=data["code"],
            name=data["name"],
            explanation=data["explanation"],
            kind=data["kind"],
            responsible_role=data["responsible_role"],
            deadline_days=data["deadline_days"],
            deadline_days_by_priority=by_priority,
            guards=data["guards"],
            is_start=data["is_start"],
        )

    @classmethod
    def initial_for(cls, step: WorkflowStep) -> dict:
        initial = {
            "code": step.code,
            "name": step.name,
            "explanation": step.explanation,
            "kind": step.kind,
            "responsible_role": step.responsible_role,
            "deadline_days": step.deadline_days,
            "guards": step.guards,
            "is_start": step.is_start,
            "next_steps": step.next_steps.all(),
        }
        initial |= {
            f"deadline_{code}": days for code, days in step.deadline_days_by_priority.items()
        }
        return initial


class ImportConfigurationForm(forms.Form):
    file = forms.FileField(
        label=_("Configuratiebestand (.yaml)"),
        error_messages={"required": _("Kies een configuratiebestand.")},
    )


class PartnerForm(forms.ModelForm):
    participates_in = forms.MultipleChoiceField(
        label=_("Neemt deel aan"),
        choices=Participation.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Partner
        fields = [
            "name",
            "kind",
            "covenant_status",
            "covenant_signed_on",
            "covenant_ends_on",
            "participates_in",
        ]
        widgets = {  # a date input takes ISO dates only, whatever the language
            "covenant_signed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "covenant_ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        error_messages = {
            "name": {
                "required": _("Vul de naam van de partner in."),
                "unique": _("Deze partner bestaat al."),
            }
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = PartnerKind.choices

    def clean(self) -> dict:
        data = super().clean()
        signed, ends = data.get("covenant_signed_on"), data.get("covenant_ends_on")
        if data.get("covenant_status") == CovenantStatus.SIGNED and not signed:
            self.add_error("covenant_signed_on", _("Vul in wanneer het convenant is getekend."))
        if signed and ends and ends < signed:
            self.add_error(
                "covenant_ends_on", _("Het convenant kan niet eindigen vóór het is getekend.")
            )
        return data


class PartnerAccountField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj} ({obj.email})"


class ContactForm(forms.ModelForm):
    """A contact person; with an account, they answer their organisation's requests and
    referrals in the partner portal."""

    account = PartnerAccountField(
        queryset=User.objects.none(),
        required=False,
        label=_("Account in het partnerportaal"),
        help_text=_(
            "Alleen gebruikers met de rol partnercontact. Leeg: geen toegang tot het portaal."
        ),
    )

    class Meta:
        model = PartnerContact
        fields = ["name", "function", "email", "phone", "account"]
        error_messages = {
            "account": {"unique": _("Dit account is al gekoppeld aan een andere contactpersoon.")}
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = User.objects.filter(
            is_active=True, roles__code=RoleCode.PARTNERCONTACT
        ).distinct()


ContactFormSet = forms.inlineformset_factory(
    Partner,
    PartnerContact,
    form=ContactForm,
    extra=1,
    max_num=50,
    absolute_max=50,
    validate_max=True,
    can_delete=True,
    can_delete_extra=False,
)


class PriorityForm(forms.ModelForm):
    class Meta:
        model = Priority
        fields = ["code", "name", "colour", "reaction_hours", "position"]
        widgets = {"colour": forms.TextInput(attrs={"type": "color"})}
        error_messages = {
            "code": {"required": _("Vul een code in."), "unique": _("Deze code bestaat al.")},
            "name": {"required": _("Vul een naam in.")},
            "reaction_hours": {"required": _("Vul de reactietijd in uren in.")},
        }


class RegionMunicipalityForm(forms.ModelForm):
    class Meta:
        model = RegionMunicipality
        fields = ["code", "funds_meldpunt", "young_population"]
        error_messages = {
            "code": {
                "required": _("Kies een gemeente."),
                "unique": _("Deze gemeente hoort al bij de regio."),
            }
        }


class CatalogueEntryForm(forms.ModelForm):
    class Meta:
        model = CatalogueEntry
        fields = ["name", "text", "position", "is_active"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}
        error_messages = {"name": {"required": _("Vul een waarde in.")}}

    def __init__(self, *args, catalogue: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.catalogue = catalogue
        if catalogue != CatalogueKind.FEEDBACK_TEMPLATE:
            del self.fields["text"]


class RiskQuestionForm(forms.ModelForm):
    class Meta:
        model = RiskQuestion
        fields = ["code", "text", "weight", "position"]
        error_messages = {
            "code": {"required": _("Vul een code in."), "unique": _("Deze code bestaat al.")},
            "text": {"required": _("Vul de vraag in.")},
        }


class RiskLevelForm(forms.ModelForm):
    class Meta:
        model = RiskLevel
        fields = ["threshold", "level"]
        error_messages = {
            "threshold": {
                "required": _("Vul de score in."),
                "unique": _("Er is al een niveau vanaf deze score."),
            },
            "level": {"required": _("Vul de naam van het niveau in.")},
        }


class RegionSettingsForm(forms.ModelForm):
    class Meta:
        model = RegionSettings
        fields = [
            "retention_months",
            "benchmark_opt_in",
            "screening_team_access",
            "meeting_access_days_before",
            "meeting_access_days_after",
            "consent_alone_from_age",
            "consent_together_from_age",
            "quiet_case_days",
        ]
        help_texts = {
            "retention_months": _(
                "Na deze termijn worden de persoonsgegevens van een afgesloten casus geanonimiseerd."
            ),
            "benchmark_opt_in": _(
                "Alleen geaggregeerde aantallen, zonder persoonsgegevens; kleine aantallen worden onderdrukt."
            ),
            "screening_team_access": _(
                "Een casus wacht op het screeningsteam als het team verantwoordelijk is voor zijn "
                "stap. Wie de melder is, zien leden van het screeningsteam in elk geval zodra de "
                "casus geagendeerd is voor een overleg dat zij bijwonen."
            ),
            "meeting_access_days_before": _(
                "Een casus op de agenda zien leden van het screeningsteam rond het overleg "
                "waarop hij geagendeerd is."
            ),
            "consent_alone_from_age": _(
                "Vanaf deze leeftijd geeft iemand zelf toestemming om gegevens te delen of door "
                "te verwijzen."
            ),
            "consent_together_from_age": _(
                "Vanaf deze leeftijd samen met een ouder of voogd; daaronder beslist een ouder of "
                "voogd."
            ),
            "quiet_case_days": _(
                "Een open casus waarin zo lang niets is vastgelegd, ziet de procesregisseur als "
                "stilgevallen."
            ),
        }

    def clean(self) -> dict:
        cleaned = super().clean()
        alone = cleaned.get("consent_alone_from_age")
        together = cleaned.get("consent_together_from_age")
        if alone is not None and not 12 <= alone <= 18:
            self.add_error(
                "consent_alone_from_age", _("Kies een leeftijd van 12 tot en met 18 jaar.")
            )
        if alone is not None and together is not None and together > alone:
            self.add_error(
                "consent_together_from_age",
                _("Deze leeftijd kan niet hoger zijn dan de leeftijd waarop iemand zelf beslist."),
            )
        if cleaned.get("quiet_case_days") == 0:
            self.add_error("quiet_case_days", _("Kies ten minste één dag."))
        return cleaned
