"""Fictitious reports for the demo regions, spread over the steps of their work process.

Every name, school and story here is invented. Cases are walked forward through the
engine with the records each step asks for, exactly as staff would."""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from configuratie.models import (
    CatalogueEntry,
    CatalogueKind,
    CovenantStatus,
    Participation,
    Partner,
    PartnerContact,
    Priority,
    RiskQuestion,
)
from workflow import engine, intake
from workflow.models import (
    AgendaItem,
    Casus,
    EvaluationRating,
    InformationRequest,
    Meeting,
    Referral,
    Report,
)
from workflow.services import (
    consent,
    information,
    meetings,
    plans,
    records,
    referrals,
    reporters,
    reports,
)

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
DEMO_REPORTS_PER_REGION = 80  # more than one page of open cases in the case list
MUNICIPALITIES = {  # CBS codes: Enschede, Hengelo, Almelo, Oldenzaal; Maastricht, Heerlen, Venlo, Roermond
    "twente": ["GM0153", "GM0164", "GM0141", "GM0173"],
    "limburg": ["GM0935", "GM0917", "GM0983", "GM0957"],
}


# The organisation whose contact person (partnercontact@<region>.demo) uses the portal.
DEMO_PORTAL_PARTNER = {"twente": "Jarabee", "limburg": "Bureau Jeugdzorg"}


def link_demo_partner_contact(slug: str) -> PartnerContact:
    """The demo partnercontact as the contact person of the region's portal partner."""
    account = User.objects.get(email=f"partnercontact@{slug}.demo")
    partner = Partner.objects.get(name=DEMO_PORTAL_PARTNER[slug])
    contact, _created = PartnerContact.objects.update_or_create(
        account=account,
        defaults={"partner": partner, "name": str(account), "email": account.email},
    )
    return contact


def sign_demo_covenants() -> None:
    Partner.objects.filter(covenant_status=CovenantStatus.NONE).update(
        covenant_status=CovenantStatus.SIGNED, covenant_signed_on=date(2024, 1, 1)
    )


@dataclass
class DemoCast:
    """Who does what in the demo: the process director records and moves, the
    coordinator coordinates, meetings are where risk and plans are made."""

    actor: User
    coordinator: User
    screener: User
    meetings: dict[str, Meeting]  # held yesterday: where risk and plans were made
    upcoming: Meeting  # the next screening team meeting, with an agenda
    portal: PartnerContact  # the partner that answers in the portal
    rng: random.Random

    def shares_on(self, casus: Casus, purpose: str) -> dict:
        """What a demo request or referral shares and on what: most often the victim's
        consent (recorded first, by who may give it at that age), else the covenant."""
        victim = casus.persons.filter(role="slachtoffer").first()
        if victim is None or self.rng.random() < 0.4:
            return {
                "persons": [victim] if victim else [],
                "shared_fields": ["naam", "geboortejaar"] if victim else [],
                "legal_basis": "convenant",
                "legal_basis_text": "Convenant Aanpak Loverboyproblematiek: nodig voor de risicotaxatie.",
            }
        age = consent.youngest_age_on(victim, timezone.localdate())
        given_by = "betrokkene" if age >= 16 else ("samen" if age >= 12 else "ouder_voogd")
        consent.record_consent(
            victim,
            actor=self.actor,
            purpose=purpose,
            given_by=given_by,
            given_on=timezone.localdate(),
            scope="Gegevens delen met de partner voor hulp en veiligheid.",
        )
        return {
            "persons": [victim],
            "shared_fields": ["naam", "geboortejaar", "gemeente"],
            "legal_basis": "toestemming",
        }

    def refer(self, casus: Casus) -> Referral:
        partner = self.portal.partner
        if not partner.participates_in or "doorverwijzing" not in partner.participates_in:
            partner = records.partners_taking_part(Participation.REFERRAL).first()
        return referrals.refer(
            casus,
            actor=self.actor,
            partner=partner,
            help=self.rng.choice(["ambulant", "residentieel"]),
            notes="Jongere heeft gespecialiseerde hulp nodig; graag een intake.",
            answer_by=timezone.localdate() + timedelta(days=7),
            **self.shares_on(casus, "doorverwijzing"),
        )

    def ask(self, casus: Casus, partner: Partner) -> InformationRequest:
        return information.request_information(
            casus,
            actor=self.actor,
            partner=partner,
            subject="Bekendheid en lopende hulp",
            question="Is de betrokkene bij u bekend, en zo ja, met welke hulp?",
            answer_by=timezone.localdate() + timedelta(days=7),
            **self.shares_on(casus, "informatie_delen"),
        )


