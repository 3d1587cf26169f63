"""Every SQL statement of a request names only the request's region schema and public.

What the Citus path in docs/scale-out.md needs: a request never reaches
another region's schema (nor the template), so each region's schema can live
on its own node. Requests of every role, the reporter and the national
administrator are recorded statement by statement.
"""

import re

import pytest
from django.db import connection
from django.urls import reverse

from accounts.policy import Role
from tests.frontend.cases.test_case_screens import report_in

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


class Recorder:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append(sql)
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
