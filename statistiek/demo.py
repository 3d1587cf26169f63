"""Two years of fictitious history for a demo region, so every chart, the map and the
benchmark have something to show. Written in bulk (the engine's path is for live work):
cases walk the region's own work process with stays around each step's deadline, and
get the records its conditions ask for, the reports and people behind them, prevention
activities and advice. Every name, school and text is invented."""

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from configuratie.models import (
    CatalogueEntry,
    CatalogueKind,
    Chain,
    DefinitionStatus,
    Participation,
    Partner,
    Priority,
    RegionMunicipality,
    ReportFormKind,
    WorkflowDefinition,
    WorkflowStep,
)
from statistiek.models import (
    ActivityKind,
    AdviceRequest,
    AdviceTopic,
    AskerKind,
    PreventionActivity,
    TargetGroup,
)
from workflow.activity import activity_sources, recompute_last_activity
from workflow.demo import CONCERNS, FIRST_NAMES, LAST_NAMES, SCHOOLS
from workflow.models import (
    AgendaItem,
    Casus,
    Evaluation,
    EvaluationRating,
    Feedback,
    InformationRequest,
    InvolvedPerson,
    LegalBasis,
    Meeting,
    PlanAction,
    PlanOfApproach,
    Referral,
    Report,
    RiskAssessment,
    ScreeningOutcome,
    StepTransition,
)
from workflow.services.reports import new_secret, secret_digest
from workflow.services.risk import Instrument

HISTORY_DAYS = 730
CASES_PER_YEAR = {"twente": 170, "limburg": 140}
ACTIVITIES_PER_YEAR = {"twente": 30, "limburg": 55}  # prevention is Limburg's spearhead
ADVICE_PER_YEAR = {"twente": 40, "limburg": 60}
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ORGANISATIONS = ["Demo College", "Buurthuis De Verzonnen Hoek", "Fictief Jongerencentrum"]
# The larger towns (CBS codes) get more reports: Enschede, Hengelo, Almelo; Maastricht,
# Heerlen, Venlo, Sittard-Geleen, Roermond.
CENTRES = {
    "GM0153": 8,
    "GM0164": 5,
    "GM0141": 5,
    "GM0935": 8,
    "GM0917": 5,
    "GM0983": 5,
    "GM1883": 4,
    "GM0957": 3,
}


def already_seeded() -> bool:
    return Casus.objects.filter(opened_at__lt=timezone.now() - timedelta(days=120)).exists()


def weighted(rng: random.Random, options: list, weights: list[float]):
    return rng.choices(options, weights=weights, k=1)[0]


