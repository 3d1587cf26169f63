"""The privacy screens: the audit log behind a fresh second factor, every read of it
an audit line, constant queries per page, a person's access overview that lists
exactly the reads made, the export, retention, legal holds and corrections."""

import csv
import html
import io
import re
import time

import pyotp
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import tenant_context
from pypdf import PdfReader

from audit.models import AuditAction, AuditEntry
from audit.services import record
from privacy.models import ClosingReasonRetention, LegalHold
from privacy.services import subjects
from tests.factories import person, public_report, reported_case
from workflow.models import CaseDocument, InvolvedPerson, JournalEntry

MFA_RECORDS = "account_authentication_methods"


def reauthenticate(client) -> None:
    response = client.post(
        reverse("mfa_reauthenticate"), {"code": pyotp.TOTP(client.user.totp_secret).now()}
    )
    assert response.status_code == 302, response.content.decode()[:500]


@pytest.fixture
def officer(twente, logged_in):
    client = logged_in(twente, "privacyofficer")
    reauthenticate(client)
    return client


def lines_of(region, user, **filters) -> list[AuditEntry]:
    with tenant_context(region):
        return list(AuditEntry.objects.filter(user_id=user.pk, **filters).order_by("id"))


def test_the_audit_log_asks_for_the_authenticator_again_after_a_few_minutes(twente, logged_in):
    client = logged_in(twente, "privacyofficer")
    url = reverse("privacy:audit_log")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    assert not lines_of(twente, client.user, action=AuditAction.VIEW)  # nothing was read

    response = client.post(
        response["Location"], {"code": pyotp.TOTP(client.user.totp_secret).now()}
    )
    assert response.status_code == 302 and response["Location"] == url
    assert client.get(url).status_code == 200

    with tenant_context(twente):  # the session lives in the region's schema
        session = client.session
        session[MFA_RECORDS] = [dict(entry, at=time.time() - 301) for entry in session[MFA_RECORDS]]
        session.save()
    assert client.get(url).status_code == 302


@pytest.mark.parametrize("role", ["medewerker", "procesregisseur", "regiobeheerder", "analist"])
def test_only_the_privacy_officer_reads_the_log(twente, logged_in, role):
    client = logged_in(twente, role)
    assert client.get(reverse("privacy:audit_log")).status_code == 403
    assert client.get(reverse("privacy:audit_export")).status_code == 403
    assert client.get(reverse("privacy:overview_choose")).status_code == 403


def test_every_read_of_the_audit_log_is_an_audit_line(twente, officer):
    officer.get(reverse("privacy:audit_log"))
    officer.get(reverse("privacy:audit_log"), {"action": "view", "case": "2026-00001", "pagina": 2})
    reads = lines_of(twente, officer.user, action=AuditAction.VIEW, detail__lijst="auditlog")
    assert len(reads) == 2
    assert reads[1].detail["filters"] == {"action": "view", "case": "2026-00001"}
    assert reads[1].grounds == "toezicht op toegang (NEN 7513)"
    assert reads[1].role == "privacyofficer" and reads[1].ip_address == "127.0.0.1"


def listed_ids(response) -> list[int]:
    return [line.pk for line in response.context["page"].object_list]


def test_the_log_filters_by_user_person_case_action_and_period(twente, officer, make_user):
    staff = make_user(twente, "medewerker")
    with tenant_context(twente):
        seen = record(AuditAction.VIEW, user=staff, case_id="2026-00042", person_id="7")
        other = record(AuditAction.CHANGE, user=staff, case_id="2026-00043")
    get = lambda **params: listed_ids(officer.get(reverse("privacy:audit_log"), params))  # noqa: E731
    assert get(user=staff.pk) == [other.pk, seen.pk]
    assert get(person="7") == [seen.pk]
    assert get(case="2026-00043") == [other.pk]
    assert get(user=staff.pk, action="view") == [seen.pk]
    today = timezone.localdate(seen.at).isoformat()
    assert seen.pk in get(start=today, end=today)
    assert get(start="2020-01-01", end="2020-01-31") == []


