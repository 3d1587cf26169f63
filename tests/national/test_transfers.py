"""Warme overdracht between two regions: the proposal holds metadata only, acceptance
copies the chosen parts re-encrypted as a new case in the receiving region's first step
and closes the sending case as transferred, both audit logs keep it, and suspended
regions neither send nor receive."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django_tenants.utils import tenant_context

from audit.models import AuditEntry
from national import transfers
from national.models import Transfer
from tests.conftest import host_of
from tests.factories import person, public_report
from workflow import engine
from workflow.models import (
    Casus,
    Consent,
    InvolvedPerson,
    MatchRegistration,
    MatchSignal,
    Report,
    ScreeningOutcome,
)
from workflow.services import matching
from workflow.services.consent import record_consent

CONCERN = "Zij wordt door een oudere man opgehaald bij school."


def stored(table: str, pk: int, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def case_with_consent(region, sender, *, given_by: str = "betrokkene", birth_year: int = 2004):
    """A Twente case of a victim (named, born in `birth_year`) with consent to transfer,
    a screening outcome, and a reporter's conversation."""
    with tenant_context(region):
        submitted = public_report(
            person("Sanne de Vries", birth_year=birth_year), concern=CONCERN, reporter_name="Ria"
        )
        casus = submitted.report.casus
        victim = casus.persons.get()
        record_consent(
            victim,
            actor=sender,
            purpose=Consent.Purpose.TRANSFER,
            given_by=given_by,
            given_on=date.today(),
            scope="Overdracht aan het meldpunt in Limburg.",
        )
        ScreeningOutcome.objects.create(
            casus=casus, recorded_by=sender, outcome="vermoeden", advice="Contact met school."
        )
        return casus


@pytest.fixture
def sender(twente, make_user):
    return make_user(twente, "procesregisseur")


@pytest.fixture
def receiver(limburg, make_user):
    return make_user(limburg, "procesregisseur")


def proposed(twente, limburg, sender, casus, **overrides) -> Transfer:
    values = {
        "target": limburg,
        "parts": ["betrokkenen", "meldingen", "screening"],
        "basis": "toestemming",
        "reason": "Zij woont sinds kort in Maastricht.",
    } | overrides
    with tenant_context(twente):
        return transfers.propose(casus, actor=sender, **values)


def test_acceptance_moves_the_case_reencrypted_and_closes_the_sending_one(
    twente, limburg, sender, receiver
):
    casus = case_with_consent(twente, sender)
    transfer = proposed(twente, limburg, sender, casus)
    assert transfer.parts == {"betrokkenen": 1, "meldingen": 1, "screening": 1}

    with tenant_context(limburg):
        assert transfers.waiting_here() == 1
        received = transfers.accept(transfer.pk, actor=receiver)
        assert received.transferred_from == "Twente"
        assert received.current_step.is_start
        new_report = Report.objects.get(casus=received)
        new_person = InvolvedPerson.objects.get(casus=received)
        assert (new_report.concern, new_person.name) == (CONCERN, "Sanne de Vries")
        assert new_report.reporter_name == ""  # the reporter stays with Twente
        assert ScreeningOutcome.objects.get(casus=received).advice == "Contact met school."
        limburg_cipher = stored("workflow_report", new_report.pk, "concern")
        limburg_lines = AuditEntry.objects.filter(case_id=received.reference)
        assert limburg_lines.filter(detail__overdracht=transfer.pk, grounds="toestemming").exists()
    with tenant_context(twente):
        old = Casus.objects.get(pk=casus.pk)
        assert old.closing_reason == engine.TRANSFERRED and old.completed_at is not None
        assert old.transferred_to == "Limburg"
        twente_cipher = stored("workflow_report", casus.reports.get().pk, "concern")
        twente_lines = AuditEntry.objects.filter(
            case_id=casus.reference, detail__overdracht=transfer.pk
        )
        assert {line.action for line in twente_lines} >= {"create", "export", "change"}
        # No line names a Limburg account by its number: it means someone else here.
        assert not twente_lines.filter(action="export", user_id__isnull=False).exists()
    assert twente_cipher != limburg_cipher
    transfer.refresh_from_db()
    assert (transfer.status, transfer.target_reference) == ("aanvaard", received.reference)


def test_the_proposal_holds_no_content(twente, limburg, sender):
    casus = case_with_consent(twente, sender)
    transfer = proposed(twente, limburg, sender, casus)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM public.national_transfer WHERE id = %s", [transfer.pk])
        row = " ".join(str(value) for value in cursor.fetchone())
    for content in ("Sanne", "Vries", "2004", "opgehaald", "Maastricht"):
        assert content not in row


def test_without_consent_a_transfer_needs_a_legal_basis_and_its_reason(twente, limburg, sender):
    with tenant_context(twente):
        casus = public_report(person("Lotte", birth_year=2004)).report.casus
    with pytest.raises(ValidationError) as refused:
        proposed(twente, limburg, sender, casus)
    assert "Voor Lotte is geen toestemming voor overdracht vastgelegd." in refused.value.messages
    with pytest.raises(ValidationError) as refused:
        proposed(twente, limburg, sender, casus, basis="wettelijke_taak")
    assert any("schrijf de reden" in message for message in refused.value.messages)
    transfer = proposed(
        twente, limburg, sender, casus, basis="wettelijke_taak", basis_text="Art. 6 lid 1e AVG."
    )
    assert transfer.basis_text == "Art. 6 lid 1e AVG."