def demo_meeting(actor: User, screener: User, kind: str, days_from_today: int) -> Meeting:
    """A meeting the demo screening team member attends (so they see its agenda)."""
    day = timezone.localdate() + timedelta(days=days_from_today)
    return Meeting.objects.filter(kind=kind, starts_at__date=day).first() or meetings.plan_meeting(
        actor=actor,
        kind=kind,
        starts_at=timezone.make_aware(datetime.combine(day, time(10))),
        location="Veiligheidshuis (fictief)",
        attendees=[actor, screener],
    )


def in_meeting(casus: Casus, cast: DemoCast, kind: str, record: meetings.ItemRecord) -> None:
    meeting = cast.meetings[kind]
    item = meeting.items.filter(casus=casus).first() or AgendaItem.objects.create(
        meeting=meeting, casus=casus, position=meeting.items.count() + 1
    )  # yesterday's agenda, as it was planned then
    meetings.record_agenda_item(item, actor=cast.actor, data=record)


def risk_answers(rng: random.Random) -> dict[str, str]:
    return {q.code: rng.choice(["ja", "nee", "onbekend"]) for q in RiskQuestion.objects.all()}


def plan_actions(rng: random.Random) -> list[plans.ActionData]:
    partners = list(plans.partners_for_actions())
    zorg = [p for p in partners if p.kind != "justitie"] or partners
    justitie = [p for p in partners if p.kind == "justitie"] or partners
    return [
        plans.ActionData(
            description="Hulpverlening en veiligheidsplan met de jongere en de ouders.",
            owner_partner=rng.choice(zorg),
            due_on=timezone.localdate() + timedelta(days=rng.randint(-5, 30)),
        ),
        plans.ActionData(
            description="Onderzoek naar de vermoedelijke dader; afstemming met het OM.",
            owner_partner=rng.choice(justitie),
            due_on=timezone.localdate() + timedelta(days=rng.randint(5, 60)),
        ),
    ]


def satisfy(casus: Casus, guard: str, cast: DemoCast) -> None:
    """Record what `guard` asks for, as the people in the work process would."""
    actor, rng = cast.actor, cast.rng
    if guard == "screening_uitkomst":
        records.write_journal(
            casus, actor=actor, kind="bron", text="Politiesystemen en schoolverzuim nagevraagd."
        )
        records.record_screening_outcome(
            casus,
            actor=actor,
            outcome=rng.choice(["ja", "vermoeden", "nee"]),
            advice="Blijf in gesprek met de jongere en meld nieuwe signalen.",
        )
    elif guard in ("terugkoppeling_gegeven", "terugkoppeling_over_uitkomst"):
        reporters.record_feedback(
            casus,
            actor=actor,
            text="Dank u voor uw melding. Het screeningsteam heeft haar beoordeeld; advies: "
            "blijf in gesprek en meld nieuwe signalen.",
            reports=casus.reports.all(),
        )
    elif guard == "informatieronde_afgerond":
        others = records.partners_taking_part(Participation.INFORMATION_ROUND).exclude(
            pk=cast.portal.partner_id
        )
        for partner in [cast.portal.partner, others.first()]:
            asked = cast.ask(casus, partner)
            if partner == cast.portal.partner:
                information.answer_in_portal(
                    asked,
                    actor=cast.portal.account,
                    answer="Bij ons bekend: ambulante hulp in 2025.",
                )
            else:
                information.record_answer(
                    asked, actor=actor, answer="Niet bekend bij ons.", answered_via="telefoon"
                )
    elif guard == "risicotaxatie_vastgelegd":
        in_meeting(
            casus,
            cast,
            Meeting.Kind.SCREENING_TEAM,
            meetings.ItemRecord(minutes="Risicotaxatie besproken.", risk_answers=risk_answers(rng)),
        )
    elif guard == "plan_van_aanpak_vastgelegd":
        in_meeting(
            casus,
            cast,
            Meeting.Kind.SCREENING_TEAM,
            meetings.ItemRecord(
                minutes="Plan van aanpak gemaakt: zorg en justitie samen.",
                plan_goals="Veiligheid van de jongere; de vermoedelijke dader in beeld.",
                plan_actions=plan_actions(rng),
            ),
        )
    elif guard == "plan_acties_afgerond":
        plan = plans.current_plan(casus)
        for action in plan.actions.all():
            plans.update_action(action, actor=actor, status="gereed", outcome="Uitgevoerd.")
    elif guard == "casuscoordinator_aangewezen":
        engine.appoint_coordinator(casus, actor=actor, coordinator=cast.coordinator)
    elif guard == "casusoverleg_gehouden":
        in_meeting(
            casus,
            cast,
            Meeting.Kind.CASE_CONFERENCE,
            meetings.ItemRecord(minutes="Besproken met het Veiligheidshuis en de zorgcoördinator."),
        )
    elif guard in {"doorverwijzing_vastgelegd", "doorverwijzing_geaccepteerd"}:
        if not Referral.objects.filter(casus=casus, status=Referral.Status.ACCEPTED).exists():
            referral = cast.refer(casus)
            if referral.partner_id == cast.portal.partner_id:
                referrals.decide_in_portal(referral, actor=cast.portal.account, accepted=True)
            else:
                referrals.record_decision(referral, actor=actor, accepted=True, via="telefoon")
    elif guard == "afsluitreden_vastgelegd":
        reason = CatalogueEntry.objects.filter(catalogue=CatalogueKind.CLOSING_REASON).first()
        engine.set_closing_reason(casus, actor=actor, code=reason.code)
    elif guard == "evaluatie_vastgelegd":
        records.record_evaluation(
            casus,
            actor=actor,
            answers={q.code: "Goed verlopen." for q in records.evaluation_questions()[:2]},
            ratings={
                q.code: rng.choice(EvaluationRating.values) for q in records.evaluation_questions()
            },
        )


