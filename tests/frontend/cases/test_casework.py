"""Casework through the screens: every condition has a screen through which the role
responsible for its step makes it hold; the risk assessment's scoring; plan revisions;
documents; the information round; meetings that record and move cases at once."""

import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import tenant_context
from pypdf import PdfReader

from accounts.models import User
from audit.models import AuditAction, AuditEntry
from configuratie.conditions import CONDITIONS
from configuratie.models import (
    CatalogueEntry,
    CatalogueKind,
    CovenantStatus,
    Partner,
    RiskQuestion,
    WorkflowDefinition,
)
from tests.factories import (
    case_in_step,
    evaluation_post,
    intake_case,
    meeting_with,
    person,
    sign_covenants,
)
from workflow import engine
from workflow.guards import GUARDS
from workflow.models import (
    AgendaItem,
    CaseDocument,
    Casus,
    InformationRequest,
    PlanOfApproach,
    Referral,
    RiskAssessment,
)
from workflow.services import plans

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def task(casus: Casus, slug: str) -> str:
    return reverse("cases:task", args=[casus.reference, slug])


@dataclass(frozen=True)
class Recipe:
    """How the role responsible for a step that asks `condition` makes it hold."""

    region: str
    step: str
    act: Callable  # (client, casus, region) -> response


def first_report(region, casus: Casus) -> str:
    with tenant_context(region):
        return str(casus.reports.earliest("submitted_at").pk)


def answer_round(client, casus, region):
    with tenant_context(region):
        partner = Partner.objects.filter(participates_in__contains=["informatieronde"]).first()
    client.post(
        task(casus, "informatieverzoek"),
        {
            "partner": partner.pk,
            "subject": "Bekendheid",
            "question": "Bekend?",
            "legal_basis": "convenant",
            "legal_basis_text": "Nodig voor de risicotaxatie.",
        },
    )
    with tenant_context(region):
        asked = InformationRequest.objects.filter(casus=casus, closed_at__isnull=True).latest("id")
    return client.post(
        reverse("cases:information_request", args=[casus.reference, asked.pk, "antwoord"]),
        {"answer": "Niet bekend.", "answered_via": "telefoon"},
    )


def risk_post(region) -> dict:
    with tenant_context(region):
        return {f"vraag_{q.code}": "nee" for q in RiskQuestion.objects.all()}


def plan_post(region, owner: str = "Jarabee") -> dict:
    with tenant_context(region):
        partner = Partner.objects.get(name=owner)
    return {
        "goals": "Veiligheid van de jongere.",
        "actie-TOTAL_FORMS": "1",
        "actie-INITIAL_FORMS": "0",
        "actie-MIN_NUM_FORMS": "0",
        "actie-MAX_NUM_FORMS": "30",
        "actie-0-description": "Hulpverlening starten",
        "actie-0-owner_partner": partner.pk,
        "actie-0-status": "open",
    }


def finish_actions(client, casus, region):
    client.post(reverse("cases:plan", args=[casus.reference]), plan_post(region))
    with tenant_context(region):
        action = plans.current_plan(casus).actions.get()
    return client.post(
        reverse("cases:plan_action", args=[casus.reference, action.pk]),
        {"status": "gereed", "outcome": "Hulp loopt."},
    )


def hold_conference(client, casus, region):
    item = meeting_with(region, casus, [client.user], "casusoverleg")
    return client.post(
        reverse("meetings:item", args=[item.meeting.pk, item.pk]),
        {"minutes": "Besproken met het Veiligheidshuis.", "actie-TOTAL_FORMS": "0"}
        | management("actie", 0),
    )


def management(prefix: str, total: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "30",
    }


def refer(client, casus, region):
    with tenant_context(region):
        partner = Partner.objects.filter(participates_in__contains=["doorverwijzing"]).first()
        victim = casus.persons.first()
    return client.post(
        task(casus, "doorverwijzing"),
        {
            "partner": partner.pk,
            "help": "ambulant",
            "notes": "Hulp",
            "persons": [victim.pk],
            "shared_fields": ["naam"],
            "legal_basis": "wettelijke_taak",
            "legal_basis_text": "Veiligheid van een minderjarige.",
        },
    )


