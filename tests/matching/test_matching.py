"""A person known in two regions, without sharing content: the same person registered
in Twente and Limburg gives both procesregisseurs a signal with the other meldpunt's
contact details and nothing of the other case; the platform's match table holds no
name or birth year; retention and switching off take digests and signals away."""

import pytest
from django.db import DatabaseError, connection, transaction
from django_tenants.utils import get_public_schema_name, schema_context, tenant_context

from audit.models import AuditAction, AuditEntry
from configuratie.models import RegionSettings
from matching.models import MatchDigest
from matching.services import identity_digest
from privacy.services import retention
from tenants.services.app_role import region_roles_in_use
from tests.factories import first_form, person, public_report
from tests.privacy.helpers import complete, where_found
from workflow.models import MatchRegistration, MatchSignal
from workflow.services import matching

NAME, BIRTH_YEAR = "Roos Zwanenburg", 2008


def take_part(region, actor, enabled: bool = True) -> None:
    with tenant_context(region):
        matching.set_taking_part(enabled, actor=actor)


def set_contact(region, **values) -> None:
    with schema_context(get_public_schema_name()):
        type(region).objects.filter(pk=region.pk).update(**values)


def register(region, name: str = NAME, birth_year: int | None = BIRTH_YEAR, **fields):
    with tenant_context(region):
        return public_report(
            person(name, birth_year=birth_year, **fields),
            concern=f"Zorgen in {region.name} over een meisje.",
            form_code=first_form(),
        ).report.casus


def home(logged_in, region) -> str:
    client = logged_in(region, "procesregisseur")
    return client.get("/").content.decode()


@pytest.fixture
def both_take_part(twente, limburg, make_user):
    admins = {region.slug: make_user(region, "regiobeheerder") for region in (twente, limburg)}
    for region in (twente, limburg):
        take_part(region, admins[region.slug])
    set_contact(twente, contact_name="Procesregie Twente", contact_phone="053-1112233",
                contact_email="procesregie@twente.example")  # fmt: skip
    set_contact(limburg, contact_name="Procesregie Limburg", contact_phone="043-4445566",
                contact_email="procesregie@limburg.example")  # fmt: skip
    twente.refresh_from_db()
    limburg.refresh_from_db()
    return admins


def test_the_same_person_in_two_regions_signals_both_procesregisseurs(
    twente, limburg, both_take_part, logged_in
):
    register(twente, name="Iemand Anders")
    in_twente = register(twente)
    for filler in ("Nog Iemand", "Weer Iemand"):
        register(limburg, name=filler)
    in_limburg = register(limburg, name="  roos  ZWANENBURG ", role="dader")  # both roles match
    assert in_twente.reference != in_limburg.reference

    twente_home = home(logged_in, twente)
    limburg_home = home(logged_in, limburg)

    assert f"casus {in_twente.reference} is ook bekend bij meldpunt Limburg" in twente_home
    assert "043-4445566" in twente_home and "procesregie@limburg.example" in twente_home
    assert in_limburg.reference not in twente_home
    assert "Zorgen in Limburg" not in twente_home
    assert f"casus {in_limburg.reference} is ook bekend bij meldpunt Twente" in limburg_home
    assert "053-1112233" in limburg_home and "procesregie@twente.example" in limburg_home
    assert in_twente.reference not in limburg_home
    for region, casus in ((twente, in_twente), (limburg, in_limburg)):
        with tenant_context(region):
            lines = AuditEntry.objects.filter(
                object_type="workflow.MatchSignal", action=AuditAction.CREATE
            )
            assert list(lines.values_list("case_id", flat=True)) == [casus.reference]


def test_a_spelling_variant_or_another_birth_year_is_not_a_match(
    twente, limburg, both_take_part, logged_in
):
    register(twente)
    register(limburg, name="Roos Swanenburg")
    register(limburg, birth_year=BIRTH_YEAR + 1)

    assert "ook bekend bij meldpunt" not in home(logged_in, twente)
    assert identity_digest("Roos Zwanenburg", 2008) == identity_digest("róos zwanenburg ", 2008)
    assert identity_digest("Roos Zwanenburg", None) == ""


