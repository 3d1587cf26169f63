"""Process oversight: each signal's count on the dashboard is exactly the case list it
opens, finished cases never count, and counting is a fixed number of queries."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import tenant_context

from configuratie.models import Partner, RegionSettings, WorkflowStep
from tests.factories import intake_case, person, sign_covenants
from workflow.models import (
    Casus,
    InformationRequest,
    PlanAction,
    PlanOfApproach,
    Referral,
    Report,
    ScreeningOutcome,
    StepTransition,
)
from workflow.oversight import SIGNALS, count_signals, open_cases_by_step
from workflow.selectors import list_cases
from workflow.services.reports import reply_from_reporter


def cases_for_every_signal(region, staff) -> dict[str, Casus]:
    """One or more open cases for which each signal holds, and a finished one for which
    several would hold but must not count."""
    sign_covenants(region)
    with tenant_context(region):
        yesterday = timezone.localdate() - timedelta(days=1)
        partner = Partner.objects.first()
        made = {code: intake_case(staff, person(f"Signaal {code}")) for code in SIGNALS}
        Casus.objects.filter(pk=made["termijn_verlopen"].pk).update(
            deadline_at=timezone.now() - timedelta(hours=1)
        )
        plan = PlanOfApproach.objects.create(
            casus=made["acties_verlopen"], recorded_by=staff, goals="Doel"
        )
        PlanAction.objects.create(plan=plan, description="Actie", chain="zorg", due_on=yesterday)
        shared = {"recorded_by": staff, "partner": partner, "legal_basis": "convenant"}
        InformationRequest.objects.create(
            casus=made["verzoeken_verlopen"], question="Vraag", answer_by=yesterday, **shared
        )
        Referral.objects.create(
            casus=made["doorverwijzingen_verlopen"], answer_by=yesterday, **shared
        )
        long_ago = timezone.now() - timedelta(days=RegionSettings.current().quiet_case_days + 5)
        still = made["stil"]
        Casus.objects.filter(pk=still.pk).update(
            opened_at=long_ago, step_entered_at=long_ago, last_activity_at=long_ago
        )
        Report.objects.filter(casus=still).update(submitted_at=long_ago)
        StepTransition.objects.filter(casus=still).update(at=long_ago)
        ScreeningOutcome.objects.create(
            casus=made["zonder_terugkoppeling"], recorded_by=staff, outcome="vermoeden"
        )
        reply_from_reporter(made["bericht_onbeantwoord"].reports.first(), "Nog iets.")
        Casus.objects.filter(pk=made["mijn_termijnen"].pk).update(
            deadline_at=timezone.now() + timedelta(days=1)
        )
        Casus.objects.filter(pk=made["wacht_op_screeningsteam"].pk).update(
            current_step=WorkflowStep.objects.filter(
                definition__status="actief", responsible_role="screeningsteamlid"
            ).first()
        )
        finished = intake_case(staff, person("Afgerond"))
        Casus.objects.filter(pk=finished.pk).update(
            deadline_at=timezone.now() - timedelta(days=3), completed_at=timezone.now()
        )
    made["afgerond"] = finished
    return made


@pytest.mark.parametrize("roles", [("procesregisseur", "medewerker")])
def test_every_signal_counts_exactly_the_cases_its_list_shows(twente, make_user, roles):
    user = make_user(twente, *roles)
    made = cases_for_every_signal(twente, user)
    with tenant_context(twente):
        counts = {found.code: found.count for found in count_signals(user, tuple(SIGNALS))}
        finished = made.pop("afgerond")
        for code, casus in made.items():
            listing = list_cases(user, {"signaal": code})
            shown = {case.reference for case in listing.page.object_list}
            assert counts[code] == listing.page.paginator.count, code
            assert casus.reference in shown, code
            assert counts[code] >= 1
        overdue = list_cases(user, {"signaal": "termijn_verlopen"}).page.object_list
        assert finished not in overdue


def test_a_case_with_recent_activity_is_not_quiet(twente, make_user):
    user = make_user(twente, "procesregisseur")
    made = cases_for_every_signal(twente, user)
    with tenant_context(twente):
        quiet = made["stil"]
        assert quiet in list_cases(user, {"signaal": "stil"}).page.object_list
        reply_from_reporter(quiet.reports.first(), "Ik wil nog iets melden.")
        assert quiet not in list_cases(user, {"signaal": "stil"}).page.object_list


def test_an_answered_reporter_is_no_longer_waiting(twente, make_user):
    from workflow.services.reporters import ask_reporter

    user = make_user(twente, "procesregisseur")
    made = cases_for_every_signal(twente, user)
    with tenant_context(twente):
        casus = made["bericht_onbeantwoord"]
        ask_reporter(
            casus, actor=user, question="Kunt u dat toelichten?", reports=casus.reports.all()
        )
        assert casus not in list_cases(user, {"signaal": "bericht_onbeantwoord"}).page.object_list


def test_an_unknown_signal_is_a_400_with_a_clear_dutch_error(twente, logged_in):
    staff = logged_in(twente, "procesregisseur")
    response = staff.get(reverse("cases:list") + "?signaal=bestaat-niet")
    assert response.status_code == 400
    assert "Selecteer een geldige keuze" in response.content.decode()


def test_counting_the_signals_and_the_steps_takes_the_same_queries_at_any_volume(twente, make_user):
    user = make_user(twente, "procesregisseur")
    with tenant_context(twente):
        count_signals(user)  # settings row and policy reads, once
        cache.clear()  # the counts themselves, not the cached ones
        with CaptureQueriesContext(connection) as few:
            count_signals(user)
            open_cases_by_step(user)
    cases_for_every_signal(twente, user)
    cases_for_every_signal(twente, user)
    cache.clear()
    with tenant_context(twente), CaptureQueriesContext(connection) as many:
        count_signals(user)
        open_cases_by_step(user)
    assert len(queries(many)) == len(queries(few)) <= 5


def queries(captured: CaptureQueriesContext) -> list[str]:
    """The queries asked, without the schema switch of entering a region."""
    return [q["sql"] for q in captured.captured_queries if not q["sql"].startswith("SET ")]


def test_open_cases_per_step_add_up_to_the_open_cases(twente, make_user):
    user = make_user(twente, "procesregisseur")
    cases_for_every_signal(twente, user)
    with tenant_context(twente):
        steps = open_cases_by_step(user)
        assert (
            sum(step.count for step in steps)
            == Casus.objects.filter(completed_at__isnull=True).count()
        )
        for step in steps:
            if step.in_active_process:
                listing = list_cases(user, {"step": step.code})
                assert listing.page.paginator.count == step.count


def test_the_home_counts_are_cached_until_a_case_changes(twente, make_user):
    user = make_user(twente, "procesregisseur")
    made = cases_for_every_signal(twente, user)
    with tenant_context(twente):
        before = {found.code: found.count for found in count_signals(user)}
        with CaptureQueriesContext(connection) as cached:
            assert {found.code: found.count for found in count_signals(user)} == before
        assert not any("workflow_casus" in sql for sql in queries(cached))
        # A change to a case (here a record on it) is a new case version: counted again.
        ScreeningOutcome.objects.create(
            casus=made["termijn_verlopen"], recorded_by=user, outcome="vermoeden"
        )
        after = {found.code: found.count for found in count_signals(user)}
        assert after["zonder_terugkoppeling"] == before["zonder_terugkoppeling"] + 1


def test_every_record_moves_the_last_activity_and_a_recount_agrees(twente, make_user):
    from workflow.activity import activity_sources, recompute_last_activity

    user = make_user(twente, "procesregisseur")
    made = cases_for_every_signal(twente, user)
    with tenant_context(twente):
        quiet = made["stil"]
        stored = Casus.objects.get(pk=quiet.pk).last_activity_at
        assert stored < timezone.now() - timedelta(days=RegionSettings.current().quiet_case_days)
        outcome = ScreeningOutcome.objects.create(casus=quiet, recorded_by=user, outcome="nee")
        assert Casus.objects.get(pk=quiet.pk).last_activity_at == outcome.recorded_at
        # An earlier-dated record leaves it where it is.
        ScreeningOutcome.objects.create(
            casus=quiet, recorded_by=user, outcome="nee", recorded_at=stored
        )
        kept = dict(Casus.objects.values_list("pk", "last_activity_at"))
        Casus.objects.update(last_activity_at=timezone.now() - timedelta(days=999))
        recompute_last_activity(activity_sources())
        assert dict(Casus.objects.values_list("pk", "last_activity_at")) == kept
