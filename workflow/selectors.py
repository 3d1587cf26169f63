"""Reads of the case domain used by several screens: the case list with its filters,
a case's timeline, and the likely matches an intake should look at."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.policy import visible_cases
from workflow.encryption import blind_index
from workflow.models import (
    CaseConference,
    Casus,
    Evaluation,
    Feedback,
    InformationRequest,
    InvolvedPerson,
    PlanOfApproach,
    Referral,
    Report,
    ReporterMessage,
    RiskAssessment,
    ScreeningNote,
    ScreeningOutcome,
    StepTransition,
)


@dataclass(frozen=True)
class CaseFilters:
    step: str = ""
    priority: str = ""
    case_type: str = ""
    overdue: bool = False
    mine: bool = False
    query: str = ""


def case_list(user, filters: CaseFilters) -> QuerySet[Casus]:
    cases = visible_cases(user, Casus.objects.all()).select_related(
        "current_step", "priority", "coordinator", "definition"
    )
    if filters.step:
        cases = cases.filter(current_step__code=filters.step)
    if filters.priority:
        cases = cases.filter(priority__code=filters.priority)
    if filters.case_type:
        cases = cases.filter(case_type=filters.case_type)
    overdue = Q(deadline_at__lt=timezone.now(), completed_at__isnull=True)
    if filters.overdue:
        cases = cases.filter(overdue)
    if filters.mine:
        cases = cases.filter(coordinator=user)
    if filters.query:
        cases = cases.filter(search(filters.query))
    return cases.annotate(
        report_count=Count("reports", distinct=True),
        is_overdue=ExpressionWrapper(overdue, output_field=BooleanField()),
    ).order_by("deadline_at", "-opened_at")


def case_counts(user) -> dict[str, int]:
    """For the dashboard: the user's open cases, those over their deadline, and their own."""
    open_cases = visible_cases(user, Casus.objects.filter(completed_at__isnull=True))
    return open_cases.aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=Q(deadline_at__lt=timezone.now())),
        mine=Count("pk", filter=Q(coordinator=user)),
    )


def search(query: str) -> Q:
    """A case code or a report's follow code, or exactly a person's name or school
    (they are encrypted: only an exact match, spelled in any case, is found)."""
    text = query.strip()
    index = blind_index(text)
    return (
        Q(reference__icontains=text)
        | Q(reports__follow_code=text.upper())
        | Q(reports__persons__name_index=index)
        | Q(reports__persons__school_index=index)
    )


@dataclass(frozen=True)
class Match:
    casus: Casus
    reason: str


def likely_matches(people: list[dict]) -> list[Match]:
    """Open cases that probably concern the same person: same name and birth year, or same school."""
    found: dict[int, Match] = {}
    for person in people:
        name, school, year = (
            person.get("name", ""),
            person.get("school", ""),
            person.get("birth_year"),
        )
        name_index = blind_index(name)
        conditions = Q(pk__in=[])
        if name and year:
            conditions |= Q(name_index=name_index, birth_year=year)
        if school:
            conditions |= Q(school_index=blind_index(school))
        candidates = InvolvedPerson.objects.filter(
            conditions, report__casus__completed_at__isnull=True
        )
        for candidate in candidates.select_related("report__casus__current_step"):
            casus = candidate.report.casus
            same_name = (
                name
                and year
                and candidate.name_index == name_index
                and candidate.birth_year == year
            )
            reason = (
                _("zelfde naam en geboortejaar") if same_name else _("zelfde school of instelling")
            )
            found.setdefault(casus.pk, Match(casus=casus, reason=reason))
    return list(found.values())


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    title: str
    text: str
    by: str


def case_timeline(casus: Casus) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []

    def add(at, title, text="", by=None):
        entries.append(TimelineEntry(at=at, title=str(title), text=text, by=str(by) if by else ""))

    for transition in StepTransition.objects.filter(casus=casus).select_related(
        "from_step", "to_step", "by"
    ):
        title = (
            _("Naar stap '%(step)s'") % {"step": transition.to_step.name}
            if transition.from_step
            else _("Casus geopend")
        )
        add(transition.at, title, transition.reason, transition.by)
    for report in Report.objects.filter(casus=casus):
        add(
            report.submitted_at,
            _("Melding %(code)s ontvangen") % {"code": report.follow_code},
            "",
            report.recorded_by,
        )
    simple = (
        (
            ScreeningOutcome,
            lambda o: _("Screeningsuitkomst: %(o)s") % {"o": o.get_outcome_display()},
            lambda o: o.advice,
        ),
        (ScreeningNote, lambda o: o.get_kind_display().capitalize(), lambda o: o.text),
        (Feedback, lambda o: _("Terugkoppeling aan de melder"), lambda o: o.text),
        (
            InformationRequest,
            lambda o: _("Informatieverzoek aan %(p)s") % {"p": o.partner},
            lambda o: o.question,
        ),
        (
            RiskAssessment,
            lambda o: (
                _("Risicotaxatie: %(level)s (score %(score)d)")
                % {"level": o.level, "score": o.score}
            ),
            lambda o: "",
        ),
        (PlanOfApproach, lambda o: _("Plan van aanpak"), lambda o: o.summary),
        (CaseConference, lambda o: _("Casusoverleg"), lambda o: o.notes),
        (Referral, lambda o: _("Doorverwijzing naar %(p)s") % {"p": o.partner}, lambda o: o.notes),
        (Evaluation, lambda o: _("Evaluatie"), lambda o: ""),
    )
    for model, title, text in simple:
        for item in model.objects.filter(casus=casus).select_related(
            "recorded_by", *(["partner"] if hasattr(model, "partner") else [])
        ):
            add(item.recorded_at, title(item), text(item), item.recorded_by)
    for message in ReporterMessage.objects.filter(casus=casus).select_related("sent_by"):
        title = (
            _("Vraag aan de melder")
            if message.direction == ReporterMessage.Direction.QUESTION
            else _("Bericht van de melder")
        )
        add(message.sent_at, title, message.text, message.sent_by or _("melder"))
    return sorted(entries, key=lambda entry: entry.at)
