"""What the API does, through the same services as the screens: staff ask a partner,
the partner's contact answers and decides through the API, a case moves through the
engine, reports come in from a partner and from the public with the form's
protections, and every error has the one documented shape."""

import json
import time
from unittest import mock

import pytest
from django.test import Client
from django_tenants.utils import tenant_context

from audit.models import AuditAction, AuditEntry
from tests.factories import case_in_step
from tests.frontend.portal.world import partner_world
from workflow.intake import new_form_token
from workflow.models import InformationRequest, Referral, Report


def signed_in(region, user, client_for) -> Client:
    client = client_for(region)
    with tenant_context(region):
        client.force_login(user)
    return client


def post(client: Client, url: str, data: dict, **extra):
    return client.post(url, json.dumps(data), content_type="application/json", **extra)


def test_staff_ask_a_partner_who_answers_and_decides_through_the_api(twente, client_for, make_user):
    world = partner_world(twente, make_user, name="Lotte Vermeer")
    staff = signed_in(twente, world.staff, client_for)
    contact = signed_in(twente, world.contact, client_for)
    with tenant_context(twente):
        victim = world.casus.persons.get()
    asked = post(
        staff,
        f"/api/v1/casussen/{world.casus.reference}/informatieverzoeken/",
        {
            "partner": world.partner.pk,
            "question": "Kent u haar?",
            "persons": [victim.pk],
            "shared_fields": ["naam"],
            "legal_basis": "convenant",
            "legal_basis_text": "Nodig om de veiligheid in te schatten.",
        },
    )
    assert asked.status_code == 201, asked.content
    request_id = asked.json()["id"]

    shown = contact.get(f"/api/v1/partner/informatieverzoeken/{request_id}/").json()
    assert shown["question"] == "Kent u haar?"
    assert shown["shared"] == [{"rol": "(mogelijk) slachtoffer", "naam": "Lotte Vermeer"}]
    answered = post(
        contact, f"/api/v1/partner/informatieverzoeken/{request_id}/antwoord/", {"answer": "Ja."}
    )
    assert answered.status_code == 200 and answered.json()["answered_at"]
    again = post(
        contact, f"/api/v1/partner/informatieverzoeken/{request_id}/antwoord/", {"answer": "Nog"}
    )
    assert again.status_code == 400
    assert again.json()["fout"]["velden"] == {
        "algemeen": ["Dit verzoek is al beantwoord of gesloten."]
    }

    declined = post(
        contact,
        f"/api/v1/partner/doorverwijzingen/{world.referral.pk}/besluit/",
        {"accepted": False, "reason": ""},
    )
    assert declined.status_code == 400
    assert declined.json()["fout"]["code"] == "ongeldig"
    accepted = post(
        contact,
        f"/api/v1/partner/doorverwijzingen/{world.referral.pk}/besluit/",
        {"accepted": True},
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "geaccepteerd"

    with tenant_context(twente):
        answered_request = InformationRequest.objects.get(pk=request_id)
        assert answered_request.answer == "Ja." and answered_request.answered_via == "portaal"
        assert Referral.objects.get(pk=world.referral.pk).decided_by == world.contact
        # The contact's read of the shared details is an audit line for the person.
        assert AuditEntry.objects.filter(
            action=AuditAction.VIEW, user_id=world.contact.pk, person_id=str(victim.pk)
        ).exists()

    case_file = staff.get(f"/api/v1/casussen/{world.casus.reference}/").json()
    assert [r["answer"] for r in case_file["information_requests"] if r["id"] == request_id] == [
        "Ja."
    ]
    with tenant_context(twente):
        assert AuditEntry.objects.filter(
            action=AuditAction.VIEW,
            user_id=world.staff.pk,
            case_id=world.casus.reference,
            person_id=str(victim.pk),
        ).exists()


def test_a_case_moves_through_the_engine_or_hears_why_not(twente, client_for, make_user):
    staff_user = make_user(twente, "medewerker")
    casus = case_in_step(twente, "melding", staff_user)
    staff = signed_in(twente, staff_user, client_for)
    url = f"/api/v1/casussen/{casus.reference}/stap/"

    refused = post(staff, url, {"to": "evaluatie"})
    assert refused.status_code == 400
    assert refused.json()["fout"]["code"] == "overgang_geweigerd"
    assert refused.json()["fout"]["velden"]["algemeen"]

    moved = post(staff, url, {"to": "screening", "reason": "Compleet."})
    assert moved.status_code == 200, moved.content
    assert moved.json()["from_step"] == "melding" and moved.json()["to_step"] == "screening"
    assert staff.get(f"/api/v1/casussen/{casus.reference}/").json()["casus"]["current_step"][
        "code"
    ] == ("screening")


def test_the_case_list_filters_and_orders_as_the_screen(twente, client_for, make_user):
    staff_user = make_user(twente, "medewerker")
    first = case_in_step(twente, "melding", staff_user, name="Anna Jansen")
    second = case_in_step(twente, "screening", staff_user, name="Bram Smit")
    staff = signed_in(twente, staff_user, client_for)

    in_screening = staff.get("/api/v1/casussen/", {"step": "screening"}).json()
    assert second.reference in [row["reference"] for row in in_screening["resultaten"]]
    assert first.reference not in [row["reference"] for row in in_screening["resultaten"]]
    found = staff.get("/api/v1/casussen/", {"q": "Anna Jansen"}).json()["resultaten"]
    assert [row["reference"] for row in found] == [first.reference]
    by_code = staff.get("/api/v1/casussen/", {"order": "-casus"}).json()["resultaten"]
    references = [row["reference"] for row in by_code]
    assert references == sorted(references, reverse=True)
    wrong = staff.get("/api/v1/casussen/", {"order": "kleur"})
    assert wrong.status_code == 400 and "order" in wrong.json()["fout"]["velden"]


def test_a_partner_reports_as_in_the_portal_once_per_submission(twente, client_for, make_user):
    world = partner_world(twente, make_user)
    contact = signed_in(twente, world.contact, client_for)
    report = {
        "form_code": "meldformulier",
        "concern": "Een leerling wordt opgehaald door oudere mannen.",
        "signals": [],
        "persons": [{"role": "slachtoffer", "name": "Isa de Boer", "birth_year": 2009}],
        "submission_token": "1b4e28ba-2fa1-11d2-883f-0016d3cca427",
    }
    first = post(contact, "/api/v1/meldingen/", report)
    assert first.status_code == 201, first.content
    assert first.json()["secret"]
    repeated = post(contact, "/api/v1/meldingen/", report)
    assert repeated.status_code == 201 and repeated.json()["code"] == first.json()["code"]
    assert repeated.json()["secret"] == ""
    with tenant_context(twente):
        filed = Report.objects.get(follow_code=first.json()["code"])
        assert filed.recorded_by == world.contact
        assert filed.channel == "via-een-partner"
        assert filed.reporter_organisation == world.partner.name
        assert filed.persons.get().name == "Isa de Boer"
    unknown = post(
        contact, "/api/v1/meldingen/", report | {"form_code": "geheim", "signals": ["x"]}
    )
    assert unknown.status_code == 400
    assert set(unknown.json()["fout"]["velden"]) == {"form_code"}


def aged_form_token(seconds: float = 10) -> str:
    """A form token made `seconds` ago: a person's pace."""
    with mock.patch("django.core.signing.time.time", return_value=time.time() - seconds):
        return new_form_token()


PUBLIC_REPORT = {
    "form_code": "meldformulier",
    "reporter_type": "ouder",
    "concern": "Mijn dochter krijgt dure cadeaus.",
    "feedback_preference": "volgpagina",
    "persons": [{"role": "slachtoffer"}],
}


def test_the_public_channel_has_the_forms_protections(twente, client_for):
    public = client_for(twente)
    fresh = public.get("/api/v1/openbaar/formuliertoken/").json()["token"]
    too_fast = post(public, "/api/v1/openbaar/meldingen/", PUBLIC_REPORT | {"token": fresh})
    assert too_fast.status_code == 400
    assert too_fast.json()["fout"]["velden"] == {
        "token": ["Dat ging erg snel. Controleer uw antwoorden en verstuur opnieuw."]
    }
    forged = post(public, "/api/v1/openbaar/meldingen/", PUBLIC_REPORT | {"token": "x:y:z"})
    assert forged.status_code == 400 and "token" in forged.json()["fout"]["velden"]

    sent = [
        post(public, "/api/v1/openbaar/meldingen/", PUBLIC_REPORT | {"token": aged_form_token()})
        for _ in range(6)
    ]
    assert [response.status_code for response in sent] == [201] * 5 + [429]
    assert sent[-1].json()["fout"]["code"] == "te_veel_verzoeken"
    with tenant_context(twente):
        report = Report.objects.get(follow_code=sent[0].json()["code"])
        assert report.recorded_by is None and report.channel == "webformulier"


def test_a_request_larger_than_a_form_may_be_is_refused(twente, client_for, settings):
    too_large = {"concern": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
    response = post(client_for(twente), "/api/v1/openbaar/meldingen/", too_large)
    assert response.status_code == 413
    assert response.json()["fout"]["code"] == "te_groot"


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code"),
    [
        ("{niet json", "application/json", 400, "ongeldige_json"),
        ("a=b", "application/x-www-form-urlencoded", 415, "niet_ondersteund"),
    ],
)
def test_errors_have_one_shape(twente, client_for, body, content_type, status, code):
    response = client_for(twente).post(
        "/api/v1/openbaar/meldingen/", body, content_type=content_type
    )
    assert response.status_code == status
    assert response.json() == {
        "fout": {"code": code, "melding": response.json()["fout"]["melding"], "velden": {}}
    }
    assert response.json()["fout"]["melding"]


def test_errors_before_any_view_are_json_under_api_and_pages_elsewhere(twente, client_for):
    client = client_for(twente)
    unknown = client.get("/api/v1/bestaat-niet/")
    assert unknown.status_code == 404 and unknown.json()["fout"]["code"] == "niet_gevonden"
    nul = client.get("/api/v1/casussen/", {"q": "a\x00b"})
    assert nul.status_code == 400 and nul.json()["fout"]["code"] == "ongeldig"
    assert client.get("/bestaat-niet/")["Content-Type"].startswith("text/html")


def test_a_message_is_english_for_who_chose_english(twente, client_for, settings):
    client = client_for(twente)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/api/v1/casussen/")
    assert response.json()["fout"]["melding"] == "Sign in, or send a valid API token."


def test_statistics_refuse_a_period_outside_the_calendar_they_count_in(
    twente, client_for, make_user
):
    analist = signed_in(twente, make_user(twente, "analist"), client_for)
    far = analist.get(
        "/api/v1/statistiek/", {"van": "9999-01-01", "tot_en_met": "9999-12-31", "indeling": "jaar"}
    )
    assert far.status_code == 400
    assert far.json()["fout"]["velden"]["van"] == ["Kies een datum tussen 1900 en 2100."]
    shown = analist.get(
        "/api/v1/statistiek/", {"van": "2025-01-01", "tot_en_met": "2025-12-31", "indeling": "jaar"}
    ).json()
    assert shown["selectie"]["van"] == "2025-01-01"
    period = next(table for table in shown["tabellen"] if table["slug"] == "per_periode")
    assert period["rows"][0]["values"] == {"meldingen": "<5", "casussen": "<5"}
