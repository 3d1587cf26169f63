"""Staff case screens: the list (open cases, pages, sorting, search on encrypted names),
the case page (one audit line per person shown), screening work, intake with likely
matches, need-to-know, and where a user lands after moving a case."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.models import User
from audit.models import AuditAction, AuditEntry
from configuratie.models import Priority
from tests.factories import intake_case, person, public_report, reported_case
from workflow import engine
from workflow.models import (
    AgendaItem,
    Casus,
    Feedback,
    JournalEntry,
    Meeting,
    ReporterMessage,
    ScreeningOutcome,
)


def report_in(region, name="", **fields) -> Casus:
    with tenant_context(region):
        return reported_case(name, **fields)


def listed(response) -> list[str]:
    body = response.content.decode()
    hrefs = body.split('href="/casussen/')[1:]
    return [href.split('"')[0].rstrip("/") for href in hrefs if href[:2] == "20"]


def test_the_case_list_query_count_does_not_grow(twente, logged_in):
    staff = logged_in(twente, "medewerker")
    report_in(twente, "Eerste")
    staff.get(reverse("cases:list"))  # the first request caches the host's region
    with CaptureQueriesContext(connection) as few:
        assert staff.get(reverse("cases:list")).status_code == 200
    for number in range(8):
        report_in(twente, f"Persoon {number}")
    with CaptureQueriesContext(connection) as many:
        response = staff.get(reverse("cases:list"))
    assert len(listed(response)) >= 9
    assert len(many.captured_queries) == len(few.captured_queries)


def test_more_than_a_page_of_cases_can_be_paged_through_with_the_total(twente, logged_in):
    staff = logged_in(twente, "medewerker")
    with tenant_context(twente):
        before = Casus.objects.filter(completed_at__isnull=True).count()
        for number in range(55 - before):
            reported_case(f"Kind {number}")
    first = staff.get(reverse("cases:list"))
    second = staff.get(reverse("cases:list"), {"pagina": 2})
    assert "55 casussen gevonden." in first.content.decode()
    assert "Pagina 2 van 2" in second.content.decode()
    assert len(listed(first)) == 50 and len(listed(second)) == 5
    assert not set(listed(first)) & set(listed(second))


def test_a_long_list_is_counted_only_near_the_asked_page(twente, logged_in, monkeypatch):
    from workflow.selectors import NeighbourhoodPaginator

    monkeypatch.setattr(NeighbourhoodPaginator, "COUNT_AT_LEAST", 3)
    monkeypatch.setattr(NeighbourhoodPaginator, "PAGES_AHEAD", 0)
    monkeypatch.setattr("workflow.selectors.CASE_PAGE_SIZE", 2)
    staff = logged_in(twente, "medewerker")
    for number in range(6):
        report_in(twente, f"Persoon {number}")
    first = staff.get(reverse("cases:list")).content.decode()
    assert "Meer dan 3 casussen gevonden. Pagina 1." in first
    assert "Laatste" not in first and 'rel="next"' in first
    assert len(listed(staff.get(reverse("cases:list"), {"pagina": 3}))) == 2
    exact = staff.get(reverse("cases:list"), {"q": "Persoon 1"}).content.decode()
    assert "1 casus gevonden." in exact


def test_the_list_shows_open_cases_unless_asked_for_finished_ones(twente, logged_in):
    staff = logged_in(twente, "medewerker")
    running, finished = report_in(twente, "Loopt"), report_in(twente, "Klaar")
    with tenant_context(twente):
        Casus.objects.filter(pk=finished.pk).update(completed_at=timezone.now())
    default = listed(staff.get(reverse("cases:list")))
    assert running.reference in default and finished.reference not in default
    done = listed(staff.get(reverse("cases:list"), {"status": "afgerond"}))
    assert done == [finished.reference]


def test_sorting_by_deadline_the_other_way_round(twente, logged_in):
    staff = logged_in(twente, "medewerker")
    cases = [report_in(twente, f"Persoon {n}") for n in range(3)]
    with tenant_context(twente):
        for days, casus in enumerate(cases):
            Casus.objects.filter(pk=casus.pk).update(
                deadline_at=timezone.now() + timezone.timedelta(days=days + 1)
            )
    nearest = listed(staff.get(reverse("cases:list"), {"order": "termijn"}))
    furthest = listed(staff.get(reverse("cases:list"), {"order": "-termijn"}))
    references = [casus.reference for casus in cases]
    assert [r for r in nearest if r in references] == references
    assert [r for r in furthest if r in references] == references[::-1]


def test_search_finds_a_person_by_full_first_or_surname_and_birth_year(twente, logged_in):
    staff = logged_in(twente, "medewerker")
    yara = report_in(twente, "Yara El Idrissi", birth_year=2011)
    sanne = report_in(twente, "Sanne de Vries", birth_year=2010)
    report_in(twente, "Iemand Anders", birth_year=2011)

    def found(query: str) -> list[str]:
        hits = listed(staff.get(reverse("cases:list"), {"q": query}))
        return [hit for hit in hits if hit in (yara.reference, sanne.reference)]

    assert found("yara el  idrissi") == [yara.reference]
    assert found("YARA") == [yara.reference]
    assert found("Idrissi") == [yara.reference]
    assert found("de vries") == [sanne.reference]
    assert found("Vries") == [sanne.reference]
    assert found("Sanne 2010") == [sanne.reference]
    assert found("Sanne 2011") == []
    assert found(yara.reference) == [yara.reference]


def test_a_search_on_a_name_is_logged_as_a_search_without_the_name(twente, logged_in):
    staff = logged_in(twente, "medewerker")
    casus = report_in(twente, "Noa Visser")
    staff.get(reverse("cases:list"), {"q": "Noa Visser"})
    with tenant_context(twente):
        line = AuditEntry.objects.filter(user_id=staff.user.pk, action=AuditAction.SEARCH).get()
    assert line.detail["zoekopdracht"] == "persoon of school"
    assert line.detail["casussen"] == [casus.reference]
    assert "Noa" not in str(line.detail) and "Visser" not in str(line.detail)
    assert line.ip_address == "127.0.0.1" and line.role == "medewerker"


def test_every_list_read_writes_a_complete_audit_line(twente, logged_in):
    staff = logged_in(twente, "medewerker")
    casus = report_in(twente, "Emma")
    staff.get(reverse("cases:list"))
    with tenant_context(twente):
        line = AuditEntry.objects.filter(user_id=staff.user.pk, action=AuditAction.VIEW).get()
    assert casus.reference in line.detail["casussen"]
    assert (line.user_email, line.role, line.grounds, line.ip_address) == (
        staff.user.email,
        "medewerker",
        "casusbehandeling",
        "127.0.0.1",
    )


def test_viewing_a_case_page_writes_one_audit_line_per_person_shown(twente, logged_in):
    staff = logged_in(twente, "medewerker")
    with tenant_context(twente):
        submitted = public_report(person("Sanne"), person("Daan", role="dader"))
        casus = submitted.report.casus
        shown = {str(p.pk) for p in submitted.report.persons.all()}
    assert staff.get(reverse("cases:detail", args=[casus.reference])).status_code == 200
    with tenant_context(twente):
        lines = AuditEntry.objects.filter(
            action=AuditAction.VIEW, case_id=casus.reference, user_id=staff.user.pk
        )
        assert {line.person_id for line in lines} == shown
    for line in lines:
        assert line.grounds == "casusbehandeling" and line.object_type == "workflow.Casus"
        assert line.ip_address == "127.0.0.1" and line.role == "medewerker"


def test_the_case_page_query_count_does_not_grow_with_its_reports(twente, logged_in):
    staff = logged_in(twente, "medewerker")
    with tenant_context(twente):
        casus = reported_case("Sanne")
    url = reverse("cases:detail", args=[casus.reference])
    staff.get(url)  # the first request caches the host's region
    with CaptureQueriesContext(connection) as few:
        staff.get(url)
    with tenant_context(twente):
        for number in range(4):
            intake_case(staff.user, person(f"Iemand {number}"), link_to=casus)
    with CaptureQueriesContext(connection) as many:
        assert staff.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
    # The region's role and path, the session, the user, the case, which kinds of record
    # it has, its reports, their persons, its transitions, the audit line and the next
    # steps (12 before the audit line was one INSERT without a transaction around it).
    assert len(few.captured_queries) <= 10


def test_screening_question_feedback_and_a_refused_move(twente, logged_in):
    staff = logged_in(twente, "medewerker", "screeningsteamlid")
    casus = report_in(twente, "Sanne")
    url = lambda name: reverse(name, args=[casus.reference])  # noqa: E731
    task = lambda slug: reverse("cases:task", args=[casus.reference, slug])  # noqa: E731
    with tenant_context(twente):
        report_id = str(casus.reports.get().pk)
    assert staff.post(url("cases:move"), {"to": "screening"}).status_code == 302
    refused = staff.post(url("cases:move"), {"to": "informatieronde", "reason": "Politie"})
    assert refused.status_code == 400
    assert "Leg eerst de uitkomst van de screening vast." in refused.content.decode()
    staff.post(task("journaal"), {"kind": "bron", "text": "Politie gecheckt"})
    staff.post(task("screening"), {"uitkomst-outcome": "vermoeden", "uitkomst-advice": "Ronde"})
    staff.post(
        task("vraag"),
        {"vraag-question": "Wanneer zag u dit voor het eerst?", "vraag-reports": [report_id]},
    )
    staff.post(
        task("terugkoppeling"),
        {"terugkoppeling-text": "Wij onderzoeken uw melding.", "terugkoppeling-reports": report_id},
    )
    with tenant_context(twente):
        assert JournalEntry.objects.filter(casus=casus, kind="bron").exists()
        assert ScreeningOutcome.objects.get(casus=casus).outcome == "vermoeden"
        assert ReporterMessage.objects.filter(casus=casus, report_id=report_id).exists()
        assert Feedback.objects.filter(casus=casus, report_id=report_id).exists()
    page = staff.get(url("cases:detail")).content.decode()
    for event in (
        "Geraadpleegde bron",
        "Screeningsuitkomst",
        "Vraag aan de melder",
        "Terugkoppeling",
    ):
        assert event in page


def test_feedback_without_text_or_reporter_keeps_the_page_and_says_why(twente, logged_in):
    staff = logged_in(twente, "medewerker")
    casus = report_in(twente, "Sanne")
    response = staff.post(
        reverse("cases:task", args=[casus.reference, "terugkoppeling"]),
        {"terugkoppeling-text": "Mijn getypte tekst", "terugkoppeling-reports": []},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Kies voor welke melding(en) dit is." in body and "Mijn getypte tekst" in body


def test_a_priority_change_moves_the_deadline_and_is_logged_with_old_and_new(twente, logged_in):
    staff = logged_in(twente, "medewerker")
    casus = report_in(twente, "Sanne")
    response = staff.post(
        reverse("cases:task", args=[casus.reference, "gegevens"]),
        {"gegevens-case_type": "slachtoffer", "gegevens-priority": priority_pk(twente, "acuut")},
    )
    assert response.status_code == 302
    with tenant_context(twente):
        casus.refresh_from_db()
        assert casus.deadline_at == casus.step_entered_at + timezone.timedelta(days=1)
        line = AuditEntry.objects.get(
            action=AuditAction.CHANGE, case_id=casus.reference, user_id=staff.user.pk
        )
    assert line.changes["priority"] == [None, "acuut"]
    assert line.changes["case_type"] == ["", "slachtoffer"]
    assert line.ip_address == "127.0.0.1"


def priority_pk(region, code: str) -> int:
    with tenant_context(region):
        return Priority.objects.get(code=code).pk


INTAKE = {
    "channel": "telefoon",
    "reporter_type": "professional",
    "reporter_organisation": "Het Stedelijk Lyceum",
    "concern": "Leerling spijbelt en heeft een oudere vriend.",
    "persoon-TOTAL_FORMS": "2",
    "persoon-INITIAL_FORMS": "0",
    "persoon-MIN_NUM_FORMS": "0",
    "persoon-MAX_NUM_FORMS": "5",
    "persoon-0-role": "slachtoffer",
    "persoon-1-role": "slachtoffer",
}


def test_intake_points_out_the_same_person_and_links_the_report(twente, logged_in):
    staff = logged_in(twente, "medewerker")
    existing = report_in(twente, "Sanne de Vries", birth_year=2010)
    data = INTAKE | {"persoon-0-name": "SANNE DE VRIES", "persoon-0-birth_year": "2010"}
    checked = staff.post(reverse("cases:intake"), data | {"check": "1"})
    assert checked.status_code == 200
    body = checked.content.decode()
    assert f"Koppelen aan casus {existing.reference} (zelfde naam en geboortejaar)" in body
    assert "Leerling spijbelt" in body
    linked = staff.post(reverse("cases:intake"), data | {"link_to": existing.reference})
    assert linked.status_code == 302
    assert linked.url == reverse("cases:detail", args=[existing.reference])
    with tenant_context(twente):
        assert existing.reports.count() == 2
    assert "Geef de melder deze codes door" in staff.get(linked.url).content.decode()


def test_intake_finds_an_open_case_with_exactly_the_same_name_without_a_birth_year(
    twente, logged_in
):
    staff = logged_in(twente, "medewerker")
    first, second = report_in(twente, "Milan Jansen"), report_in(twente, "Milan Jansen")
    body = staff.post(
        reverse("cases:intake"), INTAKE | {"persoon-0-name": "milan jansen", "check": "1"}
    ).content.decode()
    for casus in (first, second):
        assert f"Koppelen aan casus {casus.reference} (zelfde naam)" in body


def test_need_to_know_refuses_with_a_404_and_an_audit_line(twente, logged_in, make_user):
    coordinator = logged_in(twente, "casuscoordinator")
    analist = logged_in(twente, "analist")
    own, other = report_in(twente, "A"), report_in(twente, "B")
    regisseur = make_user(twente, "procesregisseur")
    with tenant_context(twente):
        engine.appoint_coordinator(own, actor=regisseur, coordinator=coordinator.user)
    listing = listed(coordinator.get(reverse("cases:list")))
    assert own.reference in listing and other.reference not in listing
    assert coordinator.get(reverse("cases:detail", args=[other.reference])).status_code == 404
    with tenant_context(twente):
        assert AuditEntry.objects.filter(
            action=AuditAction.REFUSED, case_id=other.reference, user_id=coordinator.user.pk
        ).exists()
    assert analist.get(reverse("cases:list")).status_code == 403


def on_agenda(region, casus, *attendees, days_from_today: int = 1):
    """A screening team meeting `attendees` attend, with `casus` on its agenda."""
    with tenant_context(region):
        planner = User.objects.filter(roles__code="procesregisseur").first() or attendees[0]
        meeting = Meeting.objects.create(
            kind="screeningsteam",
            starts_at=timezone.now() + timezone.timedelta(days=days_from_today),
            created_by=planner,
        )
        meeting.attendees.set(attendees)
        return AgendaItem.objects.create(meeting=meeting, casus=casus)


def test_a_screening_team_member_sees_a_case_only_around_a_meeting_they_attend(
    twente, logged_in, make_user
):
    screener = logged_in(twente, "screeningsteamlid")
    casus = report_in(twente, "Sanne")
    url = reverse("cases:detail", args=[casus.reference])
    assert screener.get(url).status_code == 404
    with tenant_context(twente):
        assert AuditEntry.objects.filter(
            action=AuditAction.REFUSED, case_id=casus.reference, user_id=screener.user.pk
        ).exists()
    on_agenda(twente, casus, make_user(twente, "screeningsteamlid"))  # someone else's meeting
    assert screener.get(url).status_code == 404
    on_agenda(twente, casus, screener.user, days_from_today=30)  # too far ahead (7 days)
    assert screener.get(url).status_code == 404
    on_agenda(twente, casus, screener.user, days_from_today=-3)  # held three days ago
    assert screener.get(url).status_code == 200
    assert casus.reference in "".join(listed(screener.get(reverse("cases:list"))))


def test_a_screening_team_member_moves_a_case_on_from_the_meeting_and_still_sees_it(
    twente, logged_in
):
    medewerker = logged_in(twente, "medewerker")
    screener = logged_in(twente, "screeningsteamlid")
    casus = report_in(twente, "Sanne")
    on_agenda(twente, casus, screener.user)
    medewerker.post(reverse("cases:move", args=[casus.reference]), {"to": "screening"})
    task = lambda slug: reverse("cases:task", args=[casus.reference, slug])  # noqa: E731
    screener.post(task("screening"), {"uitkomst-outcome": "ja"})
    with tenant_context(twente):
        report = str(casus.reports.get().pk)
    screener.post(
        task("terugkoppeling"),
        {"terugkoppeling-text": "Wij nemen het op.", "terugkoppeling-reports": report},
    )
    moved = screener.post(
        reverse("cases:move", args=[casus.reference]), {"to": "informatieronde"}, follow=True
    )
    assert moved.redirect_chain[-1][0] == reverse("cases:detail", args=[casus.reference])
    assert "staat nu in stap &#x27;Informatieronde bij convenantpartners&#x27;" in (
        moved.content.decode()
    )
