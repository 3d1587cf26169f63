"""Forms of the meeting screens: planning a meeting, and what it records per case."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.policy import CASE_STAFF, Role
from configuratie.models import Partner
from frontend.cases.casework_forms import PlanForm, RiskAssessmentForm, TextArea
from workflow.models import AgendaItem, Meeting, MeetingGuest
from workflow.services.meetings import GuestData, destinations


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class AttendeesField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: User) -> str:
        roles = ", ".join(sorted(role.name for role in obj.roles.all()))
        return f"{obj} ({roles})"


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Soort overleg"), choices=Meeting.Kind.choices, widget=forms.RadioSelect
    )
    starts_at = forms.DateTimeField(
        label=_("Datum en tijd"),
        widget=DateTimeInput,
        error_messages={"required": _("Kies datum en tijd."), "invalid": _("Kies datum en tijd.")},
    )
    title = forms.CharField(
        label=_("Naam van het overleg"),
        max_length=120,
        required=False,
        help_text=_("Bijvoorbeeld 'Screeningsteam Hengelo'; zo is het overleg te onderscheiden."),
    )
    location = forms.CharField(label=_("Plaats"), max_length=200, required=False)
    chair = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label=_("Voorzitter"),
        required=False,
        help_text=_("De voorzitter is ook deelnemer."),
    )
    attendees = AttendeesField(
        queryset=User.objects.none(),
        label=_("Deelnemers met een account"),
        help_text=_("Leden van het screeningsteam zien de casussen op de agenda rond het overleg."),
        error_messages={"required": _("Kies minstens één deelnemer.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = User.objects.active_with_roles(
            *CASE_STAFF
        ).prefetch_related("roles")
        self.fields["chair"].queryset = User.objects.active_with_roles(*CASE_STAFF)


class PresentField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class GuestPresentField(PresentField):
    def label_from_instance(self, obj: MeetingGuest) -> str:
        return f"{obj.name} ({obj.partner})"


class AttendanceForm(forms.Form):
    """Who of those invited was at the meeting."""

    present = PresentField(
        queryset=User.objects.none(), label=_("Aanwezige deelnemers"), required=False
    )
    guests_present = GuestPresentField(
        queryset=MeetingGuest.objects.none(), label=_("Aanwezige gasten"), required=False
    )

    def __init__(self, *args, meeting: Meeting, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = meeting.attendees.all()
        self.fields["guests_present"].queryset = meeting.guests.select_related("partner")
        if not meeting.guests.exists():
            del self.fields["guests_present"]


class MoveMeetingForm(forms.Form):
    """Another time or place for a meeting that has not been held."""

    starts_at = MeetingForm.base_fields["starts_at"]
    location = MeetingForm.base_fields["location"]


class GuestForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=150, required=False)
    partner = forms.ModelChoiceField(
        queryset=Partner.objects.all(), label=_("Organisatie"), required=False
    )
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        required=False,
        help_text=_("Voor de uitnodiging in de agenda."),
    )

    def clean(self) -> dict:
        data = super().clean()
        if bool(data.get("name")) != bool(data.get("partner")):
            self.add_error("name", _("Vul naam en organisatie allebei in, of allebei niet."))
        elif data.get("email") and not data.get("name"):
            self.add_error("name", _("Vul ook de naam en de organisatie van de gast in."))
        return data

    def guest(self) -> GuestData | None:
        data = self.cleaned_data
        if not data.get("name"):
            return None
        return GuestData(data["name"], data["partner"], email=data.get("email") or "")


GuestFormSet = forms.formset_factory(
    GuestForm, extra=3, max_num=20, absolute_max=20, validate_max=True
)


class AgendaItemForm(forms.Form):
    """What the meeting decides about one case; the risk assessment and the plan are
    optional parts of the same submission (prefixes 'risico', 'plan' and 'actie')."""

    minutes = forms.CharField(label=_("Verslag"), widget=TextArea(5), required=False)
    decision = forms.CharField(label=_("Besluit"), widget=TextArea(2), required=False)
    coordinator = forms.ModelChoiceField(
        queryset=User.objects.none(), label=_("Casuscoördinator aanwijzen"), required=False
    )
    move_to = forms.ChoiceField(label=_("De casus gaat naar"), required=False)

    def __init__(self, *args, item: AgendaItem, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = User.objects.active_with_roles(Role.CASUSCOORDINATOR)
        self.fields["move_to"].choices = [("", _("blijft in de huidige stap"))] + [
            (code, label) for code, label in destinations(item)
        ]

    def clean(self) -> dict:
        data = super().clean()
        if not (data.get("minutes") or data.get("decision")):
            self.add_error("minutes", _("Schrijf het verslag of het besluit van dit agendapunt."))
        return data


class OptionalRiskForm(RiskAssessmentForm):
    """The risk assessment as an optional part of an agenda item: all or nothing."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for question in self.questions:
            self.fields[f"vraag_{question.code}"].required = False

    def is_filled(self) -> bool:
        return any(self.cleaned_data.get(f"vraag_{q.code}") for q in self.questions)

    def clean(self) -> dict:
        data = super().clean()
        if any(data.get(f"vraag_{q.code}") for q in self.questions):
            for question in self.questions:
                if not data.get(f"vraag_{question.code}"):
                    self.add_error(
                        f"vraag_{question.code}", _("Beantwoord deze vraag (ja, nee of onbekend).")
                    )
        return data


class OptionalPlanForm(PlanForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goals"].required = False
        if "revision_reason" in self.fields:
            self.fields["revision_reason"].required = False