def refer_and_hear_accepted(client, casus, region):
    refer(client, casus, region)
    with tenant_context(region):
        referral = Referral.objects.get(casus=casus)
    return client.post(
        reverse("cases:referral_decision", args=[casus.reference, referral.pk]),
        {"accepted": "ja", "via": "telefoon"},
    )


def close_with_reason(client, casus, region):
    with tenant_context(region):
        code = CatalogueEntry.objects.filter(catalogue=CatalogueKind.CLOSING_REASON).first().code
    return client.post(task(casus, "afsluitreden"), {"code": code})


RECIPES: dict[str, Recipe] = {
    "screening_uitkomst": Recipe(
        "twente",
        "screening",
        lambda c, casus, r: c.post(task(casus, "screening"), {"uitkomst-outcome": "ja"}),
    ),
    "terugkoppeling_gegeven": Recipe(
        "limburg",
        "terugkoppeling",
        lambda c, casus, r: c.post(
            task(casus, "terugkoppeling"),
            {
                "terugkoppeling-text": "Advies: blijf in gesprek.",
                "terugkoppeling-reports": first_report(r, casus),
            },
        ),
    ),
    "terugkoppeling_over_uitkomst": Recipe(
        "twente",
        "afsluiting",
        lambda c, casus, r: c.post(
            task(casus, "terugkoppeling"),
            {
                "terugkoppeling-text": "Er is hulp ingezet; de casus wordt afgesloten.",
                "terugkoppeling-reports": first_report(r, casus),
            },
        ),
    ),
    "informatieronde_afgerond": Recipe("twente", "informatieronde", answer_round),
    "risicotaxatie_vastgelegd": Recipe(
        "twente",
        "risicotaxatie",
        lambda c, casus, r: c.post(task(casus, "risicotaxatie"), risk_post(r)),
    ),
    "plan_van_aanpak_vastgelegd": Recipe(
        "twente",
        "plan_van_aanpak",
        lambda c, casus, r: c.post(reverse("cases:plan", args=[casus.reference]), plan_post(r)),
    ),
    "plan_acties_afgerond": Recipe("twente", "afsluiting", finish_actions),
    "casuscoordinator_aangewezen": Recipe(
        "twente",
        "plan_van_aanpak",
        lambda c, casus, r: c.post(
            task(casus, "casuscoordinator"),
            {"who": "melder", "name": "De mentor", "phone": "0612345678"},
        ),
    ),
    "casusoverleg_gehouden": Recipe("limburg", "casusoverleg", hold_conference),
    "doorverwijzing_vastgelegd": Recipe("limburg", "doorverwijzing", refer),
    "doorverwijzing_geaccepteerd": Recipe("limburg", "doorverwijzing", refer_and_hear_accepted),
    "afsluitreden_vastgelegd": Recipe("twente", "afsluiting", close_with_reason),
    "evaluatie_vastgelegd": Recipe(
        "twente",
        "evaluatie",
        lambda c, casus, r: c.post(task(casus, "evaluatie"), evaluation_post(r)),
    ),
}


@pytest.mark.parametrize("code", sorted(CONDITIONS))
def test_every_condition_has_a_screen_through_which_its_steps_role_makes_it_hold(
    code, twente, limburg, logged_in, make_user
):
    assert code in RECIPES, f"no screen makes '{code}' hold"
    recipe = RECIPES[code]
    region = {"twente": twente, "limburg": limburg}[recipe.region]
    sign_covenants(region)
    with tenant_context(region):
        role = (
            WorkflowDefinition.objects.get(status="actief")
            .steps.get(code=recipe.step)
            .responsible_role
        )
    client = logged_in(region, role)
    casus = case_in_step(region, recipe.step, make_user(region, "medewerker"))
    response = recipe.act(client, casus, region)
    assert response.status_code == 302, response.content.decode()[:2000]
    with tenant_context(region):
        casus.refresh_from_db()
        assert GUARDS[code].holds(casus, None)


