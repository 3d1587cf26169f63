"""What a client types (a name in a URL, in a code field, in a filter) never reaches the
append-only audit log: a line keeps a code that has the form of one, or "onbekende
verwijzing". Each test scans every column of the lines its requests wrote."""

from urllib.parse import quote

import pytest
from django.db import connection
from django.urls import reverse
from django_tenants.utils import tenant_context

from audit.models import AuditAction, AuditEntry
from audit.services import UNKNOWN_REFERENCE
from tests.api.test_meetings import with_token
from tests.frontend.privacy.test_privacy_screens import reauthenticate

NAME = "Jan de Vries uit Enschede"


def last_line_id(region) -> int:
    with tenant_context(region):
        return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def lines_after(region, line_id: int) -> list[str]:
    """Every line written since `line_id`, all its columns as text."""
    with tenant_context(region), connection.cursor() as cursor:
        cursor.execute("SELECT line::text FROM audit_auditentry line WHERE id > %s", [line_id])
        return [text for (text,) in cursor.fetchall()]


def assert_no_part_of_the_name(lines: list[str]) -> None:
    assert lines, "the request wrote no audit line at all"
    for word in ("Jan", "Vries", "Enschede"):
        assert not [line for line in lines if word.lower() in line.lower()], word


def refused_references(region, line_id: int) -> list[str]:
    with tenant_context(region):
        return list(
            AuditEntry.objects.filter(id__gt=line_id, action=AuditAction.REFUSED)
            .order_by("id")
            .values_list("case_id", flat=True)
        )


def test_a_name_in_an_api_case_path_is_not_logged(twente, make_user):
    api = with_token(twente, make_user(twente, "medewerker"))
    before = last_line_id(twente)
    assert api.get(f"/api/v1/casussen/{quote(NAME)}/").status_code == 404
    assert api.get("/api/v1/casussen/2026-99999/").status_code == 404
    assert_no_part_of_the_name(lines_after(twente, before))
    # A code of the right form names no person: kept, so a search for it finds the try.
    assert refused_references(twente, before) == [UNKNOWN_REFERENCE, "2026-99999"]


def test_a_name_in_a_case_page_address_is_not_logged(twente, logged_in):
    staff = logged_in(twente, "medewerker")
    before = last_line_id(twente)
    assert staff.get(f"/casussen/{quote(NAME)}/").status_code == 404
    assert_no_part_of_the_name(lines_after(twente, before))
    assert refused_references(twente, before) == [UNKNOWN_REFERENCE]


def test_a_name_typed_as_a_report_code_is_not_logged(limburg, client_for):
    public = client_for(limburg)
    before = last_line_id(limburg)
    answer = public.post(reverse("public:follow"), {"code": NAME[:20], "secret": "ABCD-EFGH-JKLM"})
    assert answer.status_code == 400
    assert_no_part_of_the_name(lines_after(limburg, before))
    with tenant_context(limburg):
        failed = AuditEntry.objects.get(id__gt=before, action=AuditAction.LOGIN_FAILED)
    assert failed.detail == {"meldcode": UNKNOWN_REFERENCE}


def test_a_name_typed_as_a_sign_in_address_is_not_logged(twente, client_for):
    client = client_for(twente)
    before = last_line_id(twente)
    client.post(
        reverse("account_login"), {"login": "jan.devries@enschede.example", "password": "x"}
    )
    assert_no_part_of_the_name(lines_after(twente, before))
    with tenant_context(twente):
        failed = AuditEntry.objects.get(id__gt=before, action=AuditAction.LOGIN_FAILED)
    assert failed.detail == {"poging_voor": "onbekend account"}


@pytest.mark.parametrize("field", ["case", "person"])
def test_a_name_typed_in_an_audit_log_filter_is_not_logged(twente, logged_in, field):
    officer = logged_in(twente, "privacyofficer")
    reauthenticate(officer)
    before = last_line_id(twente)
    assert officer.get(reverse("privacy:audit_log"), {field: NAME}).status_code == 200
    assert_no_part_of_the_name(lines_after(twente, before))
    with tenant_context(twente):
        read = AuditEntry.objects.get(id__gt=before, detail__lijst="auditlog")
    assert read.detail["filters"] == {field: UNKNOWN_REFERENCE}
