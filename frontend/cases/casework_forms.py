"""Forms of the casework screens: one form per task page (the journal, the information
round, the risk assessment, the plan, coordination, referral, closure, evaluation,
documents, links and the agenda)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.policy import Role
from configuratie.models import (
    CatalogueEntry,
    CatalogueKind,
    Chain,
    Participation,
    Partner,
    RiskLevel,
    RiskQuestion,
)
from frontend.meetings.naming import MeetingChoiceField
from workflow.labels import ASSESSMENT_ANSWERS
from workflow.models import (
    CaseLink,
    Casus,
    Consent,
    EvaluationRating,
    ExternalCoordinator,
    InformationRequest,
    InvolvedPerson,
    JournalEntry,
    LegalBasis,
    Meeting,
    PartnerResponse,
    PlanAction,
    Referral,
    SharedField,
)
from workflow.services import documents, plans
from workflow.services.records import partners_taking_part
from workflow.services.risk import ANSWERS

RISK_ANSWERS = [(code, ASSESSMENT_ANSWERS[code]) for code in ANSWERS]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class TextArea(forms.Textarea):
    def __init__(self, rows: int = 4) -> None:
        super().__init__(attrs={"rows": rows})


def person_choice_label(person: InvolvedPerson) -> str:
    who = person.name or _("(naam onbekend)")
    born = f", {person.birth_year}" if person.birth_year else ""
    return f"{person.get_role_display()}: {who}{born}"


class PersonChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: InvolvedPerson) -> str:
        return person_choice_label(obj)


class PersonRadioField(forms.ModelChoiceField):
    widget = forms.RadioSelect

    def label_from_instance(self, obj: InvolvedPerson) -> str:
        return person_choice_label(obj)


class JournalForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort"), choices=JournalEntry.Kind.choices)
    text = forms.CharField(
        label=_("Tekst"), widget=TextArea(), error_messages={"required": _("Schrijf de notitie.")}
    )


class SharingForm(forms.Form):
    """What goes to a partner: which persons, which of their details, and on what it
    rests (their consent, or a legal basis with the reason)."""

    participation = ""  # which partners may receive it

    partner = forms.ModelChoiceField(
        queryset=Partner.objects.none(),
        label=_("Partner"),
        error_messages={"required": _("Kies de partner.")},
    )
    persons = PersonChoiceField(
        queryset=InvolvedPerson.objects.none(),
        label=_("Over welke betrokkene(n) deelt u iets?"),
        required=False,
    )
    shared_fields = forms.MultipleChoiceField(
        label=_("Welke gegevens van hen deelt u?"),
        choices=SharedField.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Deel niet meer dan de partner nodig heeft."),
    )
    legal_basis = forms.ChoiceField(
        label=_("Waarop rust het delen?"),
        choices=LegalBasis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies de grondslag waarop u deelt.")},
        help_text=_(
            "Met toestemming: die moet voor elke gekozen betrokkene zijn vastgelegd. "
            "Zonder toestemming: kies de grondslag en schrijf de reden."
        ),
    )
    legal_basis_text = forms.CharField(
        label=_("Reden om zonder toestemming te delen"), widget=TextArea(2), required=False
    )
    answer_by = forms.DateField(label=_("Antwoord gevraagd voor"), widget=DateInput, required=False)

    def __init__(self, *args, casus: Casus, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners_taking_part(self.participation)
        self.fields["persons"].queryset = InvolvedPerson.objects.filter(casus=casus)
        if not self.is_bound:
            self.initial.setdefault("answer_by", timezone.localdate() + timezone.timedelta(days=7))


class InformationRequestForm(SharingForm):
    participation = Participation.INFORMATION_ROUND

    subject = forms.CharField(
        label=_("Onderwerp"),
        max_length=120,
        help_text=_(
            "Een paar woorden zonder namen. U en de partner zien het verzoek hieraan en aan "
            "zijn nummer terug."
        ),
        error_messages={"required": _("Geef het verzoek een onderwerp.")},
    )
    question = forms.CharField(
        label=_("Vraag aan de partner"),
        widget=TextArea(),
        error_messages={"required": _("Schrijf de vraag aan de partner.")},
    )
    field_order = ["partner", "subject", "question"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].help_text = _(
            "Alleen partners met een geldend convenant die meedoen aan de informatieronde."
        )
        self.fields["persons"].label = _("Over welke betrokkene(n) vraagt u iets?")


class ReferralForm(SharingForm):
    participation = Participation.REFERRAL

    help = forms.ChoiceField(
        label=_("Om welke hulp gaat het?"),
        choices=Referral.Help.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies om welke hulp het gaat.")},
    )
    notes = forms.CharField(
        label=_("Toelichting voor de partner"), widget=TextArea(), required=False
    )
    field_order = ["partner", "help", "notes"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].label = _("Doorverwijzen naar")
        self.fields["partner"].help_text = _(
            "Alleen partners met een geldend convenant die doorverwijzingen aannemen."
        )
        self.fields["persons"].label = _("Wie verwijst u door?")


class DecisionForm(forms.Form):
    """A partner's decision on a referral: accepted, or declined with a reason."""

    accepted = forms.TypedChoiceField(
        label=_("Besluit"),
        choices=[("ja", _("geaccepteerd")), ("nee", _("niet geaccepteerd"))],
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies of de doorverwijzing is geaccepteerd.")},
    )
    reason = forms.CharField(
        label=_("Reden (verplicht bij niet accepteren)"), widget=TextArea(2), required=False
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("accepted") is False and not data.get("reason", "").strip():
            self.add_error(
                "reason", _("Geef de reden waarom de doorverwijzing niet wordt geaccepteerd.")
            )
        return data


class StaffDecisionForm(DecisionForm):
    via = forms.ChoiceField(
        label=_("Hoe kwam het besluit binnen?"),
        choices=[c for c in PartnerResponse.choices if c[0] != PartnerResponse.PORTAL],
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies hoe het besluit van de partner binnenkwam.")},
    )


class ConsentForm(forms.Form):
    person = PersonRadioField(
        queryset=InvolvedPerson.objects.none(),
        label=_("Van wie is de toestemming?"),
        error_messages={"required": _("Kies de betrokkene.")},
    )
    purpose = forms.ChoiceField(
        label=_("Waarvoor?"),
        choices=Consent.Purpose.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies waarvoor de toestemming is.")},
    )
    given_by = forms.ChoiceField(
        label=_("Wie gaf de toestemming?"),
        choices=Consent.GivenBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies wie de toestemming gaf.")},
    )
    given_on = forms.DateField(
        label=_("Gegeven op"),
        widget=DateInput,
        error_messages={
            "required": _("Vul de datum in."),
            "invalid": _("Vul een geldige datum in."),
        },
    )
    scope = forms.CharField(
        label=_("Voor wat precies?"),
        widget=TextArea(2),
        help_text=_("Bijvoorbeeld: informatie delen met de politie over contact met de dader."),
        error_messages={"required": _("Beschrijf waarvoor precies toestemming is gegeven.")},
    )

    def __init__(self, *args, casus: Casus, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = InvolvedPerson.objects.filter(casus=casus)
        if not self.is_bound:
            self.initial.setdefault("given_on", timezone.localdate())


class WithdrawConsentForm(forms.Form):
    withdrawn_on = forms.DateField(
        label=_("Ingetrokken op"),
        widget=DateInput,
        error_messages={
            "required": _("Vul de datum in."),
            "invalid": _("Vul een geldige datum in."),
        },
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Antwoord van de partner"),
        widget=TextArea(),
        error_messages={"required": _("Schrijf het antwoord van de partner.")},
    )
    answered_via = forms.ChoiceField(
        label=_("Hoe kwam het antwoord binnen?"),
        choices=[
            choice
            for choice in InformationRequest.AnsweredVia.choices
            if choice[0] != InformationRequest.AnsweredVia.PORTAL
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies hoe het antwoord binnenkwam.")},
    )


class CloseRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden om het verzoek te sluiten zonder antwoord"),
        widget=TextArea(2),
        error_messages={"required": _("Geef de reden om het verzoek te sluiten.")},
    )


class RiskAssessmentForm(forms.Form):
    """One radio group per question of the region's instrument, the team's level and,
    where it differs from the computed one, the reason."""

    level = forms.ChoiceField(
        label=_("Niveau volgens het team"),
        required=False,
        help_text=_("Laat leeg om het berekende niveau over te nemen."),
    )
    deviation_reason = forms.CharField(
        label=_("Reden voor een ander niveau dan het berekende"), widget=TextArea(2), required=False
    )

    def __init__(self, *args, prefill: dict[str, str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(RiskQuestion.objects.all())
        self.levels = list(RiskLevel.objects.order_by("threshold"))
        for question in self.questions:
            self.fields[f"vraag_{question.code}"] = forms.ChoiceField(
                label=question.text,
                choices=RISK_ANSWERS,
                widget=forms.RadioSelect(attrs={"data-weight": question.weight}),
                error_messages={"required": _("Beantwoord deze vraag (ja, nee of onbekend).")},
            )
            if prefill and not self.is_bound and prefill.get(question.code) in ANSWERS:
                self.initial[f"vraag_{question.code}"] = prefill[question.code]
        self.fields["level"].choices = [("", _("het berekende niveau"))] + [
            (level.level, level.level) for level in self.levels
        ]
        self.order_fields([f"vraag_{q.code}" for q in self.questions])

    def answers(self) -> dict[str, str]:
        return {q.code: self.cleaned_data[f"vraag_{q.code}"] for q in self.questions}


class PlanForm(forms.Form):
    goals = forms.CharField(
        label=_("Doelen"), widget=TextArea(), error_messages={"required": _("Schrijf de doelen.")}
    )
    revision_reason = forms.CharField(
        label=_("Reden van de herziening"), widget=TextArea(2), required=False
    )

    def __init__(self, *args, revising: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if revising:
            self.fields["revision_reason"].required = True
            self.fields["revision_reason"].error_messages["required"] = _(
                "Geef de reden van de herziening."
            )
        else:
            del self.fields["revision_reason"]


class ActionForm(forms.Form):
    description = forms.CharField(label=_("Actie"), widget=TextArea(2))
    owner_partner = forms.ModelChoiceField(
        queryset=Partner.objects.none(), label=_("Eigenaar: partner"), required=False
    )
    owner_name = forms.CharField(label=_("of eigenaar: persoon"), max_length=150, required=False)
    chain = forms.ChoiceField(
        label=_("Keten"),
        choices=[("", _("volgens de partner")), *Chain.choices],
        required=False,
    )
    due_on = forms.DateField(label=_("Gereed voor"), widget=DateInput, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=PlanAction.Status.choices, initial=PlanAction.Status.OPEN
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_partner"].queryset = plans.partners_for_actions()

    def has_changed(self) -> bool:
        # The status has a default: a block with nothing else filled in is no action.
        return any(name != "status" for name in self.changed_data)

    def clean(self) -> dict:
        data = super().clean()
        if self.has_changed():
            if not data.get("description"):
                self.add_error("description", _("Beschrijf de actie."))
            if bool(data.get("owner_partner")) == bool(data.get("owner_name")):
                self.add_error("owner_partner", _("Kies één eigenaar: een partner of een persoon."))
            if not (data.get("chain") or data.get("owner_partner")):
                self.add_error("chain", _("Kies de keten: zorg of justitie."))
        return data

    def action_data(self) -> plans.ActionData:
        data = self.cleaned_data
        return plans.ActionData(
            description=data["description"],
            chain=data["chain"],
            owner_partner=data["owner_partner"],
            owner_name=data["owner_name"],
            due_on=data["due_on"],
            status=data["status"],
        )


ActionFormSet = forms.formset_factory(
    ActionForm, extra=3, max_num=30, absolute_max=30, validate_max=True
)


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=PlanAction.Status.choices)
    outcome = forms.CharField(label=_("Resultaat"), widget=TextArea(3), required=False)


class CoordinatorForm(forms.Form):
    """Either a colleague with the role, or someone without an account, in one form."""

    INTERNAL = "account"
    who = forms.ChoiceField(
        label=_("Wie wordt casuscoördinator?"),
        choices=[
            (INTERNAL, _("een casuscoördinator met een account")),
            *ExternalCoordinator.Kind.choices,
        ],
        widget=forms.RadioSelect,
        initial=INTERNAL,
    )
    coordinator = forms.ModelChoiceField(
        queryset=User.objects.none(), label=_("Casuscoördinator met een account"), required=False
    )
    name = forms.CharField(label=_("Naam (zonder account)"), max_length=150, required=False)
    organisation = forms.CharField(label=_("Organisatie"), max_length=200, required=False)
    phone = forms.CharField(label=_("Telefoon"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mailadres"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = User.objects.active_with_roles(Role.CASUSCOORDINATOR)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("who") == self.INTERNAL and not data.get("coordinator"):
            self.add_error("coordinator", _("Kies de casuscoördinator."))
        if data.get("who") != self.INTERNAL and not data.get("name"):
            self.add_error("name", _("Vul de naam in."))
        return data


class ClosingReasonForm(forms.Form):
    code = forms.ChoiceField(
        label=_("Afsluitreden"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies een afsluitreden.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [
            (entry.code, entry.name)
            for entry in CatalogueEntry.objects.filter(
                catalogue=CatalogueKind.CLOSING_REASON, is_active=True
            )
        ]


class EvaluationForm(forms.Form):
    def __init__(self, *args, questions: list[CatalogueEntry], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        order = []
        for question in questions:
            self.fields[f"kort_{question.code}"] = forms.ChoiceField(
                label=question.name,
                choices=EvaluationRating.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Kies ja, deels, nee of onbekend.")},
            )
            self.fields[f"vraag_{question.code}"] = forms.CharField(
                label=_("Toelichting: %(question)s") % {"question": question.name},
                widget=TextArea(3),
                required=False,
            )
            order += [f"kort_{question.code}", f"vraag_{question.code}"]
        self.order_fields(order)

    def answers(self) -> dict[str, str]:
        return {q.code: self.cleaned_data[f"vraag_{q.code}"] for q in self.questions}

    def ratings(self) -> dict[str, str]:
        return {q.code: self.cleaned_data[f"kort_{q.code}"] for q in self.questions}


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden"), widget=TextArea(3), error_messages={"required": _("Geef een reden.")}
    )


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200, required=False)
    upload = forms.FileField(
        label=_("Bestand"),
        help_text=_("Hoogstens %(mb)d MB; %(types)s.")
        % {"mb": documents.MAX_BYTES // 2**20, "types": documents.allowed_types_text()},
        error_messages={"required": _("Kies een bestand.")},
    )


class LinkForm(forms.Form):
    reference = forms.CharField(
        label=_("Casuscode van de andere casus"),
        max_length=20,
        error_messages={"required": _("Vul de casuscode in.")},
    )
    kind = forms.ChoiceField(
        label=_("Soort koppeling"), choices=CaseLink.Kind.choices, widget=forms.RadioSelect
    )

    def clean_reference(self) -> str:
        return self.cleaned_data["reference"].strip().upper()


class AgendaForm(forms.Form):
    meeting = MeetingChoiceField(
        queryset=Meeting.objects.none(),
        label=_("Overleg"),
        empty_label=None,
        error_messages={"required": _("Kies het overleg.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = (
            Meeting.objects.filter(
                closed_at__isnull=True,
                cancelled_at__isnull=True,
                starts_at__date__gte=timezone.localdate(),
            )
            .select_related("chair")
            .order_by("starts_at")
        )