def test_the_match_table_holds_no_name_birth_year_or_case_number(twente, limburg, both_take_part):
    in_twente = register(twente)
    in_limburg = register(limburg)

    needles = ("zwanenburg", "roos", str(BIRTH_YEAR), in_twente.reference.lower(),
               in_limburg.reference.lower())  # fmt: skip
    connection.set_schema_to_public()
    assert MatchDigest.objects.count() == 2
    assert {field.name for field in MatchDigest._meta.concrete_fields} == {
        "id", "digest", "region", "token", "stored_at"
    }  # fmt: skip
    found = {place for place in where_found("public", needles) if place.startswith("matching_")}
    assert found == set()
    tokens = set(MatchDigest.objects.values_list("token", flat=True))
    with tenant_context(twente):
        assert set(MatchRegistration.objects.values_list("token", flat=True)) < tokens


def test_a_region_role_cannot_read_the_match_table(twente, both_take_part):
    register(twente)
    assert region_roles_in_use()
    with (
        tenant_context(twente),
        pytest.raises(DatabaseError, match="permission denied"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT digest FROM public.matching_matchdigest")


def test_retention_removes_the_digest_and_both_signals(twente, limburg, both_take_part, logged_in):
    in_twente = register(twente)
    register(limburg)
    assert "ook bekend bij meldpunt" in home(logged_in, limburg)

    with tenant_context(twente):
        complete(in_twente, months_ago=80, reason="geen-loverboyproblematiek")
        run = retention.apply_retention()
        assert [made.casus_id for made in run.cases] == [in_twente.pk]
        assert not MatchRegistration.objects.exists()

    connection.set_schema_to_public()
    assert list(MatchDigest.objects.values_list("region__slug", flat=True)) == ["limburg"]
    assert "ook bekend bij meldpunt" not in home(logged_in, twente)
    assert "ook bekend bij meldpunt" not in home(logged_in, limburg)
    with tenant_context(limburg):
        assert not MatchSignal.objects.exists()
        assert AuditEntry.objects.filter(
            object_type="workflow.MatchSignal", action=AuditAction.DESTROY
        ).exists()


def test_a_region_with_matching_off_neither_stores_nor_receives(
    twente, limburg, both_take_part, logged_in
):
    register(limburg)
    take_part(twente, both_take_part["twente"], enabled=False)
    register(twente)

    connection.set_schema_to_public()
    assert list(MatchDigest.objects.values_list("region__slug", flat=True)) == ["limburg"]
    assert "ook bekend bij meldpunt" not in home(logged_in, twente)
    assert "ook bekend bij meldpunt" not in home(logged_in, limburg)


def test_switching_off_removes_the_regions_digests_and_signals_on_both_sides(
    twente, limburg, both_take_part, logged_in
):
    register(twente)
    register(limburg)
    assert "ook bekend bij meldpunt" in home(logged_in, twente)

    take_part(twente, both_take_part["twente"], enabled=False)

    connection.set_schema_to_public()
    assert not MatchDigest.objects.filter(region=twente).exists()
    assert "ook bekend bij meldpunt" not in home(logged_in, limburg)
    with tenant_context(twente):
        assert not MatchSignal.objects.exists()
        assert not MatchRegistration.objects.exists()


def test_switching_on_registers_the_persons_already_there(twente, limburg, make_user, logged_in):
    admin = make_user(limburg, "regiobeheerder")
    take_part(twente, make_user(twente, "regiobeheerder"))
    in_twente = register(twente)
    register(limburg)  # not taking part yet: nothing stored
    connection.set_schema_to_public()
    assert not MatchDigest.objects.filter(region=limburg).exists()

    take_part(limburg, admin)

    assert f"casus {in_twente.reference} is ook bekend bij meldpunt Limburg" in home(
        logged_in, twente
    )


def test_a_corrected_name_matches_from_then_on(twente, limburg, both_take_part, logged_in):
    from privacy.services import subjects

    register(limburg)
    in_twente = register(twente, name="Roos Zwanenbrug")
    assert "ook bekend bij meldpunt" not in home(logged_in, twente)
    staff = logged_in(twente, "procesregisseur").user
    with tenant_context(twente):
        subjects.correct_person(
            in_twente.persons.get(), actor=staff, values={"name": NAME},
            reason="invoerfout", explanation="Tikfout in de achternaam",
        )  # fmt: skip

    assert "ook bekend bij meldpunt Limburg" in home(logged_in, twente)


def test_only_the_procesregisseur_sees_signals(twente, limburg, both_take_part, logged_in):
    register(twente)
    register(limburg)
    medewerker = logged_in(twente, "medewerker").get("/").content.decode()
    assert "ook bekend bij meldpunt" not in medewerker


def test_the_api_gives_the_procesregisseur_the_same_signals(
    twente, limburg, both_take_part, logged_in
):
    in_twente = register(twente)
    register(limburg)

    answer = logged_in(twente, "procesregisseur").get("/api/v1/landelijke-signalen/")

    assert answer.status_code == 200
    [signal] = answer.json()
    assert signal["casus"] == in_twente.reference
    assert signal["meldpunt"] == {
        "naam": "Limburg",
        "contact": "Procesregie Limburg",
        "telefoon": "043-4445566",
        "email": "procesregie@limburg.example",
    }
    assert set(signal) == {"casus", "tekst", "meldpunt", "gesignaleerd_op"}
    assert logged_in(twente, "medewerker").get("/api/v1/landelijke-signalen/").status_code == 403


def test_the_home_page_costs_the_same_queries_for_one_signal_or_many(
    twente, limburg, both_take_part, logged_in, django_assert_max_num_queries
):
    client = logged_in(twente, "procesregisseur")
    register(twente)
    register(limburg)
    client.get("/")  # the signals are noticed (and written) once
    with django_assert_max_num_queries(40) as one:
        client.get("/")
    queries_for_one = len(one)
    for index in range(5):
        name = f"Roos Zwanenburg{'-' * index}x"
        register(twente, name=name)
        register(limburg, name=name)
    client.get("/")
    with django_assert_max_num_queries(queries_for_one):
        assert client.get("/").content.decode().count("ook bekend bij meldpunt Limburg") == 6


def test_the_regiobeheerder_switches_matching_on_with_contact_details(twente, logged_in):
    admin = logged_in(twente, "regiobeheerder")
    form = {
        "enabled": "on",
        "contact_name": "Procesregie Twente",
        "contact_phone": "053-1112233",
        "contact_email": "procesregie@twente.example",
    }
    assert admin.get("/beheer/landelijke-signalering/").status_code == 200

    wrong = admin.post("/beheer/landelijke-signalering/", form | {"contact_email": "geen adres"})
    assert wrong.status_code == 400
    assert "Vul een geldig e-mailadres in." in wrong.content.decode()
    assert admin.post("/beheer/landelijke-signalering/", form).status_code == 302

    twente.refresh_from_db()
    assert (twente.contact_name, twente.contact_phone) == ("Procesregie Twente", "053-1112233")
    with tenant_context(twente):
        assert RegionSettings.current().matching_enabled
        changes = AuditEntry.objects.filter(action=AuditAction.CHANGE, user_id=admin.user.pk)
        assert set(changes.values_list("object_type", flat=True)) == {
            "tenants.Region", "configuratie.RegionSettings"
        }  # fmt: skip
    assert (
        logged_in(twente, "procesregisseur").get("/beheer/landelijke-signalering/").status_code
        == 403
    )


def test_the_national_administrator_edits_a_regions_contact_details(twente, national_client):
    url = f"/regios/{twente.slug}/contact/"
    assert national_client.get(url).status_code == 200
    answer = national_client.post(
        url, {"contact_name": "Meldpunt Twente", "contact_phone": "053-9", "contact_email": ""}
    )
    assert answer.status_code == 302
    twente.refresh_from_db()
    assert (twente.contact_name, twente.contact_phone) == ("Meldpunt Twente", "053-9")