def walk(casus: Casus, steps: int, cast: DemoCast) -> None:
    """Move a case `steps` steps on, recording what each step asks; at the end, complete it."""
    for _ in range(steps):
        casus.refresh_from_db()
        for guard in casus.current_step.guards:
            satisfy(casus, guard, cast)
        casus.refresh_from_db()
        following = list(casus.current_step.next_steps.all())
        if not following:
            engine.complete(casus, actor=cast.actor)
            return
        engine.move(casus, cast.rng.choice(following).code, actor=cast.actor)
    casus.refresh_from_db()
    waits_for_the_team = casus.current_step.kind in {
        "screening",
        "risicotaxatie",
        "plan_van_aanpak",
    }
    waiting_on_the_partner = {
        "informatieronde": lambda: cast.ask(casus, cast.portal.partner),
        "doorverwijzing": lambda: cast.refer(casus),
    }.get(casus.current_step.kind)
    if waiting_on_the_partner and not casus.completed_at:
        waiting = waiting_on_the_partner()  # open in the partner portal
        if cast.rng.random() < 0.4:  # asked ten days ago and past its date by now
            type(waiting).objects.filter(pk=waiting.pk).update(
                recorded_at=timezone.now() - timedelta(days=10),
                answer_by=timezone.localdate() - timedelta(days=3),
            )
    if waits_for_the_team and not cast.upcoming.items.filter(casus=casus).exists():
        # On the agenda of the next screening team meeting, as the meldpunt would plan it.
        meetings.put_on_agenda(casus, actor=cast.actor, meeting=cast.upcoming)


@transaction.atomic
def seed_demo_reports(slug: str) -> int:
    """Top the region up to DEMO_REPORTS_PER_REGION reports; returns how many were made."""
    missing = DEMO_REPORTS_PER_REGION - Report.objects.count()
    if missing <= 0:
        return 0
    sign_demo_covenants()
    actor = User.objects.get(email=f"procesregisseur@{slug}.demo")
    screener = User.objects.get(email=f"screeningsteamlid@{slug}.demo")
    cast = DemoCast(
        actor=actor,
        coordinator=User.objects.get(email=f"casuscoordinator@{slug}.demo"),
        screener=screener,
        meetings={
            kind: demo_meeting(actor, screener, kind, -1)
            for kind in (Meeting.Kind.SCREENING_TEAM, Meeting.Kind.CASE_CONFERENCE)
        },
        upcoming=demo_meeting(actor, screener, Meeting.Kind.SCREENING_TEAM, 2),
        portal=PartnerContact.objects.select_related("partner", "account").get(
            account__email=f"partnercontact@{slug}.demo"
        ),
        rng=random.Random(f"{slug}-{missing}"),  # noqa: S311  (fictitious data, not security)
    )
    rng = cast.rng
    forms = list(intake.offered_forms().values_list("code", flat=True))
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
        walk(casus, number % 9, cast)
    return missing
