"""The public report form, built from the region's configuration."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from configuratie.models import CatalogueEntry
from frontend.report_questions import ReportQuestions
from workflow import intake
from workflow.models import FeedbackPreference, ReporterType
from workflow.services.reports import PersonData, ReportData


class ReportForm(ReportQuestions, forms.Form):
    reporter_type = forms.ChoiceField(
        label=_("Wie meldt er?"),
        choices=ReporterType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies wie er meldt.")},
    )
    reporter_organisation = forms.CharField(
        label=_("Organisatie"),
        max_length=200,
        required=False,
        help_text=_("Alleen als u meldt vanuit uw werk."),
    )
    concern = forms.CharField(
        label=_("Wat is uw zorg?"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
        help_text=_("Vertel in uw eigen woorden wat u heeft gezien of gehoord, en wanneer."),
        error_messages={
            "required": _("Beschrijf uw zorg."),
            "max_length": _("Gebruik hoogstens 10.000 tekens."),
        },
    )
    signals = forms.MultipleChoiceField(
        label=_("Welke signalen herkent u?"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    anonymous = forms.BooleanField(
        label=_("Ik wil anoniem melden"),
        required=False,
        help_text=_(
            "Dan vragen wij niet naar uw naam. U kunt de melding toch volgen met uw meldcode."
        ),
    )
    reporter_name = forms.CharField(label=_("Uw naam"), max_length=150, required=False)
    reporter_email = forms.EmailField(
        label=_("Uw e-mailadres"),
        required=False,
        error_messages={"invalid": _("Vul een geldig e-mailadres in.")},
    )
    reporter_phone = forms.CharField(label=_("Uw telefoonnummer"), max_length=30, required=False)
    feedback_preference = forms.ChoiceField(
        label=_("Hoe wilt u terugkoppeling krijgen?"),
        choices=FeedbackPreference.choices,
        initial=FeedbackPreference.FOLLOW_PAGE,
        widget=forms.RadioSelect,
    )
    website = forms.CharField(  # a trap for robots: hidden from people, filled in by bots
        required=False,
        label=_("Laat dit veld leeg"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, offered: CatalogueEntry, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.ask_questions_of(offered)
        if not self.is_bound:
            self.initial["token"] = intake.new_form_token()

    def clean_website(self) -> str:
        if self.cleaned_data["website"]:
            raise forms.ValidationError(_("Dit veld moet leeg blijven."))
        return ""

    def clean_token(self) -> uuid.UUID:
        try:
            return intake.submission_of(self.cleaned_data["token"])
        except intake.ExpiredFormToken:
            self.data = self.data.copy()
            self.data["token"] = intake.new_form_token()
            raise

    def clean(self) -> dict:
        data = super().clean()
        refused = intake.feedback_refusals(
            data.get("feedback_preference", ""),
            email=data.get("reporter_email", ""),
            phone=data.get("reporter_phone", ""),
        )
        for field, message in refused.items():
            self.add_error(field, message)
        return data

    def report_data(self, persons: list[PersonData], channel: str) -> ReportData:
        data = self.cleaned_data
        return ReportData(
            form_code=self.form_code,
            channel=channel,
            reporter_type=data["reporter_type"],
            concern=data["concern"],
            reporter_organisation=data["reporter_organisation"],
            anonymous=data["anonymous"],
            reporter_name=data["reporter_name"],
            reporter_email=data["reporter_email"],
            reporter_phone=data["reporter_phone"],
            feedback_preference=data["feedback_preference"],
            signals=self.signals_named(),
            risk_answers=self.risk_answers(),
            persons=persons,
        )


class FollowForm(forms.Form):
    """The reporter's way in: report code and secret. A form, so that what no person
    types (a NUL byte, a megabyte) is refused with a message instead of reaching the database."""

    code = forms.CharField(
        label=_("Meldcode"),
        max_length=20,
        help_text=_("Bijvoorbeeld M-ABCD-EFGH"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": _("Vul uw meldcode in."),
            "max_length": _("Een meldcode is korter. Controleer wat u invulde."),
            "null_characters_not_allowed": _("De meldcode bevat een teken dat er niet in hoort."),
        },
    )
    secret = forms.CharField(
        label=_("Geheime code"),
        max_length=40,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": _("Vul uw geheime code in."),
            "max_length": _("Een geheime code is korter. Controleer wat u invulde."),
            "null_characters_not_allowed": _(
                "De geheime code bevat een teken dat er niet in hoort."
            ),
        },
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].upper()


class ReplyForm(forms.Form):
    """The reporter's answer to a question of the meldpunt, or an addition."""

    text = forms.CharField(
        label=_("Antwoord op een vraag, of iets aanvullen"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Schrijf uw antwoord of aanvulling."),
            "max_length": _("Gebruik hoogstens 10.000 tekens."),
            "null_characters_not_allowed": _("Uw tekst bevat een teken dat er niet in hoort."),
        },
    )
