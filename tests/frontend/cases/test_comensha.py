"""The CoMensha registration screens: refused in Dutch without consent; with consent a
prefilled form, a PDF and a JSON file holding the case's data, recorded as sent; the
procesregisseur's home block; the yearly figures for the Nationaal Rapporteur hold
suppressed counts only."""

import io
import json

from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import tenant_context
from openpyxl import load_workbook
from pypdf import PdfReader

from audit.models import AuditEntry
from statistiek.tables import SUPPRESSED
from tests.factories import case_in_step
from workflow.models import ComenshaRegistration
from workflow.services import comensha, consent

POST = {
    "exploitation": "crimineel",
    "country_of_origin": "Roemenië",
    "age": "17",
    "gender": "v",
    "identifying_organisation": "Politie Oost-Nederland",
    "need": "opvang",
}


def victim_case(region, staff, *, with_consent: bool):
    casus = case_in_step(region, "melding", staff)
    with tenant_context(region):
        victim = casus.persons.get()
        victim.birth_year = timezone.localdate().year - 18
        victim.gender = "v"
        victim.save()
        if with_consent:
            consent.record_consent(
                victim,
                actor=staff,
                purpose="registratie_comensha",
                given_by="betrokkene",
                given_on=timezone.localdate(),
                scope="Registratie bij CoMensha.",
            )
    return casus


def url(casus, name: str = "cases:comensha", *args) -> str:
    return reverse(name, args=[casus.reference, *args])


def test_without_consent_the_screen_refuses_in_dutch_and_registers_nothing(twente, logged_in):
    staff = logged_in(twente, "medewerker")
    casus = victim_case(twente, staff.user, with_consent=False)
    page = staff.get(url(casus))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Registreren kan nog niet." in text
    assert "geen schriftelijke toestemming voor registratie bij CoMensha" in text
    assert 'name="exploitation"' not in text
    assert staff.post(url(casus), POST).status_code == 409
    with tenant_context(twente):
        assert not ComenshaRegistration.objects.exists()


def test_with_consent_the_registration_becomes_a_pdf_and_a_file_and_is_recorded_as_sent(
    twente, logged_in
):
    staff = logged_in(twente, "medewerker")
    casus = victim_case(twente, staff.user, with_consent=True)
    form = staff.get(url(casus)).content.decode()
    assert 'value="17"' in form  # the age, from the birth year
    assert "Meldpunt Loverboyproblematiek Twente" in form
    assert staff.post(url(casus), POST | {"country_of_origin": ""}).status_code == 400
    done = staff.post(url(casus), POST)
    assert done.status_code == 302
    with tenant_context(twente):
        registration = ComenshaRegistration.objects.get()
    assert done.url == url(casus, "cases:comensha_registration", registration.pk)

    as_json = staff.get(url(casus, "cases:comensha_download", registration.pk, "json"))
    assert as_json["Content-Type"] == "application/json"
    fields = json.loads(as_json.content)
    assert fields["vorm_van_uitbuiting"] == "criminele uitbuiting"
    assert fields["land_van_herkomst"] == "Roemenië"
    assert fields["leeftijd"] == "17"
    assert fields["behoefte"] == "registratie en opvang"
    as_pdf = staff.get(url(casus, "cases:comensha_download", registration.pk, "pdf"))
    text = " ".join(PdfReader(io.BytesIO(as_pdf.content)).pages[0].extract_text().split())
    for value in ("criminele uitbuiting", "Roemenië", "Politie Oost-Nederland", casus.reference):
        assert value in text
    assert (
        staff.get(url(casus, "cases:comensha_download", registration.pk, "xml")).status_code == 404
    )

    shown = staff.get(url(casus, "cases:comensha_registration", registration.pk))
    assert "Politie Oost-Nederland" in shown.content.decode()
    with tenant_context(twente):
        lines = AuditEntry.objects.filter(case_id=casus.reference, user_id=staff.user.pk)
        assert lines.filter(action="view", person_id=str(registration.person_id)).exists()
        assert lines.filter(action="export", object_id=str(registration.pk)).count() == 2
    sent = staff.post(
        url(casus, "cases:comensha_registration", registration.pk), {"note": "Per post"}
    )
    assert sent.status_code == 302
    page = staff.get(sent.url).content.decode()
    assert f"door {staff.user}" in page
    assert "Geregistreerd bij CoMensha" in staff.get(url(casus)).content.decode()


def test_who_may_not_register_does_not_reach_the_screen(twente, logged_in, make_user):
    staff = make_user(twente, "medewerker")
    casus = victim_case(twente, staff, with_consent=True)
    assert logged_in(twente, "analist").get(url(casus)).status_code == 404
    assert logged_in(twente, "casuscoordinator").get(url(casus)).status_code == 404  # not theirs


def test_the_procesregisseurs_home_lists_the_cases_not_registered(
    twente, logged_in, django_assert_max_num_queries
):
    regisseur = logged_in(twente, "procesregisseur")
    casus = victim_case(twente, regisseur.user, with_consent=False)
    with django_assert_max_num_queries(40):
        home = regisseur.get(reverse("home:dashboard")).content.decode()
    assert "Nog niet geregistreerd bij CoMensha" in home
    assert url(casus) in home
    medewerker_home = logged_in(twente, "medewerker").get(reverse("home:dashboard"))
    assert "Nog niet geregistreerd bij CoMensha" not in medewerker_home.content.decode()


def sent_registrations(region, staff, exploitation: str, how_many: int) -> None:
    for _ in range(how_many):
        casus = victim_case(region, staff, with_consent=True)
        with tenant_context(region):
            victim = casus.persons.get()
            registration = comensha.prepare_registration(
                victim, actor=staff, **(POST | {"age": 17, "exploitation": exploitation})
            )
            comensha.record_sent(registration, actor=staff)


def test_the_yearly_figures_for_the_rapporteur_hold_only_suppressed_counts(twente, logged_in):
    regisseur = logged_in(twente, "procesregisseur")
    sent_registrations(twente, regisseur.user, "crimineel", 5)
    sent_registrations(twente, regisseur.user, "seksueel", 2)
    year = timezone.localdate().year
    response = regisseur.get(reverse("statistiek:rapporteur_export") + f"?rapporteur-year={year}")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    rows = {
        sheet.title: [row for row in sheet.iter_rows(values_only=True) if row and row[0]]
        for sheet in workbook
    }
    by_form = {row[0]: row[1:] for row in rows["Registraties bij CoMensha"]}
    # Five with a criminal form (all needing shelter) show; the two sexual ones do not,
    # and neither does any figure that would give them away.
    assert by_form["criminele uitbuiting"][1] == 5
    assert by_form["seksuele uitbuiting"][1] == SUPPRESSED
    assert by_form["Totaal"][-1] == 7
    cells = [c for sheet in rows.values() for row in sheet for c in row]
    assert [c for c in cells if isinstance(c, int) and c < 5] == []
    assert regisseur.get(reverse("statistiek:rapporteur_export")).status_code == 400
    assert (
        logged_in(twente, "medewerker")
        .get(reverse("statistiek:rapporteur_export") + f"?rapporteur-year={year}")
        .status_code
        == 403
    )
