"""Every SQL statement of a request names only the request's region schema and public.

What the Citus path in docs/scale-out.md needs: a request never reaches
another region's schema (nor the template), so each region's schema can live
on its own node. Requests of every role, the reporter and the national
administrator are recorded statement by statement.

One path is allowed to act for two regions: the warme overdracht
(national.transfers), when the receiving procesregisseur accepts a case from
another region (docs/database-roles.md). A statement may name another region's
schema only when that module issued it, and nothing else may.
"""

import re
import sys
from datetime import date

import pytest
from django.db import connection
from django.urls import reverse
from django_tenants.utils import tenant_context

from accounts.policy import Role
from national import transfers
from tests.factories import person, public_report
from tests.frontend.cases.test_case_screens import report_in
from workflow.models import Consent
from workflow.services.consent import record_consent

# The modules whose statements may name a second region's schema: exactly one.
ALLOWED_CROSS_SCHEMA = ("national.transfers",)

REGION_PAGES = [
    "/",
    "/casussen/",
    "/casussen/nieuw/",
    "/gebruikers/",
    "/beheer/",
    "/beheer/instellingen/",
    "/beheer/landelijke-signalering/",
    "/beheer/werkproces/",
    "/beheer/partners/",
    "/beheer/configuratie/export/",
    "/overdrachten/",
]
PUBLIC_PAGES = ["/melden/", "/melden/meldformulier/", "/melding/volgen/", "/privacy/"]


def other_schemas(allowed: set[str]) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
            "AND nspname <> 'information_schema'"
        )
        return sorted({row[0] for row in cursor.fetchall()} - allowed)


def naming(statements: list[str], others: list[str]) -> list[str]:
    """The statements that qualify a name with, or set the search path to, another schema."""
    pattern = re.compile(r'(?<![\w$])"?(' + "|".join(map(re.escape, others)) + r')"?\s*(\.|,|$)')
    return [sql for sql in statements if pattern.search(sql)]


def issuer() -> str:
    """The allowed module on the stack of the statement being executed, or ""."""
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_globals.get("__name__") in ALLOWED_CROSS_SCHEMA:
            return frame.f_globals["__name__"]
        frame = frame.f_back
    return ""


class Recorder:
    def __init__(self) -> None:
        self.statements: list[str] = []
        self.issuers: dict[str, set[str]] = {}

    def __call__(self, execute, sql, params, many, context):
        self.statements.append(sql)
        self.issuers.setdefault(sql, set()).add(issuer())
        return execute(sql, params, many, context)


def record(client, paths: list[str]) -> list[str]:
    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        for path in paths:
            client.get(path)
    return recorder.statements


def test_the_check_finds_another_schema_in_a_statement():
    others = ["limburg", "regio_sjabloon"]
    assert naming(['SELECT * FROM "limburg"."workflow_casus"'], others)
    assert naming(['SET search_path = "limburg","public"'], others)
    assert naming(["SELECT 1 FROM regio_sjabloon.django_migrations"], others)
    assert not naming(['SELECT * FROM "workflow_casus" WHERE "email" = %s'], others)
    assert not naming(['SET search_path = "twente","public"'], others)


@pytest.mark.parametrize("role", list(Role))
def test_a_region_request_names_only_its_own_schema(twente, logged_in, role):
    case = report_in(twente, name="Isolatie")
    client = logged_in(twente, role)
    statements = record(client, [*REGION_PAGES, reverse("cases:detail", args=[case.reference])])
    assert len(statements) > 20, "too little was recorded to mean anything"
    assert naming(statements, other_schemas({"twente", "public"})) == []


def test_a_reporters_request_names_only_its_region(limburg, client_for):
    statements = record(client_for(limburg), PUBLIC_PAGES)
    assert statements
    assert naming(statements, other_schemas({"limburg", "public"})) == []


def test_the_national_administrators_requests_name_only_public(national_client, twente, limburg):
    statements = record(national_client, ["/", "/regios/nieuw/"])
    assert statements
    assert naming(statements, other_schemas({"public"})) == []


def proposal_to(twente, limburg, sender) -> int:
    """A Twente case proposed to Limburg, with the victim's consent."""
    with tenant_context(twente):
        casus = public_report(person("Isolatie Overdracht", birth_year=2004)).report.casus
        record_consent(
            casus.persons.get(),
            actor=sender,
            purpose=Consent.Purpose.TRANSFER,
            given_by=Consent.GivenBy.PERSON,
            given_on=date.today(),
            scope="Overdracht.",
        )
        transfer = transfers.propose(
            casus,
            actor=sender,
            target=limburg,
            parts=["betrokkenen", "meldingen"],
            basis="toestemming",
            reason="Verhuisd.",
        )
    return transfer.pk


def test_only_the_transfer_service_names_a_second_region(twente, limburg, logged_in, make_user):
    """The receiving procesregisseur's pages name only Limburg and public; accepting
    reaches Twente, and every statement that names Twente comes from the one allowed
    module."""
    receiver = logged_in(limburg, Role.PROCESREGISSEUR)
    pk = proposal_to(twente, limburg, make_user(twente, Role.PROCESREGISSEUR))
    others = other_schemas({"limburg", "public"})
    looked = record(receiver, ["/", "/overdrachten/", f"/overdrachten/{pk}/"])
    assert naming(looked, others) == []

    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        response = receiver.post(f"/overdrachten/{pk}/aanvaarden/")
    assert response.status_code == 302
    crossing = naming(recorder.statements, others)
    assert crossing, "accepting reached no other region: the check below means nothing"
    assert {who for sql in crossing for who in recorder.issuers[sql]} == set(ALLOWED_CROSS_SCHEMA)
    assert len(ALLOWED_CROSS_SCHEMA) == 1


def test_the_sending_procesregisseurs_proposal_names_only_its_own_region(
    twente, limburg, logged_in
):
    sender = logged_in(twente, Role.PROCESREGISSEUR)
    case = report_in(twente, name="Voorstel")
    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        sender.get(reverse("cases:transfer_propose", args=[case.reference]))
        proposed = sender.post(
            reverse("cases:transfer_propose", args=[case.reference]),
            {
                "target": limburg.pk,
                "parts": ["meldingen"],
                "basis": "anders",
                "basis_text": "Wet.",
                "reason": "Verhuisd.",
            },
        )
    assert proposed.status_code == 302, proposed.content.decode()[-2000:]
    assert len(recorder.statements) > 20
    assert naming(recorder.statements, other_schemas({"twente", "public"})) == []
