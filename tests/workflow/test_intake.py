"""The intake rules hold alike on the public form and on the API's public channel, and
for any other caller of the report services."""

import json
import time
from unittest import mock

import pytest
from django.urls import reverse
from django_tenants.utils import tenant_context

from workflow import intake
from workflow.models import Report
from workflow.services import reports

RISK_FORM = "risicotaxatieformulier"
CONTACT_FORM = "contactformulier"
KNOWN_SIGNAL = "the first signal of the region's list"

# One row per case: what the reporter sends, and the messages it is refused with
# (none: it is taken in). The same rows run on the form and on the API.
CASES = {
    "a complete report": ({}, set()),
    "feedback by e-mail with an address": (
        {"feedback_preference": "email", "reporter_email": "ouder@example.nl"},
        set(),
    ),
    "feedback by e-mail without an address": (
        {"feedback_preference": "email"},
        {str(intake.NO_EMAIL)},
    ),
    "feedback by phone without a number": (
        {"feedback_preference": "telefoon"},
        {str(intake.NO_PHONE)},
    ),
    "a signal the region lists": ({"signals": [KNOWN_SIGNAL]}, set()),
    "a signal the region does not list": (
        {"signals": ["geen-signaal-van-de-regio"]},
        {str(intake.UNKNOWN_SIGNAL)},
    ),
    "an answer to a risk question": ({"risk_answers": {"minderjarig": "ja"}}, set()),
    "an answer that is not one of the answers": (
        {"risk_answers": {"minderjarig": "misschien"}},
        {str(intake.UNKNOWN_ANSWER)},
    ),
    "no feedback address and an unknown signal": (
        {"feedback_preference": "telefoon", "signals": ["geen-signaal-van-de-regio"]},
        {str(intake.NO_PHONE), str(intake.UNKNOWN_SIGNAL)},
    ),
}


def aged_form_token() -> str:
    """A form token made ten seconds ago: a person's pace."""
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 10):
        return intake.new_form_token()


def report(case: dict, signal: str) -> dict:
    content = {
        "reporter_type": "ouder",
        "concern": "Mijn dochter van 15 krijgt dure cadeaus van een veel oudere vriend.",
        "feedback_preference": "volgpagina",
        "signals": [],
        "risk_answers": {},
    } | case
    content["signals"] = [signal if code == KNOWN_SIGNAL else code for code in content["signals"]]
    return content


def through_the_form(client, content: dict) -> tuple[bool, set[str]]:
    fields = {key: value for key, value in content.items() if key != "risk_answers"}
    answers = {f"risk_{code}": answer for code, answer in content["risk_answers"].items()}
    persons = {"persoon-TOTAL_FORMS": "1", "persoon-INITIAL_FORMS": "0", "persoon-0-role": ""}
    response = client.post(
        reverse("public:report_form", args=[RISK_FORM]),
        fields | answers | persons | {"token": aged_form_token(), "website": ""},
    )
    if response.status_code == 302:
        return True, set()
    assert response.status_code == 400
    form = response.context["form"]
    return False, {message for messages in form.errors.values() for message in messages}


def through_the_api(client, content: dict) -> tuple[bool, set[str]]:
    body = content | {"form_code": RISK_FORM, "token": aged_form_token()}
    response = client.post(
        "/api/v1/openbaar/meldingen/", json.dumps(body), content_type="application/json"
    )
    if response.status_code == 201:
        return True, set()
    assert response.status_code == 400
    fields = response.json()["fout"]["velden"]
    return False, {message for messages in fields.values() for message in messages}


@pytest.mark.parametrize("channel", [through_the_form, through_the_api], ids=["form", "api"])
@pytest.mark.parametrize("case", CASES)
def test_an_intake_case_ends_alike_on_the_form_and_the_api(limburg, client_for, channel, case):
    sent, refused_with = CASES[case]
    with tenant_context(limburg):
        offered = intake.offered_forms().get(code=RISK_FORM)
        signal = intake.signal_choices(offered)[0][0]
        before = Report.objects.count()
    taken_in, messages = channel(client_for(limburg), report(sent, signal))
    assert (taken_in, messages) == (not refused_with, refused_with)
    with tenant_context(limburg):
        assert Report.objects.count() == before + taken_in


def test_the_service_refuses_what_no_form_offers_to_any_caller(limburg):
    """What a form cannot even show (signals on the contact form, a question the form
    does not ask, a form the region does not offer) a third caller is refused too."""
    data = reports.ReportData(
        form_code=CONTACT_FORM,
        channel=reports.WEB_CHANNEL,
        reporter_type="ouder",
        concern="Zorgen.",
        signals=["iets"],
        risk_answers={"minderjarig": "ja"},
        feedback_preference="email",
    )
    with tenant_context(limburg):
        before = Report.objects.count()
        with pytest.raises(intake.IntakeRefused) as refused:
            reports.submit_report(data, submission_token=None)
        assert refused.value.message_dict == {
            "signals": [str(intake.UNKNOWN_SIGNAL)],
            "risk_answers": [str(intake.UNKNOWN_QUESTION)],
            "reporter_email": [str(intake.NO_EMAIL)],
        }
        data.form_code = "bestaat-niet"
        with pytest.raises(intake.IntakeRefused) as refused:
            reports.submit_report(data, submission_token=None)
        assert refused.value.message_dict == {"form_code": [str(intake.UNKNOWN_FORM)]}
        assert Report.objects.count() == before


def test_the_reports_per_address_are_counted_by_the_service(limburg):
    data = reports.ReportData(
        form_code=RISK_FORM, channel=reports.WEB_CHANNEL, reporter_type="ouder", concern="Z."
    )
    with tenant_context(limburg):
        for _ in range(intake.REPORTS_PER_ADDRESS.attempts):
            reports.submit_report(data, submission_token=None, client="203.0.113.9")
        with pytest.raises(intake.TooManyReports):
            reports.submit_report(data, submission_token=None, client="203.0.113.9")
        reports.submit_report(data, submission_token=None, client="203.0.113.10")