def test_the_log_page_needs_the_same_number_of_queries_however_long_the_log(
    twente, officer, make_user
):
    staff = make_user(twente, "procesregisseur")
    url = reverse("privacy:audit_log")
    with tenant_context(twente):
        casus = reported_case("Eerste")
        subjects.correct_person(
            casus.persons.first(), actor=staff, values={"name": "Eerste B"}, reason="invoerfout",
            explanation="spelling",
        )  # fmt: skip
    with CaptureQueriesContext(connection) as few:
        assert officer.get(url).status_code == 200
    with tenant_context(twente):
        for number in range(30):
            other = reported_case(f"Persoon {number}")
            subjects.correct_person(
                other.persons.first(), actor=staff, values={"name": f"P {number}"},
                reason="invoerfout", explanation="spelling",
            )  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        response = officer.get(url)
    assert len(response.context["page"].object_list) == 50
    # The objects are named with one query per kind of object on the page: never more
    # queries for more lines.
    assert len(many.captured_queries) <= len(few.captured_queries)


def test_the_privacy_officer_sees_old_and_new_values_decrypted(twente, officer, make_user):
    staff = make_user(twente, "medewerker")
    with tenant_context(twente):
        casus = reported_case("Jasmijn Oudspelling")
        corrected = casus.persons.first()
        subjects.correct_person(
            corrected, actor=staff, values={"name": "Jasmijn Goedspelling"},
            reason="verzoek_betrokkene", explanation="Paspoort getoond",
        )  # fmt: skip
        raw = AuditEntry.objects.get(action=AuditAction.CHANGE, person_id=str(corrected.pk))
        assert "Goedspelling" not in str(raw.changes)  # sealed under the person's key
    body = officer.get(reverse("privacy:audit_log"), {"person": corrected.pk}).content.decode()
    assert "Jasmijn Oudspelling → Jasmijn Goedspelling" in body
    assert "Paspoort getoond" in body


