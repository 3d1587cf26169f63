"""Forms of the staff case screens."""

from django import forms
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from configuratie.models import CatalogueEntry, CatalogueKind, Priority
from frontend.report_questions import ReportQuestions
from workflow.models import Report, ReporterType, ScreeningOutcome


def catalogue_choices(kind: str, empty: str = "") -> list[tuple[str, str]]:
    entries = CatalogueEntry.objects.filter(catalogue=kind, is_active=True)
    return [("", empty or "—")] + [(entry.code, entry.name) for entry in entries]


class ScreeningOutcomeForm(forms.Form):
    prefix = "uitkomst"  # several forms share one page: ids must stay unique

    outcome = forms.ChoiceField(
        label=_("Is er sprake van loverboyproblematiek?"),
        choices=ScreeningOutcome.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies een uitkomst.")},
    )
    advice = forms.CharField(
        label=_("Advies"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ReportsField(forms.ModelMultipleChoiceField):
    """Which of the case's reports (and so which reporters) a message is for."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Report) -> str:
        return _("%(code)s: %(who)s, %(date)s") % {
            "code": obj.follow_code,
            "who": obj.get_reporter_type_display(),
            "date": date_format(localtime(obj.submitted_at), "j F Y"),
        }


class ToReportersForm(forms.Form):
    reports = ReportsField(
        queryset=Report.objects.none(),
        label=_("Voor de melder van"),
        error_messages={"required": _("Kies voor welke melding(en) dit is.")},
    )

    def __init__(self, *args, reports, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reports"].queryset = reports
        if not self.is_bound:
            self.initial.setdefault("reports", self.default_reports(list(reports)))

    def default_reports(self, reports: list[Report]) -> list[Report]:
        return reports[-1:]


class QuestionForm(ToReportersForm):
    prefix = "vraag"  # several forms share one page: ids must stay unique
    field_order = ["question", "reports"]

    question = forms.CharField(
        label=_("Vraag aan de melder"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "De melder leest de vraag op de volgpagina; wie om e-mail vroeg, krijgt bericht dat er een vraag is."
        ),
        error_messages={"required": _("Schrijf de vraag aan de melder.")},
    )


class FeedbackForm(ToReportersForm):
    prefix = "terugkoppeling"  # several forms share one page: ids must stay unique
    field_order = ["text", "reports"]

    def default_reports(self, reports: list[Report]) -> list[Report]:
        return reports  # every reporter hears back

    text = forms.CharField(
        label=_("Terugkoppeling aan de melder"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Schrijf de terugkoppeling aan de melder.")},
    )


class CaseDetailsForm(forms.Form):
    prefix = "gegevens"  # several forms share one page: ids must stay unique

    case_type = forms.ChoiceField(label=_("Casustype (spoor)"), required=False)
    priority = forms.ModelChoiceField(
        queryset=Priority.objects.all(), label=_("Prioriteit"), required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case_type"].choices = catalogue_choices(CatalogueKind.CASE_TYPE)


class MoveForm(forms.Form):
    to = forms.CharField(
        widget=forms.HiddenInput,
        max_length=40,
        error_messages={"required": _("Kies de stap waar de casus heen gaat.")},
    )
    reason = forms.CharField(
        label=_("Toelichting (niet verplicht)"), required=False, max_length=2000
    )


class IntakeForm(ReportQuestions, forms.Form):
    """A report taken by staff, asking what the region's form `offered` asks (its
    signals and risk questions), so that it counts like a report through that form."""

    channel = forms.ChoiceField(label=_("Hoe kwam de melding binnen?"))
    reporter_type = forms.ChoiceField(label=_("Wie meldt er?"), choices=ReporterType.choices)
    reporter_organisation = forms.CharField(
        label=_("Organisatie van de melder"), max_length=200, required=False
    )
    anonymous = forms.BooleanField(label=_("De melder wil anoniem blijven"), required=False)
    reporter_name = forms.CharField(label=_("Naam melder"), max_length=150, required=False)
    reporter_email = forms.EmailField(label=_("E-mailadres melder"), required=False)
    reporter_phone = forms.CharField(label=_("Telefoon melder"), max_length=30, required=False)
    concern = forms.CharField(
        label=_("De zorg, in de woorden van de melder"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Beschrijf de zorg.")},
    )
    signals = forms.MultipleChoiceField(
        label=_("Welke signalen noemt de melder?"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    link_to = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, offered: CatalogueEntry, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = catalogue_choices(CatalogueKind.CHANNEL)[1:]
        self.ask_questions_of(offered)

    def report_fields(self) -> dict:
        """What the form holds for workflow.services.reports.ReportData."""
        asked = {"signals", "link_to"} | {f"risk_{q.code}" for q in self.risk_questions}
        kept = {k: v for k, v in self.cleaned_data.items() if k not in asked}
        return kept | {
            "form_code": self.form_code,
            "signals": self.signals_named(),
            "risk_answers": self.risk_answers(),
        }
