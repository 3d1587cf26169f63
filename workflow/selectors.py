"""Reads of the case domain shared by the screens and the API: finding a case, the one
audited read of a case's file, the case list, the dashboard counts, the likely
matches an intake should look at, and a case's timeline.

Every read that shows personal data writes its audit line here, so no screen or
endpoint can show a case without one.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.policy import Action, may, visible_cases
from audit.models import AuditAction
from audit.services import record, record_many
from meldpunt.encryption import blind_index
from workflow.filters import CaseFilterSet, overdue, searches_a_person
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

CASE_PAGE_SIZE = 50
CASE_WORK = "casusbehandeling"


def find_case(user: User, reference: str, action: Action = Action.VIEW_CASE) -> Casus:
    """The case `reference` if `user` may know it exists (else a 404, and the attempt is
    an audit line) and may do `action` on it (else a 403)."""
    casus = (
        visible_cases(user, Casus.objects.all())
        .select_related("current_step", "definition", "priority", "coordinator")
        .filter(reference=reference)
        .first()
    )
    if casus is None:
        record(AuditAction.REFUSED, user=user, case_id=reference[:64], detail={"reden": "404"})
        raise Http404
    if not may(user, action, casus):
        raise PermissionDenied
    return casus


@dataclass(frozen=True)
class CaseFile:
    """What a case page shows of the people in a case: its reports and persons."""

    casus: Casus
    reports: list[Report]

    @property
    def persons(self) -> list[InvolvedPerson]:
        return [person for report in self.reports for person in report.persons.all()]


def read_case_file(user: User, casus: Casus, *, grounds: str = CASE_WORK) -> CaseFile:
    """The reports and persons of a case the user may see, with one audit line per person
    shown (NEN 7513: whose data were read, by whom, in which role, on what grounds)."""
    reports = list(
        Report.objects.filter(casus=casus).prefetch_related("persons").order_by("submitted_at")
    )
    case_file = CaseFile(casus=casus, reports=reports)
    record_many(
        AuditAction.VIEW,
        person_ids=[str(person.pk) for person in case_file.persons],
        user=user,
        target=casus,
        case_id=casus.reference,
        grounds=grounds,
    )
    return case_file


@dataclass
class CaseListing:
    filters: CaseFilterSet
    page: Page
    report_counts: Mapping[int, int] = field(default_factory=dict)


def list_cases(user: User, params: Mapping[str, str], page_number: str | int = 1) -> CaseListing:
    """A page of the cases `user` may see, filtered and ordered by `params`. The counts
    are made for the shown rows only, and the read (and any search) is an audit line."""
    filters = CaseFilterSet(
        params,
        queryset=visible_cases(user, Casus.objects.all())
        .select_related("current_step", "priority", "coordinator")
        .annotate(is_overdue=ExpressionWrapper(overdue(), output_field=BooleanField())),
        request=RequestUser(user),
    )
    cases = filters.qs if filters.is_valid() else Casus.objects.none()
    page = Paginator(cases, CASE_PAGE_SIZE).get_page(page_number)
    shown = [casus.pk for casus in page.object_list]
    counts = dict(
        Report.objects.filter(casus__in=shown)
        .values_list("casus")
        .annotate(count=Count("id"))
        .values_list("casus", "count")
    )
    query = filters.form.cleaned_data.get("q", "") if filters.is_valid() else ""
    record(
        AuditAction.SEARCH if query else AuditAction.VIEW,
        user=user,
        grounds=CASE_WORK,
        detail={
            "lijst": "casussen",
            "pagina": page.number,
            "casussen": [casus.reference for casus in page.object_list],
        }
        | ({"zoekopdracht": "persoon of school"} if query and searches_a_person(query) else {})
        | ({"zoekopdracht": "code"} if query and not searches_a_person(query) else {}),
    )
    return CaseListing(filters=filters, page=page, report_counts=counts)


@dataclass(frozen=True)
class RequestUser:
    """What the FilterSet reads of a request: its user (the API passes its own request)."""

    user: User


def case_counts(user: User) -> dict[str, int]:
    """For the dashboard: the user's open cases, those over their deadline, and their own."""
    open_cases = visible_cases(user, Casus.objects.filter(completed_at__isnull=True))
    return open_cases.aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=Q(deadline_at__lt=timezone.now())),
        mine=Count("pk", filter=Q(coordinator=user)),
    )


@dataclass(frozen=True)
class Match:
    casus: Casus
    reason: str


def likely_matches(user: User, people: list[dict]) -> list[Match]:
    """Open cases that probably concern the same person: the same name (with the same
    birth year where both are known), or the same school. The check is an audit line."""
    found: dict[int, Match] = {}
    for person in people:
        name, school, year = (
            person.get("name", ""),
            person.get("school", ""),
            person.get("birth_year"),
        )
        name_index, school_index = blind_index(name), blind_index(school)
        conditions = Q(pk__in=[])
        if name_index:
            conditions |= Q(name_index=name_index) & (
                Q(birth_year=year) | Q(birth_year__isnull=True) if year else Q()
            )
        if school_index:
            conditions |= Q(school_index=school_index)
        candidates = visible_persons(user).filter(conditions)
        for candidate in candidates.select_related("report__casus__current_step"):
            if name_index and candidate.name_index == name_index:
                reason = (
                    _("zelfde naam en geboortejaar")
                    if year and candidate.birth_year == year
                    else _("zelfde naam")
                )
            else:
                reason = _("zelfde school of instelling")
            found.setdefault(candidate.report.casus_id, Match(candidate.report.casus, reason))
    record(
        AuditAction.SEARCH,
        user=user,
        grounds=CASE_WORK,
        detail={
            "zoekopdracht": "dubbele melding",
            "gevonden": sorted(m.casus.reference for m in found.values()),
        },
    )
    return list(found.values())


def visible_persons(user: User) -> QuerySet[InvolvedPerson]:
    cases = visible_cases(user, Casus.objects.filter(completed_at__isnull=True))
    return InvolvedPerson.objects.filter(report__casus__in=cases)


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    title: str
    text: str
    by: str


def case_timeline(casus: Casus) -> list[TimelineEntry]:
    """Everything that happened on a case, oldest first; read as part of its case file."""
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
    for report in Report.objects.filter(casus=casus).select_related("recorded_by"):
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
        (
            Feedback,
            lambda o: (
                _("Terugkoppeling aan de melder van %(code)s") % {"code": o.report.follow_code}
            ),
            lambda o: o.text,
        ),
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
    related = {Feedback: ["report"], InformationRequest: ["partner"], Referral: ["partner"]}
    for model, title, text in simple:
        for item in model.objects.filter(casus=casus).select_related(
            "recorded_by", *related.get(model, [])
        ):
            add(item.recorded_at, title(item), text(item), item.recorded_by)
    for message in ReporterMessage.objects.filter(casus=casus).select_related("sent_by", "report"):
        title = (
            _("Vraag aan de melder van %(code)s")
            if message.direction == ReporterMessage.Direction.QUESTION
            else _("Bericht van de melder van %(code)s")
        ) % {"code": message.report.follow_code}
        add(message.sent_at, title, message.text, message.sent_by or _("melder"))
    return sorted(entries, key=lambda entry: entry.at)