def test_the_access_overview_lists_exactly_the_reads_made(twente, officer, logged_in):
    first, second = logged_in(twente, "medewerker"), logged_in(twente, "procesregisseur")
    with tenant_context(twente):
        submitted = public_report(person("Fenna Inzage"), person("Iemand Anders", role="dader"))
        casus = submitted.report.casus
        fenna = InvolvedPerson.objects.get(report=submitted.report, role="slachtoffer")
    page = reverse("cases:detail", args=[casus.reference])
    for client in (first, second, first):
        assert client.get(page).status_code == 200
    with tenant_context(twente):
        reads = list(
            AuditEntry.objects.filter(person_id=str(fenna.pk), action=AuditAction.VIEW).order_by(
                "at", "id"
            )
        )
    assert [line.user_id for line in reads] == [first.user.pk, second.user.pk, first.user.pk]

    response = officer.get(reverse("privacy:overview", args=[fenna.pk]))
    rows = response.context["rows"]
    viewed = [row for row in rows if row.action == AuditAction.VIEW]
    assert [row.at for row in viewed] == [line.at for line in reads]
    assert [row.who for row in viewed] == [
        "een medewerker meldpunt van Meldpunt Twente",
        "een procesregisseur van Meldpunt Twente",
        "een medewerker meldpunt van Meldpunt Twente",
    ]
    assert [row.action for row in rows] == [AuditAction.CREATE, *[AuditAction.VIEW] * 3]
    body = response.content.decode()
    assert first.user.email not in body and "Fenna" not in body

    pdf = officer.get(reverse("privacy:overview_pdf", args=[fenna.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "procesregisseurvanMeldpuntTwente" in "".join(text.split())  # the PDF kerns words
    given = lines_of(twente, officer.user, person_id=str(fenna.pk))
    assert [(line.action, line.detail["vorm"]) for line in given] == [
        (AuditAction.VIEW, "scherm"),
        (AuditAction.EXPORT, "pdf"),
    ]


def test_a_period_of_the_log_is_exported_as_csv_and_that_is_logged(twente, officer):
    with tenant_context(twente):
        marker = record(AuditAction.VIEW, case_id="2026-99999")
    day = timezone.localdate(marker.at).isoformat()
    response = officer.get(
        reverse("privacy:audit_export"), {"export-start": day, "export-end": day}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert "2026-99999" in {row["case_id"] for row in rows}
    assert "changes" not in rows[0]
    export = lines_of(twente, officer.user, action=AuditAction.EXPORT).pop()
    assert export.detail == {"export": "auditlog", "van": day, "tot": day, "regels": len(rows)}
    assert (
        officer.get(
            reverse("privacy:audit_export"), {"start": day, "end": "2000-01-01"}
        ).status_code
        == 400
    )


def test_the_regiobeheerder_sets_retention_periods(twente, logged_in):
    admin = logged_in(twente, "regiobeheerder")
    url = reverse("privacy:retention")
    assert admin.get(url).status_code == 200
    response = admin.post(
        url,
        {
            "default_months": "48",
            "reporter_contact_months": "6",
            "reden_geen-loverboyproblematiek": "12",
        },
    )
    assert response.status_code == 302
    with tenant_context(twente):
        assert (
            ClosingReasonRetention.objects.get(closing_reason="geen-loverboyproblematiek").months
            == 12
        )
        line = AuditEntry.objects.filter(user_id=admin.user.pk, action=AuditAction.CHANGE).get()
    assert line.changes["standaard_maanden"] == [60, 48]
    bad = admin.post(url, {"default_months": "0", "reporter_contact_months": "six"})
    assert bad.status_code == 400 and "Vul minstens 1 maand in." in bad.content.decode()
    assert 'value="six"' in bad.content.decode()  # what was typed stays


def test_a_legal_hold_is_set_and_lifted_on_a_screen(twente, logged_in):
    officer = logged_in(twente, "privacyofficer")
    with tenant_context(twente):
        casus = reported_case("Bewaren")
    url = reverse("privacy:legal_holds")
    unknown = officer.post(url, {"casus": "2026-99998", "reason": "Onderzoek"})
    assert (
        unknown.status_code == 400
        and "Er is geen casus met code 2026-99998." in unknown.content.decode()
    )
    assert (
        officer.post(url, {"casus": casus.reference, "reason": "Onderzoek politie"}).status_code
        == 302
    )
    with tenant_context(twente):
        hold = LegalHold.objects.get(casus=casus)
    assert hold.set_by_id == officer.user.pk and hold.reason == "Onderzoek politie"
    lift = reverse("privacy:lift_hold", args=[hold.pk])
    assert officer.post(lift, {"reason": ""}).status_code == 400
    assert officer.post(lift, {"reason": "Onderzoek gesloten"}).status_code == 302
    with tenant_context(twente):
        assert LegalHold.objects.get(pk=hold.pk).lifted_at is not None


def test_staff_correct_a_person_with_a_reason(twente, logged_in):
    staff = logged_in(twente, "medewerker")
    with tenant_context(twente):
        casus = reported_case("Lisa Verkeerd", birth_year=2011)
        lisa = casus.persons.get()
    url = reverse("privacy:correct_person", args=[casus.reference, lisa.pk])
    assert (
        f'href="{url}"'
        in staff.get(reverse("cases:detail", args=[casus.reference])).content.decode()
    )
    form = {
        "role": "slachtoffer",
        "name": "Lisa Goed",
        "birth_year": "2011",
        "gender": "",
        "municipality": "",
        "school": "",
    }
    missing = staff.post(url, form)
    assert (
        missing.status_code == 400 and "Kies de reden van de correctie." in missing.content.decode()
    )
    done = staff.post(url, form | {"reason": "verzoek_betrokkene", "explanation": "Zij belde zelf"})
    assert done.status_code == 302
    with tenant_context(twente):
        assert InvolvedPerson.objects.get(pk=lisa.pk).name == "Lisa Goed"
        line = AuditEntry.objects.get(user_id=staff.user.pk, action=AuditAction.CHANGE)
    assert line.person_id == str(lisa.pk) and line.detail["velden"] == ["name"]
    assert line.grounds == "op verzoek van de betrokkene (AVG artikel 16)"
    assert logged_in(twente, "analist").get(url).status_code == 404


def test_the_privacy_officer_sees_no_case_content(twente, officer):
    with tenant_context(twente):
        casus = reported_case("Geheim Kind")
    assert officer.get(reverse("cases:list")).status_code == 403
    assert officer.get(reverse("cases:detail", args=[casus.reference])).status_code == 404
    chosen = officer.get(reverse("privacy:overview_choose"), {"casus": casus.reference})
    body = chosen.content.decode()
    assert "Betrokkene" in body and "Geheim" not in body


def test_an_erasure_request_on_the_screen_leaves_a_record(twente, logged_in):
    officer = logged_in(twente, "privacyofficer")
    with tenant_context(twente):
        submitted = public_report(person("Wis Mij"), reporter_email="wis@example.org")
    url = reverse("privacy:erasure")
    reference = submitted.report.casus.reference
    vague = officer.post(url, {"casus": reference, "scope": "betrokkene", "note": "Verzoek"})
    assert vague.status_code == 400 and "Kies wat er gewist moet worden" in vague.content.decode()
    done = officer.post(
        url,
        {
            "casus": reference,
            "scope": "melder",
            "report": submitted.report.follow_code,
            "note": "Brief 4 mei",
        },
    )
    assert done.status_code == 302 and done["Location"] == reverse("privacy:destructions")
    listed = officer.get(reverse("privacy:destructions")).content.decode()
    assert reference in listed and "verzoek tot verwijdering" in listed


def object_column(body: str) -> list[str]:
    """The log page's object column (the seventh), as shown."""
    rows = re.findall(r"<tr class=\"utrecht-table__row\">(.*?)</tr>", body, flags=re.S)
    cells = [
        re.findall(r"<td class=\"utrecht-table__cell\"[^>]*>(.*?)</td>", row, re.S) for row in rows
    ]
    return [html.unescape(row[6]) for row in cells if len(row) == 10]


def test_the_log_names_each_object_as_a_privacy_officer_knows_it_in_one_query_per_kind(
    twente, officer, make_user, django_assert_max_num_queries
):
    staff = make_user(twente, "medewerker", email="medewerker.logboek@example.org")
    with tenant_context(twente):
        casus = public_report(
            person("Lotte Logboek"), person("Daan Dader", role="dader")
        ).report.casus
        victim, suspect = casus.persons.order_by("pk")
        document = CaseDocument.objects.create(
            casus=casus, recorded_by=staff, title="Verslag van de politie", filename="v.pdf",
            content_type="application/pdf", size=3, content=b"pdf", scan=CaseDocument.Scan.CLEAN,
        )  # fmt: skip
        journal = JournalEntry.objects.create(casus=casus, recorded_by=staff, text="Gebeld.")
        gone = JournalEntry.objects.create(casus=casus, recorded_by=staff, text="Weg.")
        gone_id = gone.pk
        gone.delete()
        for target in (staff, victim, suspect, casus, document, journal):
            record(AuditAction.VIEW, user=staff, target=target, case_id=casus.reference)
        AuditEntry.objects.create(
            action=AuditAction.VIEW, object_type="workflow.JournalEntry", object_id=str(gone_id)
        )
    url = reverse("privacy:audit_log")
    officer.get(url)  # the first request caches the host's region
    with CaptureQueriesContext(connection) as counted:
        body = officer.get(url).content.decode()
    shown = object_column(body)
    assert shown[1:8] == [
        f"journaalregel {gone_id}",
        f"journaalregel in casus {casus.reference}",
        f'document "Verslag van de politie" in casus {casus.reference}',
        f"casus {casus.reference}",
        f"betrokkene (vermoedelijke) dader in casus {casus.reference}",
        f"betrokkene (mogelijk) slachtoffer in casus {casus.reference}",
        "medewerker.logboek@example.org",
    ]
    assert "accounts.User" not in body and "workflow.InvolvedPerson" not in body
    assert "Lotte" not in body and "Daan" not in body  # a person's name stays unread
    with tenant_context(twente):  # more lines of the same kinds: no more queries
        for number in range(10):
            other = reported_case(f"Kind {number}")
            record(AuditAction.VIEW, user=staff, target=other.persons.get())
            record(AuditAction.VIEW, user=make_user(twente, "analist"), target=other)
    with django_assert_max_num_queries(len(counted.captured_queries)):
        assert officer.get(url).status_code == 200
