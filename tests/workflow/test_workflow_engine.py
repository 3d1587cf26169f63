"""The workflow engine walks cases through the Twente and Limburg presets; guards refuse
premature moves with their reason; cases keep the version they started on."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django_tenants.utils import tenant_context

from configuratie.conditions import CONDITIONS
from configuratie.models import CatalogueEntry, CatalogueKind, CovenantStatus, Partner, Priority
from tests.factories import evaluate, intake_case, person
from workflow import engine
from workflow.services import information, meetings, plans, records, referrals, reporters, risk


def sign_covenant(partner: Partner) -> Partner:
    partner.covenant_status = CovenantStatus.SIGNED
    partner.covenant_signed_on = date(2024, 1, 1)
    partner.save()
    return partner


def closing_reason() -> str:
    return CatalogueEntry.objects.filter(catalogue=CatalogueKind.CLOSING_REASON).first().code


def assert_refused_with(casus, to_code, actor, reason_fragment):
    with pytest.raises(engine.TransitionRefused) as refused:
        engine.move(casus, to_code, actor=actor)
    assert any(reason_fragment in reason for reason in refused.value.reasons), refused.value.reasons


@pytest.fixture
def regisseur(make_user):
    """The process director may move a case through every step (process oversight)."""
    return lambda region: make_user(region, "procesregisseur", "medewerker")


def test_a_twente_case_walks_every_step_to_evaluation(twente, regisseur, make_user):
    actor = regisseur(twente)
    coordinator = make_user(twente, "casuscoordinator")
    with tenant_context(twente):
        casus = intake_case(actor, person("Sanne"))
        engine.set_case_details(
            casus, actor=actor, priority=Priority.objects.get(code="acuut"), case_type="slachtoffer"
        )
        casus.refresh_from_db()
        assert casus.current_step.code == "melding"
        assert (casus.deadline_at - casus.opened_at).days == 1  # acuut: one day at intake

        engine.move(casus, "screening", actor=actor)
        assert_refused_with(casus, "informatieronde", actor, "uitkomst van de screening")
        records.record_screening_outcome(
            casus, actor=actor, outcome="vermoeden", advice="Informatie opvragen"
        )
        # Twente: at every report the reporter hears back after screening, with advice.
        assert_refused_with(casus, "informatieronde", actor, "terugkoppeling aan elke melder")
        reporters.record_feedback(
            casus, actor=actor, text="Wij zoeken het uit.", reports=casus.reports.all()
        )
        engine.move(casus, "informatieronde", actor=actor)

        assert_refused_with(casus, "risicotaxatie", actor, "informatieronde af")
        police = sign_covenant(Partner.objects.get(name="Politie Oost-Nederland"))
        request = information.request_information(
            casus,
            actor=actor,
            partner=police,
            question="Bekend bij politie?",
            persons=list(casus.persons.all()),
            shared_fields=["naam"],
            legal_basis="convenant",
            legal_basis_text="Nodig voor de risicotaxatie.",
        )
        assert_refused_with(casus, "risicotaxatie", actor, "informatieronde af")
        information.record_answer(
            request, actor=actor, answer="Ja, eerder gesignaleerd.", answered_via="telefoon"
        )
        engine.move(casus, "risicotaxatie", actor=actor)

        assert_refused_with(casus, "plan_van_aanpak", actor, "risicotaxatie vast")
        assessment = risk.record_risk_assessment(
            casus,
            actor=actor,
            answers={"contact_dader": "nee", "minderjarig": "ja", "uitbuiting": "ja"}
            | {"vermist": "onbekend", "netwerk": "nee"},
        )
        assert (assessment.score, assessment.level) == (6, "verhoogd")
        engine.move(casus, "plan_van_aanpak", actor=actor)

        assert_refused_with(casus, "zorgcoordinatie", actor, "plan van aanpak vast")
        plans.write_plan(
            casus,
            actor=actor,
            goals="Zorg via Jarabee, justitie via politie.",
            actions=[plans.ActionData("Hulp", owner_partner=Partner.objects.get(name="Jarabee"))],
        )
        assert_refused_with(casus, "zorgcoordinatie", actor, "casuscoördinator aan")
        engine.appoint_coordinator(casus, actor=actor, coordinator=coordinator)
        engine.move(casus, "zorgcoordinatie", actor=actor)
        engine.move(casus, "afsluiting", actor=coordinator)

        assert_refused_with(casus, "evaluatie", actor, "afsluitreden")
        engine.set_closing_reason(casus, actor=actor, code=closing_reason())
        # The feedback after the screening was before the plan: not about the outcome.
        assert_refused_with(casus, "evaluatie", actor, "vóór het plan van aanpak telt niet")
        reporters.record_feedback(
            casus,
            actor=actor,
            text="Er is hulp ingezet; de casus wordt afgesloten.",
            reports=casus.reports.all(),
        )
        engine.move(casus, "evaluatie", actor=actor)
        casus.refresh_from_db()
        assert casus.closed_at is not None

        with pytest.raises(engine.TransitionRefused, match="evaluatie"):
            engine.complete(casus, actor=actor)
        evaluate(casus, actor, "onbekend")
        engine.complete(casus, actor=actor)
        casus.refresh_from_db()
        assert casus.completed_at is not None
        path = [transition.to_step.code for transition in casus.transitions.all()]
    assert path == [
        "melding", "screening", "informatieronde", "risicotaxatie", "plan_van_aanpak",
        "zorgcoordinatie", "afsluiting", "evaluatie",
    ]  # fmt: skip


def walk_limburg(region, actor, *, with_conference: bool) -> list[str]:
    with tenant_context(region):
        casus = intake_case(actor, person("Lotte"))
        engine.move(casus, "screening", actor=actor)
        records.record_screening_outcome(
            casus, actor=actor, outcome="ja" if with_conference else "nee"
        )
        engine.move(casus, "terugkoppeling", actor=actor)
        assert_refused_with(casus, "afsluiting", actor, "terugkoppeling aan elke melder")
        reporters.record_feedback(
            casus,
            actor=actor,
            text="Advies: blijf in gesprek met uw dochter.",
            reports=casus.reports.all(),
        )
        if with_conference:
            engine.move(casus, "casusoverleg", actor=actor)
            assert_refused_with(casus, "doorverwijzing", actor, "in een casusoverleg")
            conference = meetings.plan_meeting(
                actor=actor,
                kind="casusoverleg",
                starts_at=timezone.now(),
                attendees=[actor],
            )
            item = meetings.put_on_agenda(casus, actor=actor, meeting=conference)
            meetings.record_agenda_item(
                item, actor=actor, data=meetings.ItemRecord(minutes="Met Veiligheidshuis")
            )
            engine.move(casus, "doorverwijzing", actor=actor)
            assert_refused_with(casus, "afsluiting", actor, "accepteert")
            partner = sign_covenant(Partner.objects.get(name="Zorgcoördinatoren Mensenhandel"))
            referral = referrals.refer(
                casus,
                actor=actor,
                partner=partner,
                help="residentieel",
                persons=list(casus.persons.all()),
                shared_fields=["naam"],
                legal_basis="wettelijke_taak",
                legal_basis_text="Veiligheid van een minderjarige.",
            )
            assert_refused_with(casus, "afsluiting", actor, "accepteert")
            referrals.record_decision(referral, actor=actor, accepted=True, via="email")
        engine.move(casus, "afsluiting", actor=actor)
        engine.set_closing_reason(casus, actor=actor, code=closing_reason())
        engine.move(casus, "evaluatie", actor=actor)
        evaluate(casus, actor, "nee")
        engine.complete(casus, actor=actor)
        return [transition.to_step.code for transition in casus.transitions.all()]


def test_a_limburg_case_with_casusoverleg_and_referral(limburg, regisseur):
    path = walk_limburg(limburg, regisseur(limburg), with_conference=True)
    assert path == [
        "melding",
        "screening",
        "terugkoppeling",
        "casusoverleg",
        "doorverwijzing",
        "afsluiting",
        "evaluatie",
    ]


def test_a_limburg_case_without_casusoverleg(limburg, regisseur):
    path = walk_limburg(limburg, regisseur(limburg), with_conference=False)
    assert path == ["melding", "screening", "terugkoppeling", "afsluiting", "evaluatie"]


def test_every_guard_in_the_presets_is_known_and_refuses_on_an_empty_case(
    twente, limburg, regisseur
):
    for region in (twente, limburg):
        actor = regisseur(region)
        with tenant_context(region):
            casus = intake_case(actor)
            for step in casus.definition.steps.exclude(guards=[]):
                casus.current_step = step
                for code in step.guards:
                    assert code in CONDITIONS
                    assert str(CONDITIONS[code].missing) in engine.refusal_reasons(
                        casus, step, actor
                    )


def test_a_step_that_does_not_follow_is_refused(twente, regisseur):
    actor = regisseur(twente)
    with tenant_context(twente):
        casus = intake_case(actor)
        assert_refused_with(casus, "evaluatie", actor, "volgt niet op 'Melding ontvangen'")


def test_the_wrong_role_cannot_move_a_case(twente, regisseur, make_user):
    actor = regisseur(twente)
    analist = make_user(twente, "analist")
    screener = make_user(twente, "screeningsteamlid")
    with tenant_context(twente):
        casus = intake_case(actor)
        assert_refused_with(casus, "screening", analist, "Alleen de rol Medewerker meldpunt")
        # intake is the medewerker's, and the refusal says so
        assert_refused_with(casus, "screening", screener, "Alleen de rol Medewerker meldpunt")


def test_who_moves_a_case_on_names_each_role_once_in_the_readers_language(twente, regisseur):
    with tenant_context(twente):
        casus = intake_case(regisseur(twente))
        assert engine.who_moves(casus) == "de rol Medewerker meldpunt of de procesregisseur"
        with translation.override("en"):
            assert "Reporting centre staff" in engine.who_moves(casus)
        casus.current_step = casus.definition.steps.filter(
            responsible_role="procesregisseur"
        ).first()
        assert engine.who_moves(casus) == "de procesregisseur"


def test_a_case_coordinator_records_only_on_own_cases(twente, regisseur, make_user):
    actor = regisseur(twente)
    coordinator = make_user(twente, "casuscoordinator")
    with tenant_context(twente):
        casus = intake_case(actor)
        with pytest.raises(PermissionDenied):
            reporters.record_feedback(
                casus, actor=coordinator, text="niet van mij", reports=casus.reports.all()
            )
        engine.appoint_coordinator(casus, actor=actor, coordinator=coordinator)
        casus.refresh_from_db()
        reporters.record_feedback(
            casus, actor=coordinator, text="wel van mij", reports=casus.reports.all()
        )


def test_only_partners_with_a_current_covenant_receive_case_information(twente, regisseur):
    actor = regisseur(twente)
    with tenant_context(twente):
        casus = intake_case(actor)
        police = Partner.objects.get(name="Politie Oost-Nederland")
        with pytest.raises(ValidationError, match="geen geldend convenant"):
            information.request_information(
                casus,
                actor=actor,
                partner=police,
                question="?",
                persons=[],
                shared_fields=[],
                legal_basis="convenant",
                legal_basis_text="Nodig voor de risicotaxatie.",
            )
        police.covenant_status = CovenantStatus.SIGNED
        police.covenant_signed_on = date(2020, 1, 1)
        police.covenant_ends_on = date(2021, 1, 1)
        police.save()
        with pytest.raises(ValidationError, match="geen geldend convenant"):
            information.request_information(
                casus,
                actor=actor,
                partner=police,
                question="?",
                persons=[],
                shared_fields=[],
                legal_basis="convenant",
                legal_basis_text="Nodig voor de risicotaxatie.",
            )
