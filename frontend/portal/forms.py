"""Forms of the partner portal: an answer to a request, a decision on a referral, and a
report filed by a partner's professional."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from configuratie.models import CatalogueEntry, Partner
from frontend.cases.casework_forms import DecisionForm, TextArea
from frontend.public.forms import ReportForm
from workflow.services.reports import PersonData, ReportData, partner_report_data


class PortalAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Uw antwoord"),
        widget=TextArea(6),
        max_length=10000,
        help_text=_("Deel niet meer dan het meldpunt nodig heeft om de vraag te beantwoorden."),
        error_messages={
            "required": _("Schrijf uw antwoord."),
            "max_length": _("Gebruik hoogstens 10.000 tekens."),
        },
    )


class PortalDecisionForm(DecisionForm):
    pass


class PartnerReportForm(ReportForm):
    """The public report form without what the portal already knows: who reports, for
    which organisation, and that the reporter follows the report in the portal."""

    KNOWN = (
        "reporter_type",
        "reporter_organisation",
        "anonymous",
        "reporter_name",
        "reporter_email",
        "reporter_phone",
        "feedback_preference",
        "website",
    )

    def __init__(self, *args, offered: CatalogueEntry, user: User, partner: Partner, **kwargs):
        super().__init__(*args, offered=offered, **kwargs)
        for name in self.KNOWN:
            del self.fields[name]
        self.user, self.partner = user, partner

    def report_data(self, persons: list[PersonData]) -> ReportData:
        return partner_report_data(
            user=self.user,
            partner=self.partner,
            form_code=self.form_code,
            concern=self.cleaned_data["concern"],
            signals=self.cleaned_data.get("signals", []),
            risk_answers=self.risk_answers(),
            persons=persons,
        )
