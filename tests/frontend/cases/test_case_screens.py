"""Staff case screens: the list with filters, the case page (audited), screening work,
and intake with likely matches."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tenants.utils import tenant_context

from audit.models import AuditAction, AuditEntry
from workflow.models import Feedback, ReporterMessage, ScreeningNote, ScreeningOutcome
from workflow.services import records, reports


def report_in(region, **person):
    with tenant_context(region):
        data = reports.ReportData(
            form_code="meldformulier",
            channel="webformulier",
            reporter_type="ouder",
            concern="Zorgen over mijn zoon.",
            persons=[reports.PersonData(role="slachtoffer", **person)],
        )
        return reports.submit_report(data, submission_token=None).report.casus


def test_the_case_list_query_count_does_not_grow(twente, logged_in):
    staff = logged_in(twente, "medewerker")
    report_in(twente, name="Eerste")
    staff.get(reverse("cases:list"))  # the first request caches the host's region
    with CaptureQueriesContext(connection) as few:
        assert staff.get(reverse("cases:list")).status_code == 200
    for number in range(8):
        report_in(twente, name=f"Persoon {number}")
    with CaptureQueriesContext(connection) as many:
        response = staff.get(reverse("cases:list"))
    assert response.content.decode().count('href="/casussen/20') >= 9
    assert len(many.captured_queries) == len(few.captured_queries)


def test_search_finds_a_person_by_exact_name_in_any_case(twente, logged_in):
    staff = logged_in(twente, "medewerker")
    casus = report_in(twente, name="Yara El Idrissi")
    report_in(twente, name="Iemand Anders")
    body = staff.get(reverse("cases:list"), {"query": "yara el  idrissi"}).content.decode()
    assert casus.reference in body and body.count('href="/casussen/20') == 1


def test_viewing_a_case_page_writes_an_audit_line(twente, logged_in):
    staff = logged_in(twente, "medewerker")
    casus = report_in(twente, name="Sanne")
    assert staff.get(reverse("cases:detail", args=[casus.reference])).status_code == 200
    with tenant_context(twente):
        line = AuditEntry.objects.get(
            action=AuditAction.VIEW, case_id=casus.reference, user_id=staff.user.pk
        )
    assert line.grounds == "casusbehandeling" and line.object_type == "workflow.Casus"


def test_screening_question_feedback_and_a_refused_move(twente, logged_in):
    staff = logged_in(twente, "medewerker", "screeningsteamlid")
    casus = report_in(twente, name="Sanne")
    url = lambda name: reverse(name, args=[casus.reference])  # noqa: E731
    assert staff.post(url("cases:move"), {"to": "screening"}).status_code == 302
    refused = staff.post(url("cases:move"), {"to": "informatieronde", "reason": "Politie vragen"})
    assert refused.status_code == 400
    assert "Leg eerst de uitkomst van de screening vast." in refused.content.decode()
    staff.post(
        url("cases:note"),
        {"notitie-kind": "bron", "notitie-text": "Politiesystemen geraadpleegd"},
    )
    staff.post(
        url("cases:outcome"),
        {"uitkomst-outcome": "vermoeden", "uitkomst-advice": "Informatieronde"},
    )
    staff.post(url("cases:question"), {"vraag-question": "Wanneer zag u dit voor het eerst?"})
    staff.post(url("cases:feedback"), {"terugkoppeling-text": "Wij onderzoeken uw melding."})
    with tenant_context(twente):
        assert ScreeningNote.objects.filter(casus=casus, kind="bron").exists()
        assert ScreeningOutcome.objects.filter(casus=casus, outcome="vermoeden").exists()
        assert ReporterMessage.objects.filter(casus=casus, direction="vraag").exists()
        assert Feedback.objects.filter(casus=casus).exists()
    page = staff.get(url("cases:detail")).content.decode()
    for event in (
        "Geraadpleegde bron",
        "Screeningsuitkomst",
        "Vraag aan de melder",
        "Terugkoppeling aan de melder",
    ):
        assert event in page


def test_an_empty_feedback_keeps_the_page_and_says_why(twente, logged_in):
    staff = logged_in(twente, "medewerker")
    casus = report_in(twente, name="Sanne")
    response = staff.post(
        reverse("cases:feedback", args=[casus.reference]), {"terugkoppeling-text": ""}
    )
    assert response.status_code == 400
    assert "Schrijf de terugkoppeling aan de melder." in response.content.decode()


def test_intake_points_out_the_same_person_and_links_the_report(twente, logged_in):
    staff = logged_in(twente, "medewerker")
    existing = report_in(twente, name="Sanne de Vries", birth_year=2010)
    data = {
        "channel": "telefoon",
        "reporter_type": "professional",
        "reporter_organisation": "Het Stedelijk Lyceum",
        "concern": "Leerling spijbelt en heeft een oudere vriend.",
        "persoon-TOTAL_FORMS": "2",
        "persoon-INITIAL_FORMS": "0",
        "persoon-MIN_NUM_FORMS": "0",
        "persoon-MAX_NUM_FORMS": "5",
        "persoon-0-role": "slachtoffer",
        "persoon-0-name": "SANNE DE VRIES",
        "persoon-0-birth_year": "2010",
        "persoon-1-role": "slachtoffer",
    }
    checked = staff.post(reverse("cases:intake"), data | {"check": "1"})
    assert checked.status_code == 200
    body = checked.content.decode()
    assert f"Koppelen aan casus {existing.reference} (zelfde naam en geboortejaar)" in body
    assert (
        'value="Leerling spijbelt en heeft een oudere vriend."' in body
        or "Leerling spijbelt" in body
    )
    linked = staff.post(reverse("cases:intake"), data | {"link_to": existing.reference})
    assert linked.status_code == 302 and linked.url == reverse(
        "cases:detail", args=[existing.reference]
    )
    with tenant_context(twente):
        assert existing.reports.count() == 2
    page = staff.get(linked.url).content.decode()
    assert "Geef de melder deze codes door" in page


def test_need_to_know_on_cases(twente, logged_in, make_user):
    coordinator = logged_in(twente, "casuscoordinator")
    analist = logged_in(twente, "analist")
    own, other = report_in(twente, name="A"), report_in(twente, name="B")
    regisseur = make_user(twente, "procesregisseur")
    with tenant_context(twente):
        records.appoint_coordinator(own, actor=regisseur, coordinator=coordinator.user)
    listing = coordinator.get(reverse("cases:list")).content.decode()
    assert own.reference in listing and other.reference not in listing
    assert coordinator.get(reverse("cases:detail", args=[other.reference])).status_code == 404
    assert analist.get(reverse("cases:list")).status_code == 403