def test_the_risk_assessment_worked_example(twente, logged_in):
    """Twente's instrument: contact with a perpetrator 3, minor 2, exploitation 4, missing 3,
    no protective network 2; from 5 'verhoogd', from 9 'hoog'. Ja, ja, onbekend, ja, nee
    scores 3 + 2 + 3 = 8: 'verhoogd'. The team decides 'hoog', which needs a reason."""
    staff = logged_in(twente, "medewerker")
    casus = case_in_step(twente, "risicotaxatie", staff.user)
    answers = {
        "vraag_contact_dader": "ja",
        "vraag_minderjarig": "ja",
        "vraag_uitbuiting": "onbekend",
        "vraag_vermist": "ja",
        "vraag_netwerk": "nee",
    }
    refused = staff.post(task(casus, "risicotaxatie"), answers | {"level": "hoog"})
    assert refused.status_code == 400
    assert "ander niveau dan het berekende (verhoogd)" in refused.content.decode()
    checked = [tag for tag in refused.content.decode().split("<input") if "checked" in tag]
    assert any('name="vraag_vermist"' in tag and 'value="ja"' in tag for tag in checked)
    done = staff.post(
        task(casus, "risicotaxatie"),
        answers | {"level": "hoog", "deviation_reason": "Hij dreigde gisteren."},
    )
    assert done.status_code == 302
    with tenant_context(twente):
        assessment = RiskAssessment.objects.get(casus=casus)
    assert (assessment.score, assessment.computed_level, assessment.level) == (
        8,
        "verhoogd",
        "hoog",
    )
    assert assessment.deviation_reason == "Hij dreigde gisteren."


def test_the_reporters_risk_form_answers_prefill_the_assessment(limburg, logged_in):
    staff = logged_in(limburg, "medewerker")
    with tenant_context(limburg):
        casus = intake_case(
            staff.user, person("Noa"), risk_answers={"uitbuiting": "ja", "vermist": "nee"}
        )
    page = staff.get(task(casus, "risicotaxatie")).content.decode()
    checked = [tag for tag in page.split("<input") if "checked" in tag]
    assert any('name="vraag_uitbuiting"' in tag and 'value="ja"' in tag for tag in checked)
    assert any('name="vraag_vermist"' in tag and 'value="nee"' in tag for tag in checked)
    case_page = staff.get(reverse("cases:detail", args=[casus.reference])).content.decode()
    assert "Antwoorden op het risicotaxatieformulier" in case_page


def test_a_revised_plan_keeps_the_earlier_version_readable(twente, logged_in):
    staff = logged_in(twente, "medewerker")
    casus = case_in_step(twente, "plan_van_aanpak", staff.user)
    url = reverse("cases:plan", args=[casus.reference])
    assert staff.post(url, plan_post(twente)).status_code == 302
    revision = plan_post(twente, owner="Politie Oost-Nederland") | {
        "goals": "Veiligheid; de dader in beeld.",
        "actie-0-description": "Aangifte voorbereiden",
    }
    refused = staff.post(url, revision)
    assert (
        refused.status_code == 400
        and "Geef de reden van de herziening." in refused.content.decode()
    )
    assert staff.post(url, revision | {"revision_reason": "Politie schuift aan"}).status_code == 302
    with tenant_context(twente):
        first, second = PlanOfApproach.objects.filter(casus=casus).order_by("version")
        assert [a.description for a in first.actions.all()] == ["Hulpverlening starten"]
        assert [a.chain for a in second.actions.all()] == ["justitie"]
    earlier = staff.get(reverse("cases:plan_version", args=[casus.reference, 1]))
    assert "Hulpverlening starten" in earlier.content.decode()


