"""Through the API as on the screens: consent recorded and withdrawn, the registration
with CoMensha refused without consent and prepared, read as its file and sent with it,
the evaluation, a link to another case by its code, a document, and advice without a
report."""

import base64
import json

from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context

from statistiek.models import AdviceRequest
from tests.factories import case_in_step, evaluation_post
from workflow.models import CaseLink, ComenshaRegistration, Consent, Evaluation

REGISTRATION = {
    "exploitation": "arbeid",
    "country_of_origin": "Polen",
    "age": 15,
    "gender": "v",
    "identifying_organisation": "Inspectie SZW",
    "need": "registratie",
}


def signed_in(region, user, client_for) -> Client:
    client = client_for(region)
    with tenant_context(region):
        client.force_login(user)
    return client


def post(client: Client, url: str, data: dict):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_consent_then_the_comensha_registration_through_the_api(twente, client_for, make_user):
    staff_user = make_user(twente, "medewerker")
    casus = case_in_step(twente, "melding", staff_user, name="Ewa Nowak")  # born 2010
    staff = signed_in(twente, staff_user, client_for)
    url = f"/api/v1/casussen/{casus.reference}/"
    with tenant_context(twente):
        victim = casus.persons.get()

    refused = post(staff, url + "comensha/", REGISTRATION | {"person": victim.pk})
    assert refused.status_code == 400
    [message] = refused.json()["fout"]["velden"]["algemeen"]
    assert "geen schriftelijke toestemming voor registratie bij CoMensha" in message
    assert "een ouder of voogd" in message

    consent = {
        "person": victim.pk,
        "purpose": "registratie_comensha",
        "given_by": "samen",
        "given_on": timezone.localdate().isoformat(),
        "scope": "Registratie bij CoMensha.",
    }
    alone = post(staff, url + "toestemmingen/", consent | {"given_by": "betrokkene"})
    assert alone.status_code == 400  # the region's age rules: not alone at 15
    given = post(staff, url + "toestemmingen/", consent)
    assert given.status_code == 201, given.content
    elsewhere = post(staff, url + "toestemmingen/", consent | {"person": victim.pk + 999})
    assert elsewhere.status_code == 400

    prepared = post(staff, url + "comensha/", REGISTRATION | {"person": victim.pk})
    assert prepared.status_code == 201, prepared.content
    assert prepared.json()["sent_at"] is None
    registration = prepared.json()["id"]
    file = staff.get(url + f"comensha/{registration}/")
    assert file.json()["vorm_van_uitbuiting"] == "arbeidsuitbuiting (overige arbeid)"
    assert file.json()["land_van_herkomst"] == "Polen"
    sent = post(staff, url + f"comensha/{registration}/verstuurd/", {"note": "Beveiligd."})
    assert sent.status_code == 200 and sent.json()["sent_by"] == staff_user.pk
    assert post(staff, url + f"comensha/{registration}/verstuurd/", {}).status_code == 400

    withdrawn = post(
        staff,
        url + f"toestemmingen/{given.json()['id']}/intrekken/",
        {"withdrawn_on": timezone.localdate().isoformat()},
    )
    assert withdrawn.status_code == 200
    with tenant_context(twente):
        assert ComenshaRegistration.objects.get().sent_note == "Beveiligd."
        assert Consent.objects.get(pk=given.json()["id"]).withdrawn_on is not None


def test_evaluation_and_a_link_through_the_api(twente, client_for, make_user):
    staff_user = make_user(twente, "medewerker")
    casus = case_in_step(twente, "evaluatie", staff_user, name="Mila Peters")
    other = case_in_step(twente, "melding", staff_user, name="Dader Peters")
    staff = signed_in(twente, staff_user, client_for)
    url = f"/api/v1/casussen/{casus.reference}/"

    ratings = {key.removeprefix("kort_"): value for key, value in evaluation_post(twente).items()}
    assert post(staff, url + "evaluatie/", {"ratings": {}}).status_code == 400
    evaluated = post(staff, url + "evaluatie/", {"ratings": ratings, "answers": {}})
    assert evaluated.status_code == 201, evaluated.content

    unknown = post(staff, url + "koppelingen/", {"reference": "2000-99999", "kind": "netwerk"})
    assert unknown.json()["fout"]["velden"]["algemeen"] == [
        "U kunt geen casus met die code koppelen."
    ]
    linked = post(staff, url + "koppelingen/", {"reference": other.reference, "kind": "netwerk"})
    assert linked.status_code == 201, linked.content
    assert linked.json()["linked"] == other.reference
    with tenant_context(twente):
        assert Evaluation.objects.filter(casus=casus).exists()
        assert CaseLink.objects.filter(casus=casus, linked=other).exists()


def test_advice_without_a_report_through_the_api(twente, client_for, make_user):
    staff_user = make_user(twente, "medewerker")
    casus = case_in_step(twente, "melding", staff_user)
    staff = signed_in(twente, staff_user, client_for)
    advice = {
        "given_on": timezone.localdate().isoformat(),
        "asker_kind": "ouder",
        "topic": "signalen",
        "advice": "Blijf in gesprek; bel bij nieuwe signalen.",
        "minutes_spent": 20,
    }
    unknown = post(staff, "/api/v1/adviesvragen/", advice | {"casus": "2000-99999"})
    assert unknown.json()["fout"]["velden"]["casus"] == [
        "Er is geen casus met die code die u mag zien."
    ]
    made = post(staff, "/api/v1/adviesvragen/", advice | {"casus": casus.reference})
    assert made.status_code == 201, made.content
    assert made.json()["became_report"] is True and made.json()["casus"] == casus.reference
    listed = staff.get("/api/v1/adviesvragen/?topic=signalen")
    assert [item["id"] for item in listed.json()["resultaten"]] == [made.json()["id"]]
    with tenant_context(twente):
        assert AdviceRequest.objects.get().advice == advice["advice"]


def test_a_document_through_the_api(twente, client_for, make_user, virus_scanner):
    staff_user = make_user(twente, "medewerker")
    casus = case_in_step(twente, "melding", staff_user)
    staff = signed_in(twente, staff_user, client_for)
    url = f"/api/v1/casussen/{casus.reference}/documenten/"
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    text = {"filename": "notitie.txt", "content": base64.b64encode(b"gewoon tekst").decode()}
    assert post(staff, url, text).status_code == 400  # not an allowed type
    assert post(staff, url, {"filename": "x.pdf", "content": "niet base64!"}).status_code == 400
    added = post(
        staff,
        url,
        {"title": "Verslag", "filename": "verslag.pdf", "content": base64.b64encode(pdf).decode()},
    )
    assert added.status_code == 201, added.content
    assert added.json()["scan"] == "schoon"
    got = staff.get(url + f"{added.json()['id']}/")
    assert got.status_code == 200 and got.content == pdf
