"""The engine is the only writer of a case's state: every change under the row lock, with
its policy and one audit line holding the old and the new value; the services ask the
policy themselves; a reporter's conversation belongs to their own report."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django_tenants.utils import tenant_context

from accounts import services as account_services
from audit.models import AuditAction, AuditEntry
from configuratie.models import CatalogueEntry, CatalogueKind, Priority
from configuratie.services import presets, workflows
from tenants.services import onboarding
from tests.factories import evaluate, intake_case, person, public_report
from workflow import engine
from workflow.models import ScreeningOutcome, StepTransition
from workflow.services import records, reporters, reports


@pytest.fixture
def staff(make_user):
    return lambda region: make_user(region, "medewerker", "procesregisseur")


def test_reprioritising_recomputes_the_deadline_from_the_start_of_the_step(twente, staff):
    actor = staff(twente)
    with tenant_context(twente):
        casus = intake_case(actor, person("Sanne"))
        engine.move(casus, "screening", actor=actor)
        casus.refresh_from_db()
        assert casus.deadline_at == casus.step_entered_at + timedelta(days=5)  # normaal
        engine.set_case_details(
            casus, actor=actor, case_type="slachtoffer", priority=Priority.objects.get(code="hoog")
        )
        casus.refresh_from_db()
        assert casus.deadline_at == casus.step_entered_at + timedelta(days=3)
        line = AuditEntry.objects.filter(case_id=casus.reference, action=AuditAction.CHANGE).latest(
            "id"
        )
    assert line.changes["priority"] == [None, "hoog"]
    assert line.changes["deadline_at"][1] == casus.deadline_at.isoformat()


def test_every_change_of_state_is_one_audit_line_with_old_and_new(twente, staff, make_user):
    actor, coordinator = staff(twente), make_user(twente, "casuscoordinator")
    with tenant_context(twente):
        casus = intake_case(actor, person("Sanne"))
        engine.move(casus, "screening", actor=actor)
        engine.appoint_coordinator(casus, actor=actor, coordinator=coordinator)
        reason = CatalogueEntry.objects.filter(catalogue=CatalogueKind.CLOSING_REASON).first()
        engine.set_closing_reason(casus, actor=actor, code=reason.code)
        changes = [
            line.changes
            for line in AuditEntry.objects.filter(
                case_id=casus.reference, action=AuditAction.CHANGE
            ).order_by("id")
        ]
    assert changes[0]["current_step"] == ["Melding ontvangen", "Screening"]
    assert changes[1] == {"coordinator": [None, str(coordinator)]}
    assert changes[2] == {"closing_reason": ["", reason.code]}


def test_the_services_refuse_an_unauthorised_caller_without_any_view(twente, staff, make_user):
    actor, analist = staff(twente), make_user(twente, "analist")
    medewerker = make_user(twente, "medewerker")
    with tenant_context(twente):
        casus = intake_case(actor, person("Sanne"))
        refused = [
            lambda: records.record_screening_outcome(casus, actor=analist, outcome="ja"),
            lambda: reporters.record_feedback(
                casus, actor=analist, text="x", reports=casus.reports.all()
            ),
            lambda: engine.set_case_details(casus, actor=analist, case_type="", priority=None),
            lambda: engine.open_case(actor=analist),
            lambda: reports.record_intake(
                reports.ReportData("", "telefoon", "ouder", "x"), actor=analist, link_to=casus
            ),
            lambda: workflows.draft_for_editing(actor=medewerker),
            lambda: presets.export_configuration(actor=medewerker),
            lambda: presets.import_configuration({}, actor=medewerker),
            lambda: account_services.invite_user("nieuw@twente.test", invited_by=medewerker),
            lambda: account_services.deactivate_user(analist, changed_by=medewerker),
            lambda: onboarding.set_suspended(twente, True, actor=medewerker),
            lambda: onboarding.onboard_region(
                slug="nergens",
                name="Nergens",
                domain="nergens.localhost",
                admin_email="beheer@nergens.test",
                actor=medewerker,
            ),
        ]
        for attempt in refused:
            with pytest.raises(PermissionDenied):
                attempt()
        with pytest.raises(engine.TransitionRefused):
            engine.move(casus, "screening", actor=analist)


def test_a_step_counts_early_work_on_its_first_visit_and_asks_new_work_on_a_return(twente, staff):
    actor = staff(twente)
    with tenant_context(twente):
        casus = intake_case(actor, person("Sanne"))
        records.record_screening_outcome(casus, actor=actor, outcome="ja")  # before screening
        reporters.record_feedback(casus, actor=actor, text="Klaar.", reports=casus.reports.all())
        engine.move(casus, "screening", actor=actor)
        engine.move(casus, "afsluiting", actor=actor)  # first visit: the early outcome counts
        reason = CatalogueEntry.objects.filter(catalogue=CatalogueKind.CLOSING_REASON).first()
        engine.set_closing_reason(casus, actor=actor, code=reason.code)
        engine.move(casus, "evaluatie", actor=actor)
        evaluate(casus, actor, "nee")
        engine.complete(casus, actor=actor)

        engine.reopen(casus, actor=actor, reason="Nieuwe melding over dezelfde jongere")
        casus.refresh_from_db()
        assert (casus.current_step.code, casus.completed_at, casus.closing_reason) == (
            "melding",
            None,
            "",
        )
        engine.move(casus, "screening", actor=actor)
        with pytest.raises(engine.TransitionRefused, match="uitkomst van de screening"):
            engine.move(casus, "afsluiting", actor=actor)  # a return asks a new outcome
        records.record_screening_outcome(casus, actor=actor, outcome="vermoeden")
        engine.move(casus, "afsluiting", actor=actor)
        assert ScreeningOutcome.objects.filter(casus=casus).count() == 2
        path = [t.to_step.code for t in casus.transitions.all()]
    assert path == [
        "melding", "screening", "afsluiting", "evaluatie", "melding", "screening", "afsluiting"
    ]  # fmt: skip


def test_a_second_report_needs_its_own_feedback(twente, staff):
    actor = staff(twente)
    with tenant_context(twente):
        casus = intake_case(actor, person("Sanne"))
        reporters.record_feedback(casus, actor=actor, text="Dank u.", reports=casus.reports.all())
        second = intake_case(actor, person("Sanne"), link_to=casus).reports.latest("submitted_at")
        engine.move(casus, "screening", actor=actor)
        records.record_screening_outcome(casus, actor=actor, outcome="nee")
        with pytest.raises(engine.TransitionRefused, match="terugkoppeling aan elke melder"):
            engine.move(casus, "afsluiting", actor=actor)
        reporters.record_feedback(casus, actor=actor, text="Dank u ook.", reports=[second])
        engine.move(casus, "afsluiting", actor=actor)


def follow(client: Client, code: str, secret: str) -> str:
    client.post(reverse("public:follow"), {"code": code, "secret": secret})
    return client.get(reverse("public:follow_status")).content.decode()


def test_two_reporters_of_one_case_each_read_only_their_own_conversation(twente, staff, client_for):
    actor = staff(twente)
    with tenant_context(twente):
        first = public_report(person("Sanne"))
        casus = first.report.casus
        second = reports.record_intake(
            reports.ReportData(
                "meldformulier", "telefoon", "professional", "Ook ik maak mij zorgen."
            ),
            actor=actor,
            link_to=casus,
        )
        reporters.ask_reporter(
            casus, actor=actor, question="Vraag voor de ouder", reports=[first.report]
        )
        reporters.record_feedback(
            casus, actor=actor, text="Terugkoppeling voor de leraar", reports=[second.report]
        )
    first_page = follow(client_for(twente), first.code, first.secret)
    second_page = follow(client_for(twente), second.code, second.secret)
    assert "Vraag voor de ouder" in first_page and "voor de leraar" not in first_page
    assert "voor de leraar" in second_page and "Vraag voor de ouder" not in second_page

    second_client = client_for(twente)
    follow(second_client, second.code, second.secret)
    second_client.post(reverse("public:follow_status"), {"text": "Antwoord van de leraar"})
    with tenant_context(twente):
        answer = casus.reporter_messages.get(direction="antwoord")
        assert answer.report == second.report


def test_each_transition_is_left_when_the_next_one_is_made(twente, staff):
    """`left_at` is the moment of the case's next transition in its history (moves,
    closing, completion, reopening, a transfer's closing), never another case's."""
    actor = staff(twente)
    with tenant_context(twente):
        casus = intake_case(actor, person("Sanne"))
        other = intake_case(actor, person("Lotte"))
        records.record_screening_outcome(casus, actor=actor, outcome="ja")
        reporters.record_feedback(casus, actor=actor, text="Klaar.", reports=casus.reports.all())
        engine.move(casus, "screening", actor=actor)
        engine.move(casus, "afsluiting", actor=actor)
        reason = CatalogueEntry.objects.filter(catalogue=CatalogueKind.CLOSING_REASON).first()
        engine.set_closing_reason(casus, actor=actor, code=reason.code)
        engine.move(casus, "evaluatie", actor=actor)
        evaluate(casus, actor, "nee")
        engine.complete(casus, actor=actor)
        engine.reopen(casus, actor=actor, reason="Nieuwe melding over dezelfde jongere")
        engine.move(casus, "screening", actor=actor)
        engine.close_transferred(casus, to_region="Limburg", transfer_id=1, by="M. Jansen")
        engine.move(other, "screening", actor=actor)

        for case in (casus, other):
            history = list(StepTransition.objects.filter(casus=case).order_by("at", "id"))
            following = [t.at for t in history[1:]] + [None]
            assert [t.left_at for t in history] == following
        assert StepTransition.objects.filter(casus=casus).count() == 6