def test_documents_are_checked_by_content_limited_in_size_and_every_download_logged(
    twente, logged_in, virus_scanner
):
    staff = logged_in(twente, "medewerker")
    casus = case_in_step(twente, "screening", staff.user)
    url = task(casus, "documenten")
    fake = SimpleUploadedFile("verslag.pdf", b"MZ\x90\x00 not a pdf at all" * 10)
    refused = staff.post(url, {"title": "Verslag", "upload": fake})
    assert refused.status_code == 400
    assert "Dit soort bestand kan niet worden toegevoegd" in refused.content.decode()
    big = SimpleUploadedFile("groot.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 1))
    refused = staff.post(url, {"title": "Groot", "upload": big})
    assert "te groot" in refused.content.decode()
    pdf = PDF
    good = SimpleUploadedFile("verslag school.pdf", pdf)
    assert staff.post(url, {"title": "Verslag school", "upload": good}).status_code == 302
    with tenant_context(twente):
        document = CaseDocument.objects.get(casus=casus)
        with connection.cursor() as cursor:
            cursor.execute("SELECT content FROM workflow_casedocument WHERE id = %s", [document.pk])
            assert b"%PDF" not in bytes(cursor.fetchone()[0])  # encrypted at rest
    download = staff.get(reverse("cases:document", args=[casus.reference, document.pk]))
    assert download.content == pdf and "no-store" in download["Cache-Control"]
    with tenant_context(twente):
        assert AuditEntry.objects.filter(
            action=AuditAction.EXPORT, object_type="workflow.CaseDocument", user_id=staff.user.pk
        ).exists()


def test_only_covenant_partners_of_the_round_are_offered_and_another_basis_needs_words(
    twente, logged_in
):
    staff = logged_in(twente, "medewerker")
    casus = case_in_step(twente, "informatieronde", staff.user)
    with tenant_context(twente):
        signed = Partner.objects.get(name="Politie Oost-Nederland")
        signed.covenant_status, signed.covenant_signed_on = (
            CovenantStatus.SIGNED,
            timezone.localdate(),
        )
        signed.save()
        unsigned = Partner.objects.get(name="Tactus")
    page = staff.get(task(casus, "informatieverzoek")).content.decode()
    assert "Politie Oost-Nederland" in page and "Tactus" not in page
    refused = staff.post(
        task(casus, "informatieverzoek"),
        {"partner": signed.pk, "subject": "Bekend", "question": "Bekend?", "legal_basis": "anders"},
    )
    assert "Zonder toestemming delen kan alleen met een grondslag" in refused.content.decode()
    refused = staff.post(
        task(casus, "informatieverzoek"),
        {
            "partner": unsigned.pk,
            "subject": "Bekend",
            "question": "Bekend?",
            "legal_basis": "convenant",
        },
    )
    assert refused.status_code == 400


def twente_meeting_post(region, coordinator: User | None, move_to: str) -> dict:
    data = {
        "minutes": "Risico en plan besproken.",
        "decision": "Plan van aanpak uitvoeren.",
        "move_to": move_to,
        "coordinator": coordinator.pk if coordinator else "",
    }
    data |= {f"risico-{k}": v for k, v in risk_post(region).items()}
    data |= {f"plan-{k}": v for k, v in plan_post(region).items() if k == "goals"}
    data |= {k: v for k, v in plan_post(region).items() if k.startswith("actie-")}
    return data


def test_one_meeting_records_risk_and_plan_and_moves_the_case_through_both_steps(
    twente, logged_in, make_user
):
    screener = logged_in(twente, "screeningsteamlid")
    coordinator = make_user(twente, "casuscoordinator")
    casus = case_in_step(twente, "risicotaxatie", make_user(twente, "medewerker"))
    item = meeting_with(twente, casus, [screener.user], "screeningsteam")
    url = reverse("meetings:item", args=[item.meeting.pk, item.pk])
    refused = screener.post(url, twente_meeting_post(twente, None, "zorgcoordinatie"))
    assert refused.status_code == 400
    assert "Wijs eerst een casuscoördinator aan." in refused.content.decode()
    with tenant_context(twente):  # all or nothing: the refused move undid the records
        assert not RiskAssessment.objects.filter(casus=casus).exists()
        assert not PlanOfApproach.objects.filter(casus=casus).exists()
    done = screener.post(url, twente_meeting_post(twente, coordinator, "zorgcoordinatie"))
    assert done.status_code == 302
    with tenant_context(twente):
        casus.refresh_from_db()
        assert casus.current_step.code == "zorgcoordinatie" and casus.coordinator == coordinator
        assert RiskAssessment.objects.get(casus=casus).agenda_item_id == item.pk
        assert [t.to_step.code for t in casus.transitions.all()][-2:] == [
            "plan_van_aanpak",
            "zorgcoordinatie",
        ]


def test_the_meeting_page_query_count_does_not_grow_with_its_agenda(twente, logged_in, make_user):
    staff = logged_in(twente, "medewerker", "procesregisseur")
    first = case_in_step(twente, "screening", staff.user)
    item = meeting_with(twente, first, [staff.user], "screeningsteam")
    url = reverse("meetings:detail", args=[item.meeting.pk])
    staff.get(url)  # the first request caches the host's region
    with CaptureQueriesContext(connection) as few:
        assert staff.get(url).status_code == 200
    for number in range(5):
        casus = case_in_step(twente, "screening", staff.user, name=f"Kind {number}")
        with tenant_context(twente):
            AgendaItem.objects.create(meeting=item.meeting, casus=casus, position=number + 2)
    with CaptureQueriesContext(connection) as many:
        assert staff.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_case_page_query_count_does_not_grow_with_its_records(twente, logged_in):
    staff = logged_in(twente, "medewerker", "procesregisseur")
    sign_covenants(twente)
    casus = case_in_step(twente, "informatieronde", staff.user)
    url = reverse("cases:detail", args=[casus.reference])

    def more_records(revision: str = "") -> None:
        answer_round(staff, casus, twente)
        staff.post(task(casus, "journaal"), {"kind": "notitie", "text": "Nog een notitie"})
        staff.post(
            reverse("cases:plan", args=[casus.reference]),
            plan_post(twente) | {"revision_reason": revision},
        )
        staff.post(task(casus, "documenten"), {"upload": SimpleUploadedFile("a.pdf", PDF)})

    more_records()
    with CaptureQueriesContext(connection) as few:
        staff.get(url)
    for _ in range(3):
        more_records(revision="Bijgesteld")
    with CaptureQueriesContext(connection) as many:
        assert staff.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_agenda_pdf_holds_initials_not_names(twente, logged_in):
    staff = logged_in(twente, "medewerker", "procesregisseur")
    casus = case_in_step(twente, "screening", staff.user, name="Sanne de Vries")
    item = meeting_with(twente, casus, [staff.user], "screeningsteam")
    response = staff.get(reverse("meetings:agenda_pdf", args=[item.meeting.pk]))
    text = "".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    assert casus.reference in text and "S.d.V." in text and "Sanne" not in text


def test_a_coordinator_sees_own_cases_with_the_actions_due(twente, logged_in, make_user):
    coordinator = logged_in(twente, "casuscoordinator")
    staff = make_user(twente, "medewerker", "procesregisseur")
    own = case_in_step(twente, "zorgcoordinatie", staff)
    other = case_in_step(twente, "zorgcoordinatie", staff, name="Ander kind")
    with tenant_context(twente):
        engine.appoint_coordinator(own, actor=staff, coordinator=coordinator.user)
        plans.write_plan(
            own,
            actor=staff,
            goals="Veiligheid",
            actions=[
                plans.ActionData(
                    "Gesprek met school",
                    owner_name="Mentor",
                    chain="zorg",
                    due_on=timezone.localdate(),
                )
            ],
        )
    page = coordinator.get(reverse("cases:mine")).content.decode()
    assert own.reference in page and other.reference not in page and "Gesprek met school" in page


def test_a_finished_case_is_reopened_with_a_reason_and_keeps_its_history(twente, logged_in):
    staff = logged_in(twente, "medewerker", "procesregisseur")
    casus = case_in_step(twente, "screening", staff.user)
    with tenant_context(twente):
        Casus.objects.filter(pk=casus.pk).update(
            completed_at=timezone.now(), closed_at=timezone.now()
        )
    refused = staff.post(task(casus, "heropenen"), {"reason": ""})
    assert refused.status_code == 400
    assert staff.post(task(casus, "heropenen"), {"reason": "Recidive"}).status_code == 302
    with tenant_context(twente):
        casus.refresh_from_db()
        assert casus.completed_at is None and casus.current_step.code == "melding"
        assert casus.transitions.last().reason == "Recidive"


def test_a_linked_case_is_named_only_to_who_may_see_it(twente, logged_in, make_user):
    staff = logged_in(twente, "medewerker", "procesregisseur")
    coordinator = logged_in(twente, "casuscoordinator")
    victim = case_in_step(twente, "zorgcoordinatie", staff.user)
    suspect = case_in_step(twente, "screening", staff.user, name="Vermoedelijke dader")
    linked = staff.post(
        task(victim, "koppelen"), {"reference": suspect.reference, "kind": "slachtoffer_dader"}
    )
    assert linked.status_code == 302
    with tenant_context(twente):
        engine.appoint_coordinator(victim, actor=staff.user, coordinator=coordinator.user)
    as_staff = staff.get(reverse("cases:detail", args=[victim.reference])).content.decode()
    as_coordinator = coordinator.get(
        reverse("cases:detail", args=[victim.reference])
    ).content.decode()
    assert suspect.reference in as_staff
    assert suspect.reference not in as_coordinator
    assert "een casus waar u geen toegang toe heeft" in as_coordinator