class History:
    """One region's fictitious past, built in memory and written in bulk."""

    def __init__(self, slug: str, rng: random.Random) -> None:
        self.slug, self.rng, self.now = slug, rng, timezone.now()
        self.actor = User.objects.get(email=f"procesregisseur@{slug}.demo")
        self.coordinator = User.objects.get(email=f"casuscoordinator@{slug}.demo")
        self.definition = WorkflowDefinition.objects.get(status=DefinitionStatus.ACTIVE)
        self.steps = {step.pk: step for step in self.definition.steps.all()}
        self.next_steps = {
            step.pk: list(step.next_steps.values_list("pk", flat=True))
            for step in self.steps.values()
        }
        self.priorities = list(Priority.objects.all())
        self.channels = [code for code, _n in codes(CatalogueKind.CHANNEL)]
        self.forms = list(
            CatalogueEntry.objects.filter(catalogue=CatalogueKind.REPORT_FORM).values_list(
                "code", "form_kind"
            )
        )
        self.signals = [code for code, _n in codes(CatalogueKind.SIGNAL)]
        self.case_types = [code for code, _n in codes(CatalogueKind.CASE_TYPE)]
        self.closing_reasons = [code for code, _n in codes(CatalogueKind.CLOSING_REASON)]
        self.questions = [code for code, _n in codes(CatalogueKind.EVALUATION_QUESTION)]
        self.instrument = Instrument.current()
        self.municipalities = list(RegionMunicipality.objects.values_list("code", flat=True))
        self.municipality_weights = [
            CENTRES.get(code, rng.choice([1, 1, 2])) for code in self.municipalities
        ]
        self.partners = {
            part: list(Partner.objects.filter(participates_in__contains=[part]))
            for part in (Participation.INFORMATION_ROUND, Participation.REFERRAL)
        }
        self.follow_codes = set(Report.objects.values_list("follow_code", flat=True))
        self.rows: dict[type, list] = {}

    def add(self, obj) -> None:
        self.rows.setdefault(type(obj), []).append(obj)

    def follow_code(self) -> str:
        while True:
            raw = "".join(self.rng.choice(CODE_ALPHABET) for _ in range(8))
            code = f"M-{raw[:4]}-{raw[4:]}"
            if code not in self.follow_codes:
                self.follow_codes.add(code)
                return code

    def opened_moments(self) -> list[datetime]:
        """Report dates over two years, a little busier in the second (more known)."""
        count = CASES_PER_YEAR.get(self.slug, 120) * 2
        moments = []
        for _ in range(count):
            days_ago = HISTORY_DAYS * (1 - self.rng.random() ** 0.85)
            moments.append(self.now - timedelta(days=days_ago, minutes=self.rng.randint(0, 600)))
        return sorted(moments)

    def case(self, opened: datetime) -> None:
        rng = self.rng
        start = next(step for step in self.steps.values() if step.is_start)
        priority = rng.choice(self.priorities) if self.priorities else None
        casus = Casus(
            # Unique until the real reference ({year}-{pk}) is known after the insert.
            reference=f"demo-{len(self.rows.get(Casus, []))}",
            definition=self.definition,
            current_step=start,
            priority=priority,
            case_type=weighted(rng, self.case_types, [6, 2, 1][: len(self.case_types)]),
            opened_at=opened,
            step_entered_at=opened,
        )
        report = self.report(casus, opened)
        self.add(casus)
        self.walk(casus, report, start, opened)
        if rng.random() < 0.12:  # a second reporter about the same case, some days later
            later = opened + timedelta(days=rng.uniform(1, 40))
            if later < self.now:
                self.report(casus, later)

    def report(self, casus: Casus, at: datetime) -> Report:
        rng = self.rng
        form_code, form_kind = rng.choice(self.forms) if self.forms else ("", "")
        channel = weighted(rng, self.channels, [8, 4, 3, 1, 2][: len(self.channels)])
        report = Report(
            casus=casus,
            form_code=form_code if channel == "webformulier" else "",
            channel=channel,
            reporter_type=weighted(
                rng, ["burger", "ouder", "professional", "betrokkene"], [2, 4, 6, 1]
            ),
            anonymous=rng.random() < 0.25,
            concern=rng.choice(CONCERNS),
            signals=rng.sample(self.signals, rng.randint(1, 4))
            if self.signals and form_kind != ReportFormKind.CONTACT
            else [],
            submitted_at=at,
            follow_code=self.follow_code(),
            follow_secret_hash=secret_digest(new_secret()),
        )
        self.add(report)
        roles = ["slachtoffer"] + (["dader"] if rng.random() < 0.35 else [])
        roles += ["anders"] if rng.random() < 0.1 else []
        for role in roles:
            age = rng.randint(12, 22) if role == "slachtoffer" else rng.randint(16, 35)
            self.add(
                InvolvedPerson(
                    report=report,
                    role=role,
                    name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    birth_year=at.year - age if rng.random() < 0.8 else None,
                    gender=weighted(
                        rng,
                        ["v", "m", "x", ""],
                        [8, 2, 0.2, 1] if role == "slachtoffer" else [1, 8, 0.2, 1],
                    ),
                    municipality=weighted(rng, self.municipalities, self.municipality_weights)
                    if self.municipalities and rng.random() < 0.92
                    else "",
                    school=rng.choice(SCHOOLS) if role == "slachtoffer" else "",
                )
            )
        return report

    def walk(self, casus: Casus, report: Report, step: WorkflowStep, entered: datetime) -> None:
        """Stays of some days around each step's deadline, until now falls inside one."""
        rng = self.rng
        transition = StepTransition(
            casus=casus, from_step=None, to_step=step, by=self.actor, at=entered
        )
        self.add(transition)
        while True:
            days = step.deadline_days_for(casus.priority.code if casus.priority else None) or 7
            left = entered + timedelta(days=days * rng.uniform(0.2, 1.7), hours=rng.randint(1, 20))
            following = self.next_steps[step.pk]
            if left > self.now or (not following and rng.random() < 0.15):
                casus.current_step, casus.step_entered_at = step, entered
                casus.deadline_at = entered + timedelta(days=days)
                return
            self.records(casus, report, step, entered, left)
            if not following:
                casus.completed_at = left
                casus.closed_at = casus.closed_at or left
                casus.current_step, casus.step_entered_at, casus.deadline_at = step, entered, None
                return
            if step.kind == "afsluiting":
                casus.closed_at = left
            to_step = self.steps[rng.choice(following)]
            transition.left_at = left  # as the engine writes it with the next transition
            transition = StepTransition(
                casus=casus, from_step=step, to_step=to_step, by=self.actor, at=left
            )
            self.add(transition)
            step, entered = to_step, left

    def records(
        self, casus: Casus, report: Report, step: WorkflowStep, entered: datetime, left: datetime
    ) -> None:
        """What the step's conditions ask for, recorded during the stay."""
        rng = self.rng

        def during() -> datetime:
            return entered + (left - entered) * rng.uniform(0.1, 0.9)

        base = {"casus": casus, "recorded_by": self.actor}
        for guard in step.guards:
            if guard == "screening_uitkomst":
                outcome = weighted(rng, ["ja", "vermoeden", "nee", "onvoldoende"], [4, 4, 3, 1])
                self.add(ScreeningOutcome(**base, recorded_at=during(), outcome=outcome))
                if dict(self.forms).get(report.form_code) == ReportFormKind.RISK:
                    self.risk_assessment(base, during())
            elif guard in ("terugkoppeling_gegeven", "terugkoppeling_over_uitkomst"):
                text = "Dank u voor uw melding; wij hebben haar beoordeeld."
                self.add(Feedback(**base, recorded_at=during(), report=report, text=text))
            elif guard == "informatieronde_afgerond":
                for partner in rng.sample(
                    self.partners[Participation.INFORMATION_ROUND],
                    min(2, len(self.partners[Participation.INFORMATION_ROUND])),
                ):
                    sent = entered + timedelta(hours=rng.randint(1, 30))
                    # Each partner has its own pace; the answer comes before the step ends.
                    answered = min(
                        left, sent + timedelta(days=rng.uniform(0.5, 2 + len(partner.name) % 7))
                    )
                    self.add(
                        InformationRequest(
                            **base,
                            recorded_at=sent,
                            partner=partner,
                            question="Is de betrokkene bij u bekend?",
                            legal_basis=LegalBasis.COVENANT,
                            answer="Niet bekend.",
                            answered_via=InformationRequest.AnsweredVia.PHONE,
                            answered_at=answered,
                            closed_at=answered,
                        )
                    )
            elif guard == "risicotaxatie_vastgelegd":
                self.risk_assessment(base, during())
            elif guard == "plan_van_aanpak_vastgelegd":
                goals = "Veiligheid van de betrokkene; hulp via de jeugdzorgpartner."
                plan = PlanOfApproach(**base, recorded_at=during(), goals=goals)
                self.add(plan)
                self.add(
                    PlanAction(
                        plan=plan,
                        description="Politie onderzoekt de vermoedelijke dader.",
                        chain=Chain.JUSTITIE,
                        status=PlanAction.Status.DONE,
                    )
                )
            elif guard == "casuscoordinator_aangewezen":
                casus.coordinator = self.coordinator
            elif guard == "casusoverleg_gehouden":
                held = during()
                meeting = Meeting(
                    kind=Meeting.Kind.CASE_CONFERENCE, starts_at=held, created_by=self.actor
                )
                self.add(meeting)
                self.add(
                    AgendaItem(
                        meeting=meeting,
                        casus=casus,
                        decision="Besproken.",
                        discussed_at=held,
                        discussed_by=self.actor,
                    )
                )
            elif guard == "doorverwijzing_vastgelegd" and self.partners[Participation.REFERRAL]:
                partner = rng.choice(self.partners[Participation.REFERRAL])
                self.add(Referral(**base, recorded_at=during(), partner=partner, notes=""))
            elif guard == "afsluitreden_vastgelegd":
                casus.closing_reason = rng.choice(self.closing_reasons)
            elif guard == "evaluatie_vastgelegd":
                ratings = {
                    code: weighted(rng, EvaluationRating.values, [5, 3, 1, 1])
                    for code in self.questions
                }
                answers = {code: "Goed verlopen." for code in self.questions}
                self.add(Evaluation(**base, recorded_at=during(), answers=answers, ratings=ratings))

    def risk_assessment(self, base: dict, at: datetime) -> None:
        answers = {
            q.code: weighted(self.rng, ["ja", "nee", "onbekend"], [45, 45, 10])
            for q in self.instrument.questions
        }
        score = self.instrument.score(answers)
        level = self.instrument.level(score)
        self.add(
            RiskAssessment(
                **base,
                recorded_at=at,
                answers=answers,
                score=score,
                computed_level=level,
                level=level,
            )
        )

    def prevention(self) -> None:
        rng = self.rng
        partners = list(Partner.objects.all())
        for _ in range(ACTIVITIES_PER_YEAR.get(self.slug, 20) * 2):
            held = (self.now - timedelta(days=rng.randint(1, HISTORY_DAYS))).date()
            kind = weighted(rng, ActivityKind.values, [8, 4, 3, 1, 2, 1])
            activity = PreventionActivity(
                recorded_by=self.actor,
                held_on=held,
                kind=kind,
                target_groups=rng.sample(TargetGroup.values, rng.randint(1, 3)),
                municipality=weighted(rng, self.municipalities, self.municipality_weights)
                if self.municipalities
                else "",
                organisation=rng.choice(ORGANISATIONS),
                people_reached=rng.randint(8, 180),
                evaluation="Veel vragen uit de groep; volgende keer meer tijd.",
            )
            activity.demo_partners = rng.sample(partners, min(len(partners), rng.randint(0, 2)))
            self.add(activity)
        for _ in range(ADVICE_PER_YEAR.get(self.slug, 30) * 2):
            given = (self.now - timedelta(days=rng.randint(1, HISTORY_DAYS))).date()
            self.add(
                AdviceRequest(
                    recorded_by=self.actor,
                    given_on=given,
                    asker_kind=weighted(rng, AskerKind.values, [5, 4, 3, 2, 1, 3, 2, 1, 1]),
                    topic=weighted(rng, AdviceTopic.values, [4, 5, 3, 2, 3, 1]),
                    advice="Signalen besproken; geadviseerd het gesprek aan te gaan en zo nodig te melden.",
                    minutes_spent=rng.choice([10, 15, 20, 30, 45, 60, 90]),
                    municipality=weighted(rng, self.municipalities, self.municipality_weights)
                    if self.municipalities
                    else "",
                    became_report=rng.random() < 0.15,
                )
            )

    def write(self) -> None:
        Casus.objects.bulk_create(self.rows[Casus])
        for casus in self.rows[Casus]:
            casus.reference = f"{timezone.localtime(casus.opened_at):%Y}-{casus.pk:05d}"
        Casus.objects.bulk_update(self.rows[Casus], ["reference"])
        Report.objects.bulk_create(self.rows[Report])
        persons = self.rows[InvolvedPerson]
        for person in persons:
            person.set_indexes()
        InvolvedPerson.objects.bulk_create(persons)
        for model in (
            StepTransition,
            ScreeningOutcome,
            Feedback,
            InformationRequest,
            RiskAssessment,
            PlanOfApproach,
            PlanAction,
            Meeting,
            AgendaItem,
            Referral,
            Evaluation,
            AdviceRequest,
        ):
            model.objects.bulk_create(self.rows.get(model, []))
        # The cases were written with their history, so the last activity starts from
        # their opening (the bulk writes of their records only move it forward).
        recompute_last_activity(activity_sources())
        activities = PreventionActivity.objects.bulk_create(self.rows.get(PreventionActivity, []))
        links = PreventionActivity.partners.through
        links.objects.bulk_create(
            links(preventionactivity_id=activity.pk, partner_id=partner.pk)
            for activity in activities
            for partner in activity.demo_partners
        )


def codes(kind: str) -> list[tuple[str, str]]:
    return list(
        CatalogueEntry.objects.filter(catalogue=kind, is_active=True).values_list("code", "name")
    )


@transaction.atomic
def seed_history(slug: str) -> int:
    """Two years of history for a demo region (once); returns the number of cases made."""
    if already_seeded():
        return 0
    history = History(slug, random.Random(f"history-{slug}"))  # noqa: S311  (fictitious data)
    for opened in history.opened_moments():
        history.case(opened)
    history.prevention()
    history.write()
    return len(history.rows[Casus])
