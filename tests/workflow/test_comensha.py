"""Registration with CoMensha: refused without the written consent of the right person
(from 16 the victim, under 16 a parent or guardian), prepared from the fields CoMensha
asks, handed over as a file and recorded as sent, each step an audit line; the
procesregisseur's list of open cases with a victim not registered yet."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import tenant_context

from audit.models import AuditEntry
from configuratie.models import RegionSettings
from privacy.services import subjects
from tests.factories import case_in_step, intake_case, person
from workflow.models import Casus, ComenshaRegistration
from workflow.services import comensha, consent

FIELDS = {
    "exploitation": "seksueel",
    "country_of_origin": "Nederland",
    "age": 17,
    "gender": "v",
    "identifying_organisation": "Jongerenwerk Hengelo",
    "need": "advies",
}


@pytest.fixture
def staff(twente, make_user):
    return make_user(twente, "medewerker")


def victim_aged(twente, staff, years: int):
    """The victim of a new case, `years` old (a birth year a year back, so the younger
    reading of the age is `years`)."""
    casus = case_in_step(twente, "melding", staff)
    with tenant_context(twente):
        victim = casus.persons.get()
        victim.birth_year = timezone.localdate().year - years - 1
        victim.save()
        return victim


def give(victim, staff, given_by: str, purpose: str = "registratie_comensha"):
    return consent.record_consent(
        victim,
        actor=staff,
        purpose=purpose,
        given_by=given_by,
        given_on=timezone.localdate(),
        scope="Registratie bij CoMensha.",
    )


def test_without_consent_the_registration_is_refused_naming_what_is_missing(twente, staff):
    older, younger = victim_aged(twente, staff, 17), victim_aged(twente, staff, 14)
    with tenant_context(twente):
        give(older, staff, "betrokkene", purpose="informatie_delen")  # another purpose
        for victim, giver in ((older, "de betrokkene zelf"), (younger, "een ouder of voogd")):
            with pytest.raises(ValidationError) as refused:
                comensha.prepare_registration(victim, actor=staff, **FIELDS)
            message = refused.value.messages[0]
            assert "geen schriftelijke toestemming voor registratie bij CoMensha" in message
            assert giver in message
            assert "Sanne de Vries" in message
        assert not ComenshaRegistration.objects.exists()


def test_under_16_the_consent_of_the_person_alone_does_not_count(twente, staff):
    victim = victim_aged(twente, staff, 15)
    with tenant_context(twente):
        RegionSettings.objects.update(consent_alone_from_age=14)
        give(victim, staff, "betrokkene")  # the region lets a 15-year-old decide alone
        with pytest.raises(ValidationError) as refused:
            comensha.registration_consent(victim)
        assert "een ouder of voogd (jonger dan 16 jaar)" in refused.value.messages[0]
        together = give(victim, staff, "samen")  # with a parent: that counts
        assert comensha.registration_consent(victim) == together


def test_an_unknown_age_is_named_before_the_consent(twente, staff):
    casus = case_in_step(twente, "melding", staff)
    with tenant_context(twente):
        victim = casus.persons.get()
        victim.birth_year = None
        victim.save()
        with pytest.raises(ValidationError) as refused:
            comensha.registration_consent(victim)
        assert "Leg eerst de leeftijd of het geboortejaar" in refused.value.messages[0]


def test_a_registration_is_prefilled_prepared_handed_over_and_recorded_as_sent(twente, staff):
    victim = victim_aged(twente, staff, 17)
    with tenant_context(twente):
        victim.gender = "v"
        victim.save()
        given = give(victim, staff, "betrokkene")
        filled = comensha.prefill(victim)
        assert filled["age"] == 17
        assert filled["gender"] == "v"
        assert filled["identifying_organisation"] == "Meldpunt Loverboyproblematiek Twente"

        draft = comensha.prepare_registration(victim, actor=staff, **FIELDS | {"age": 16})
        changed = comensha.prepare_registration(victim, actor=staff, **FIELDS)
        assert changed.pk == draft.pk and changed.age == 17 and changed.consent == given

        made = comensha.registration_file(changed, actor=staff, fmt="json")
        content = json.loads(made.json_bytes())
        assert content["vorm_van_uitbuiting"] == "seksuele uitbuiting"
        assert content["land_van_herkomst"] == "Nederland"
        assert content["signalerende_organisatie"] == "Jongerenwerk Hengelo"
        assert content["behoefte"] == "registratie, informatie en advies"
        assert content["kenmerk_melder"] == victim.casus.reference

        sent = comensha.record_sent(changed, actor=staff, note="Per beveiligde e-mail.")
        assert sent.sent_by == staff and sent.sent_at is not None
        stored = ComenshaRegistration.objects.get(pk=sent.pk)
        assert stored.sent_note == "Per beveiligde e-mail."
        with connection.cursor() as cursor:
            cursor.execute("SELECT sent_note, country_of_origin FROM workflow_comensharegistration")
            assert "beveiligde" not in " ".join(cursor.fetchone())  # encrypted at rest
        with pytest.raises(ValidationError):
            comensha.record_sent(stored, actor=staff)
        with pytest.raises(ValidationError, match="al bij CoMensha geregistreerd"):
            comensha.prepare_registration(victim, actor=staff, **FIELDS)
        lines = AuditEntry.objects.filter(
            object_type="workflow.ComenshaRegistration", object_id=str(sent.pk)
        )
        assert sorted(lines.values_list("action", flat=True)) == [
            "change",
            "change",
            "create",
            "export",
        ]
        assert set(lines.values_list("person_id", flat=True)) == {str(victim.pk)}


def test_only_those_who_may_record_consent_register(twente, staff, make_user):
    victim = victim_aged(twente, staff, 17)
    analist = make_user(twente, "analist")
    with tenant_context(twente):
        give(victim, staff, "betrokkene")
        with pytest.raises(PermissionDenied):
            comensha.prepare_registration(victim, actor=analist, **FIELDS)


def test_the_home_list_holds_open_cases_with_a_victim_not_registered(twente, staff, make_user):
    regisseur = make_user(twente, "procesregisseur")
    waiting = victim_aged(twente, staff, 17)
    registered = victim_aged(twente, staff, 17)
    with tenant_context(twente):
        suspect_only = intake_case(staff, person("Dader", role="dader"))
        completed = intake_case(staff, person("Afgerond"))
        Casus.objects.filter(pk=completed.pk).update(completed_at=timezone.now())
        give(registered, staff, "betrokkene")
        prepared = comensha.prepare_registration(registered, actor=staff, **FIELDS)
        before = comensha.unregistered_victim_cases(regisseur, shown=1000)
        assert waiting.casus in before.cases and registered.casus in before.cases
        comensha.record_sent(prepared, actor=staff)

        with CaptureQueriesContext(connection) as queries:
            listed = comensha.unregistered_victim_cases(regisseur, shown=1000)
            [casus.current_step.name for casus in listed.cases]
        assert len(queries) <= 3  # the user's roles, the cases with their steps (no count)
        assert waiting.casus in listed.cases
        assert registered.casus not in listed.cases
        assert suspect_only not in listed.cases and completed not in listed.cases
        assert listed.count == len(listed.cases) == before.count - 1

        first = comensha.unregistered_victim_cases(regisseur, shown=1)
        assert len(first.cases) == 1 and first.count == listed.count

        # The case keeps whether a victim waits (workflow/waiting.py): a correction of
        # the person's role takes the case off the list, and back on.
        victim = waiting.casus.persons.get()
        for role, listed_again in (("dader", False), ("slachtoffer", True)):
            subjects.correct_person(
                victim, actor=staff, values={"role": role},
                reason="invoerfout", explanation="Rol verkeerd vastgelegd",
            )  # fmt: skip
            now = comensha.unregistered_victim_cases(regisseur, shown=1000)
            assert (waiting.casus in now.cases) is listed_again
            assert now.count == len(now.cases)
