"""Fictitious reports for the demo regions, spread over the steps of their work process.

Every name, school and story here is invented. Cases are walked forward through the
engine with the records each step asks for, exactly as staff would."""

import random
from datetime import date

from django.db import transaction

from accounts.models import User
from configuratie.models import (
    CatalogueEntry,
    CatalogueKind,
    CovenantStatus,
    Partner,
    Priority,
    RiskQuestion,
)
from workflow import engine
from workflow.models import Casus, Report
from workflow.services import records, reports

FIRST_NAMES = [
    "Sanne",
    "Lotte",
    "Noa",
    "Emma",
    "Yara",
    "Amira",
    "Daan",
    "Milan",
    "Sem",
    "Fleur",
    "Julia",
    "Bo",
]
LAST_NAMES = [
    "de Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Mulder",
    "de Boer",
    "El Amrani",
    "Yilmaz",
]
SCHOOLS = ["Fictief College", "Demo Lyceum", "Voorbeeld Mavo", "Testschool Noord", "Verzonnen ROC"]
CONCERNS = [
    "Zij heeft sinds kort een veel oudere vriend en krijgt dure cadeaus.",
    "Hij spijbelt veel en wordt 's avonds opgehaald door onbekende mannen in een auto.",
    "Mijn leerling vertelde dat haar vriend foto's van haar deelt en geld vraagt.",
    "Zij blijft steeds vaker weg en heeft een tweede telefoon waar niemand van mag weten.",
    "Een jongen uit de buurt lijkt meisjes te ronselen via sociale media.",
]
DEMO_REPORTS_PER_REGION = 64  # more than one page of the case list
MUNICIPALITIES = {  # CBS codes: Enschede, Hengelo, Almelo, Oldenzaal; Maastricht, Heerlen, Venlo, Roermond
    "twente": ["GM0153", "GM0164", "GM0141", "GM0173"],
    "limburg": ["GM0935", "GM0917", "GM0983", "GM0957"],
}


def sign_demo_covenants() -> None:
    Partner.objects.filter(covenant_status=CovenantStatus.NONE).update(
        covenant_status=CovenantStatus.SIGNED, covenant_signed_on=date(2024, 1, 1)
    )


def satisfy(casus: Casus, guard: str, actor: User, coordinator: User, rng: random.Random) -> None:
    """Record what `guard` asks for, as a member of staff would."""
    if guard == "screening_uitkomst":
        records.record_screening_outcome(
            casus, actor=actor, outcome=rng.choice(["ja", "vermoeden", "nee"])
        )
    elif guard == "terugkoppeling_gegeven":
        records.record_feedback(
            casus,
            actor=actor,
            text="Dank u voor uw melding; wij hebben haar beoordeeld.",
            reports=casus.reports.all(),
        )
    elif guard == "informatieronde_afgerond":
        partner = Partner.objects.filter(participates_in__contains=["informatieronde"]).first()
        request = records.request_information(
            casus, actor=actor, partner=partner, question="Is de betrokkene bij u bekend?"
        )
        records.close_information_request(request, actor=actor, answer="Niet bekend.")
    elif guard == "risicotaxatie_vastgelegd":
        answers = {question.code: rng.random() < 0.5 for question in RiskQuestion.objects.all()}
        records.record_risk_assessment(casus, actor=actor, answers=answers)
    elif guard == "plan_van_aanpak_vastgelegd":
        records.record_plan(
            casus,
            actor=actor,
            summary="Hulpverlening via de jeugdzorgpartner; politie onderzoekt de vermoedelijke dader.",
        )
    elif guard == "casuscoordinator_aangewezen":
        engine.appoint_coordinator(casus, actor=actor, coordinator=coordinator)
    elif guard == "casusoverleg_gehouden":
        records.record_case_conference(
            casus, actor=actor, held_on=date(2026, 11, 2), notes="Besproken met Veiligheidshuis."
        )
    elif guard == "doorverwijzing_vastgelegd":
        partner = Partner.objects.filter(participates_in__contains=["doorverwijzing"]).first()
        records.record_referral(
            casus, actor=actor, partner=partner, notes="Gespecialiseerde ambulante hulp."
        )
    elif guard == "afsluitreden_vastgelegd":
        reason = CatalogueEntry.objects.filter(catalogue=CatalogueKind.CLOSING_REASON).first()
        engine.set_closing_reason(casus, actor=actor, code=reason.code)
    elif guard == "evaluatie_vastgelegd":
        records.record_evaluation(casus, actor=actor, answers={"samenwerking": "Goed verlopen."})


def walk(casus: Casus, steps: int, actor: User, coordinator: User, rng: random.Random) -> None:
    for _ in range(steps):
        casus.refresh_from_db()
        following = list(casus.current_step.next_steps.all())
        if not following:
            return
        for guard in casus.current_step.guards:
            satisfy(casus, guard, actor, coordinator, rng)
        casus.refresh_from_db()
        engine.move(casus, rng.choice(following).code, actor=actor)


@transaction.atomic
def seed_demo_reports(slug: str) -> int:
    """Top the region up to DEMO_REPORTS_PER_REGION reports; returns how many were made."""
    missing = DEMO_REPORTS_PER_REGION - Report.objects.count()
    if missing <= 0:
        return 0
    sign_demo_covenants()
    rng = random.Random(f"{slug}-{missing}")  # noqa: S311  (fictitious data, not security)
    actor = User.objects.get(email=f"procesregisseur@{slug}.demo")
    coordinator = User.objects.get(email=f"casuscoordinator@{slug}.demo")
    forms = list(
        CatalogueEntry.objects.filter(catalogue=CatalogueKind.REPORT_FORM).values_list(
            "code", flat=True
        )
    )
    priorities = list(Priority.objects.all())
    for number in range(missing):
        person = reports.PersonData(
            role="slachtoffer",
            name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            birth_year=rng.randint(2006, 2013),
            municipality=rng.choice(MUNICIPALITIES.get(slug, [""])),
            school=rng.choice(SCHOOLS),
        )
        data = reports.ReportData(
            form_code=rng.choice(forms),
            channel="webformulier",
            reporter_type=rng.choice(["burger", "ouder", "professional", "betrokkene"]),
            concern=rng.choice(CONCERNS),
            anonymous=rng.random() < 0.3,
            persons=[person],
        )
        casus = reports.submit_report(data, submission_token=None).report.casus
        engine.set_case_details(
            casus, actor=actor, case_type="slachtoffer", priority=rng.choice(priorities)
        )
        walk(casus, number % 8, actor, coordinator, rng)
    return missing