def test_consent_given_by_a_young_person_alone_is_not_enough(twente, limburg, sender):
    """Twente's age rules: a 12-year-old's parent decides, so the child's own consent
    (recorded as given together, then the record changed) does not carry a transfer."""
    casus = case_with_consent(twente, sender, given_by="samen", birth_year=date.today().year - 13)
    with tenant_context(twente):
        Consent.objects.filter(casus=casus).update(given_by="betrokkene")
    with pytest.raises(ValidationError) as refused:
        proposed(twente, limburg, sender, casus)
    assert any("leeftijdsregels" in message for message in refused.value.messages)


def test_suspended_regions_neither_send_nor_receive(twente, limburg, sender, receiver):
    casus = case_with_consent(twente, sender)
    Region = type(limburg)
    Region.objects.filter(pk=limburg.pk).update(is_suspended=True)
    limburg.refresh_from_db()
    with pytest.raises(ValidationError):
        proposed(twente, limburg, sender, casus)
    Region.objects.filter(pk=limburg.pk).update(is_suspended=False)
    limburg.refresh_from_db()
    transfer = proposed(twente, limburg, sender, casus)
    Region.objects.filter(pk=twente.pk).update(is_suspended=True)
    with tenant_context(limburg), pytest.raises(ValidationError):
        transfers.accept(transfer.pk, actor=receiver)


def test_only_a_procesregisseur_proposes_and_decides(twente, limburg, sender, make_user):
    casus = case_with_consent(twente, sender)
    staff = make_user(twente, "medewerker")
    with tenant_context(twente), pytest.raises(PermissionDenied):
        transfers.propose(
            casus, actor=staff, target=limburg, parts=["meldingen"], basis="toestemming", reason="x"
        )
    transfer = proposed(twente, limburg, sender, casus)
    limburg_staff = make_user(limburg, "medewerker")
    with tenant_context(limburg), pytest.raises(PermissionDenied):
        transfers.accept(transfer.pk, actor=limburg_staff)


def test_declining_keeps_the_case_and_tells_the_sender(twente, limburg, sender, receiver):
    casus = case_with_consent(twente, sender)
    transfer = proposed(twente, limburg, sender, casus)
    with tenant_context(limburg):
        with pytest.raises(ValidationError):
            transfers.decline(transfer.pk, actor=receiver, reason=" ")
        transfers.decline(transfer.pk, actor=receiver, reason="Zij woont toch in Twente.")
        assert transfers.waiting_here() == 0
    with tenant_context(twente):
        assert Casus.objects.get(pk=casus.pk).completed_at is None
        mine = transfers.find_transfer(sender, transfer.pk)
        assert mine.decline_reason == "Zij woont toch in Twente."
        assert AuditEntry.objects.filter(detail__overdracht=transfer.pk, action="change").exists()


def test_the_api_proposes_lists_and_accepts_under_the_same_policy(
    twente, limburg, sender, receiver
):
    casus = case_with_consent(twente, sender)
    twente_client = Client(HTTP_HOST=host_of(twente))
    limburg_client = Client(HTTP_HOST=host_of(limburg))
    with tenant_context(twente):
        twente_client.force_login(sender)
    with tenant_context(limburg):
        limburg_client.force_login(receiver)
    body = {
        "target": "limburg",
        "parts": ["betrokkenen", "meldingen"],
        "basis": "toestemming",
        "reason": "Verhuisd naar Maastricht.",
    }
    url = f"/api/v1/casussen/{casus.reference}/overdracht/"
    wrong = twente_client.post(url, body | {"target": "twente"}, content_type="application/json")
    assert wrong.status_code == 400
    made = twente_client.post(url, body, content_type="application/json")
    assert made.status_code == 201, made.json()
    assert made.json()["parts"] == {"betrokkenen": 1, "meldingen": 1}
    listed = limburg_client.get("/api/v1/overdrachten/").json()
    assert [row["source"] for row in listed] == ["Twente"]
    decision = f"/api/v1/overdrachten/{made.json()['id']}/besluit/"
    refused = limburg_client.post(
        decision, {"decision": "afwijzen"}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert "afwijst" in str(refused.json()["fout"])
    done = limburg_client.post(
        decision, {"decision": "aanvaarden"}, content_type="application/json"
    )
    assert done.status_code == 200
    with tenant_context(limburg):
        assert Casus.objects.get(reference=done.json()["case"]).transferred_from == "Twente"
    again = limburg_client.post(
        decision, {"decision": "aanvaarden"}, content_type="application/json"
    )
    assert again.status_code == 400


def test_a_case_finished_meanwhile_is_not_transferred(twente, limburg, sender, receiver):
    casus = case_with_consent(twente, sender)
    transfer = proposed(twente, limburg, sender, casus)
    with tenant_context(twente):
        Casus.objects.filter(pk=casus.pk).update(completed_at=casus.opened_at)
    with tenant_context(limburg), pytest.raises(ValidationError) as refused:
        transfers.accept(transfer.pk, actor=receiver)
    assert "intussen afgerond" in refused.value.messages[0]
    with tenant_context(limburg):
        assert not Casus.objects.filter(transferred_from="Twente").exists()


def test_a_transferred_person_is_not_signalled_as_known_in_the_sending_region(
    twente, limburg, sender, receiver, make_user
):
    for region in (twente, limburg):
        with tenant_context(region):
            matching.set_taking_part(True, actor=make_user(region, "regiobeheerder"))
    casus = case_with_consent(twente, sender)
    with tenant_context(twente):
        assert MatchRegistration.objects.filter(casus=casus).exists()
    transfer = proposed(twente, limburg, sender, casus)

    with tenant_context(limburg):
        received = transfers.accept(transfer.pk, actor=receiver)
        assert MatchRegistration.objects.filter(casus=received).exists()
        assert not MatchSignal.objects.exists()
    with tenant_context(twente):
        assert not MatchRegistration.objects.filter(casus=casus).exists()
        assert not MatchSignal.objects.exists()
