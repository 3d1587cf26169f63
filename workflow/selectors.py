"""Reads of the case domain shared by the screens and the API: finding a case, the one
audited read of a case's file, the case list, the dashboard counts, and the likely
matches an intake should look at.

Every read that shows personal data writes its audit line here, so no screen or
endpoint can show a case without one.
"""

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Exists,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.base import ModelState
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_init, pre_init
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.policy import (
    SEES_EVERY_CASE,
    Action,
    may,
    may_see_reporter_identity,
    visible_cases,
)
from audit.models import AuditAction
from audit.services import known_reference, record, record_each, record_many
from configuratie.models import CatalogueEntry, CatalogueKind, Priority, WorkflowStep
from configuratie.version import built_from_configuration, configuration_version
from meldpunt.compiled import TEXT, CompiledRead
from meldpunt.encryption import blind_index
from workflow.filters import CaseFilterSet, searches_a_person
from workflow.models import (
    AgendaItem,
    CaseDocument,
    CaseLink,
    Casus,
    Consent,
    Evaluation,
    EvaluationRating,
    ExternalCoordinator,
    Feedback,
    InformationRequest,
    InvolvedPerson,
    JournalEntry,
    Meeting,
    PlanAction,
    PlanOfApproach,
    Referral,
    Report,
    ReporterMessage,
    RiskAssessment,
    ScreeningOutcome,
    StepTransition,
)
from workflow.models.cases import REFERENCE_FORM

CASE_PAGE_SIZE = 50
CASE_WORK = "casusbehandeling"


def by_reference(cases: QuerySet[Casus], reference: str) -> QuerySet[Casus]:
    return cases.select_related("definition", "coordinator").filter(reference=reference)


# For who sees every case, the read of a case by its reference has one shape.
ANY_CASE_BY_REFERENCE = CompiledRead(
    lambda reference: by_reference(Casus.objects.all(), reference)[:1], TEXT
)


def find_case(user: User, reference: str, action: Action = Action.VIEW_CASE) -> Casus:
    """The case `reference` if `user` may know it exists (else a 404, and the attempt is
    an audit line) and may do `action` on it (else a 403)."""
    every_case = Casus.objects.all()
    visible = visible_cases(user, every_case)
    # The policy hands back the queryset itself to who sees every case: then the read
    # compiled once serves; a narrower view is compiled as ever.
    found = (
        ANY_CASE_BY_REFERENCE(reference)
        if visible is every_case
        else by_reference(visible, reference)[:1]
    )
    casus = next(iter(found), None)
    if casus is None:
        record(
            AuditAction.REFUSED,
            user=user,
            case_id=known_reference(reference, REFERENCE_FORM),
            detail={"reden": "404"},
        )
        raise Http404
    attach_configuration([casus])
    if not may(user, action, casus):
        raise PermissionDenied
    return casus


@dataclass(frozen=True)
class EvaluationAnswer:
    question: str
    rating: str
    text: str


@dataclass
class CaseFile:
    """Everything a case page shows, read at once with a fixed number of queries."""

    casus: Casus
    reports: list[Report]
    transitions: list[StepTransition]
    outcomes: list[ScreeningOutcome]
    journal: list[JournalEntry]
    information_requests: list[InformationRequest]
    risk_assessments: list[RiskAssessment]
    agenda_items: list[AgendaItem]
    plans: list[PlanOfApproach]
    referrals: list[Referral]
    consents: list[Consent]
    evaluations: list[Evaluation]
    documents: list[CaseDocument]
    messages: list[ReporterMessage]
    feedback: list[Feedback]
    external_coordinator: ExternalCoordinator | None
    links: list[tuple[Casus, str]] = field(default_factory=list)
    # True when the policy keeps who reported out of this reader's view (then the
    # reports' name, organisation, e-mail and phone are blank here).
    reporter_withheld: bool = False
    # Which kinds of record the case has (kinds_present), by their CASE_RECORDS name.
    present: dict[str, bool] = field(default_factory=dict)

    @property
    def persons(self) -> list[InvolvedPerson]:
        return [person for report in self.reports for person in report.persons.all()]

    @property
    def evaluation_answers(self) -> list[tuple[Evaluation, list[EvaluationAnswer]]]:
        """Each evaluation with, per question (by its name, also when the region has
        since retired it), the short answer and what was written."""
        if not self.evaluations:
            return []  # no query for the questions' names
        names = dict(
            CatalogueEntry.objects.filter(catalogue=CatalogueKind.EVALUATION_QUESTION).values_list(
                "code", "name"
            )
        )
        labels = dict(EvaluationRating.choices)
        return [
            (
                evaluation,
                [
                    EvaluationAnswer(
                        names.get(code, code),
                        labels.get(evaluation.ratings.get(code, ""), ""),
                        evaluation.answers.get(code, ""),
                    )
                    for code in {**evaluation.ratings, **evaluation.answers}
                ],
            )
            for evaluation in self.evaluations
        ]

    @property
    def plan(self) -> PlanOfApproach | None:
        return self.plans[-1] if self.plans else None

    def conversation(self, report: Report) -> list[ReporterMessage | Feedback]:
        items = [m for m in self.messages if m.report_id == report.pk]
        items += [f for f in self.feedback if f.report_id == report.pk]
        return sorted(items, key=lambda item: getattr(item, "sent_at", None) or item.recorded_at)


BY = ("recorded_by",)
# What a case file holds, by kind: the model, and the read of its rows for a case's key
# (compiled once per process; None: read apart, by read_case_file).
CASE_RECORDS: dict[str, tuple[type[Model], CompiledRead | None]] = {
    "reports": (
        Report,
        CompiledRead(
            lambda case: (
                Report.objects.filter(casus=case)
                .select_related("recorded_by")
                .prefetch_related("persons")
                .order_by("submitted_at")
            )
        ),
    ),
    "transitions": (
        StepTransition,
        CompiledRead(lambda case: StepTransition.objects.filter(casus=case).select_related("by")),
    ),
    "outcomes": (
        ScreeningOutcome,
        CompiledRead(lambda case: ScreeningOutcome.objects.filter(casus=case).select_related(*BY)),
    ),
    "journal": (
        JournalEntry,
        CompiledRead(lambda case: JournalEntry.objects.filter(casus=case).select_related(*BY)),
    ),
    "information_requests": (
        InformationRequest,
        CompiledRead(
            lambda case: (
                InformationRequest.objects.filter(casus=case)
                .select_related("partner", "answered_by", *BY)
                .prefetch_related("persons", "consents__person")
            )
        ),
    ),
    "risk_assessments": (
        RiskAssessment,
        CompiledRead(lambda case: RiskAssessment.objects.filter(casus=case).select_related(*BY)),
    ),
    "agenda_items": (
        AgendaItem,
        CompiledRead(
            lambda case: AgendaItem.objects.filter(casus=case).select_related(
                "meeting", "discussed_by"
            )
        ),
    ),
    "plans": (
        PlanOfApproach,
        CompiledRead(
            lambda case: (
                PlanOfApproach.objects.filter(casus=case)
                .select_related(*BY)
                .prefetch_related(
                    Prefetch(
                        "actions", PlanAction.objects.select_related("owner_partner", "owner_user")
                    )
                )
                .order_by("version")
            )
        ),
    ),
    "referrals": (
        Referral,
        CompiledRead(
            lambda case: (
                Referral.objects.filter(casus=case)
                .select_related("partner", "decided_by", *BY)
                .prefetch_related("persons", "consents__person")
            )
        ),
    ),
    "consents": (
        Consent,
        CompiledRead(lambda case: Consent.objects.filter(casus=case).select_related("person", *BY)),
    ),
    "evaluations": (
        Evaluation,
        CompiledRead(lambda case: Evaluation.objects.filter(casus=case).select_related(*BY)),
    ),
    "documents": (
        CaseDocument,
        CompiledRead(
            lambda case: (
                CaseDocument.objects.filter(casus=case).defer("content").select_related(*BY)
            )
        ),
    ),
    "messages": (
        ReporterMessage,
        CompiledRead(
            lambda case: ReporterMessage.objects.filter(casus=case).select_related(
                "sent_by", "report"
            )
        ),
    ),
    "feedback": (
        Feedback,
        CompiledRead(
            lambda case: Feedback.objects.filter(casus=case).select_related("report", *BY)
        ),
    ),
    "external_coordinator": (
        ExternalCoordinator,
        CompiledRead(
            lambda case: ExternalCoordinator.objects.filter(casus=case).order_by("pk")[:1]
        ),
    ),
    "links": (CaseLink, None),
}


@functools.cache
def presence_query() -> tuple[str, tuple]:
    """The one statement that says which kinds of record a case has (in the order of
    CASE_RECORDS), compiled once per process: its SQL and its parameters but the last,
    the case's key."""
    present = {
        f"has_{name}": Exists(
            model.objects.filter(Q(casus=OuterRef("pk")) | Q(linked=OuterRef("pk")))
            if model is CaseLink
            else model.objects.filter(casus=OuterRef("pk"))
        )
        for name, (model, _read) in CASE_RECORDS.items()
    }
    sql, params = Casus.objects.filter(pk=0).values(**present).query.sql_with_params()
    return sql, params[:-1]


def kinds_present(casus: Casus) -> dict[str, bool]:
    sql, params = presence_query()
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, casus.pk])
        return dict(zip(CASE_RECORDS, cursor.fetchone(), strict=True))


def read_case_file(user: User, casus: Casus, *, grounds: str = CASE_WORK) -> CaseFile:
    """The whole file of a case the user may see, with one audit line per person shown
    (NEN 7513: whose data were read, by whom, in which role, on what grounds).

    One statement first asks which kinds of record the case has; only those are read
    (most cases have a few of the sixteen kinds)."""
    present = kinds_present(casus)
    records = {
        name: read(casus.pk) if present[name] else []
        for name, (_model, read) in CASE_RECORDS.items()
        if read is not None
    }
    records["transitions"] = with_configured_steps(records["transitions"])
    coordinator = records.pop("external_coordinator")
    case_file = CaseFile(
        casus=casus,
        **records,
        external_coordinator=coordinator[0] if coordinator else None,
        links=linked_cases(user, casus) if present["links"] else [],
        present=present,
    )
    if not may_see_reporter_identity(user, casus):
        withhold_reporters(case_file)
    record_many(
        AuditAction.VIEW,
        person_ids=[str(person.pk) for person in case_file.persons],
        user=user,
        target=casus,
        case_id=casus.reference,
        grounds=grounds,
    )
    return case_file


REPORTER_IDENTITY = ("reporter_name", "reporter_organisation", "reporter_email", "reporter_phone")


def withhold_reporters(case_file: CaseFile) -> None:
    """Blanks who reported in the file's reports (read for showing, never saved)."""
    for report in case_file.reports:
        for name in REPORTER_IDENTITY:
            setattr(report, name, "")
    case_file.reporter_withheld = True


def audit_persons_shown(
    user: User,
    casus: Casus,
    *,
    persons: list[InvolvedPerson] | None = None,
    grounds: str = CASE_WORK,
) -> None:
    """The audit lines of a page that shows (some of) a case's persons outside its file."""
    shown = persons if persons is not None else list(InvolvedPerson.objects.filter(casus=casus))
    record_many(
        AuditAction.VIEW,
        person_ids=[str(person.pk) for person in shown],
        user=user,
        target=casus,
        case_id=casus.reference,
        grounds=grounds,
    )


def read_plan(user: User, casus: Casus, version: int | None = None) -> PlanOfApproach | None:
    """A version of the case's plan of approach (the current one when `version` is None),
    with its actions, as an audited read: a plan's goals and actions are about the case's
    persons. A version that does not exist is a 404."""
    plans = (
        PlanOfApproach.objects.filter(casus=casus)
        .select_related("recorded_by")
        .prefetch_related("actions__owner_partner", "actions__owner_user")
    )
    if version is None:
        plan = plans.order_by("-version").first()
    else:
        plan = plans.filter(version=version).first()
        if plan is None:
            raise Http404
    if plan is not None:
        audit_persons_shown(user, casus)
    return plan


def linked_cases(user: User, casus: Casus) -> list[tuple[Casus | None, str]]:
    """The cases linked to `casus`, each shown only to who may see it."""
    links = CaseLink.objects.filter(Q(casus=casus) | Q(linked=casus)).select_related(
        "casus", "linked"
    )
    others = [(link.linked if link.casus_id == casus.pk else link.casus, link) for link in links]
    visible = set(
        visible_cases(
            user, Casus.objects.filter(pk__in=[other.pk for other, _ in others])
        ).values_list("pk", flat=True)
    )
    return [
        (other if other.pk in visible else None, link.get_kind_display()) for other, link in others
    ]


# Past every region's last page (100,000 cases are 2,000 pages); a larger number asked
# is read as this one, so no statement gets an offset or a limit beyond PostgreSQL's
# bigint (a 500 before).
MOST_PAGES = 1_000_000


def whole_number(page_number: str | int) -> int | None:
    """`page_number` if it is a whole number from 1 (at most MOST_PAGES), as Paginator
    reads it; else None."""
    try:
        number = int(page_number)
    except (TypeError, ValueError):
        return None
    return min(number, MOST_PAGES) if number >= 1 else None


class NeighbourhoodPaginator(Paginator):
    """Counts the matching cases only as far as a few pages past the asked one (at
    least COUNT_AT_LEAST): counting every open case on every view cost more than
    showing the page. `exact` says whether `count` is all there are, or a lower bound
    ("meer dan …")."""

    COUNT_AT_LEAST = 1000
    PAGES_AHEAD = 5

    def __init__(self, object_list, per_page: int, page_number: str | int) -> None:
        super().__init__(object_list, per_page)
        self.limit = self.limit_for(page_number, per_page)

    @classmethod
    def limit_for(cls, page_number: str | int, per_page: int) -> int:
        return max(
            cls.COUNT_AT_LEAST, ((whole_number(page_number) or 1) + cls.PAGES_AHEAD) * per_page
        )

    @classmethod
    def read(cls, rows: list, per_page: int, number: int, count: int) -> Page:
        """Page `number` (of rows that are there), read with the count in one statement."""
        paginator = cls(rows, per_page, number)
        paginator.count = count
        return paginator._get_page(rows, number, paginator)

    @cached_property
    def count(self) -> int:
        # Without the order: any limit + 1 matching rows tell whether there are more.
        return self.object_list.order_by()[: self.limit + 1].count()

    @property
    def exact(self) -> bool:
        return self.count <= self.limit


# What a row of the list reads of a case and of the coordinator it joins: every field of
# the case, but of the account only its name (its password hash was read for nothing).
# The step and the priority come from the configuration (attach_configuration).
LISTED = (
    *(field.name for field in Casus._meta.concrete_fields),
    "coordinator__full_name",
    "coordinator__email",
)


def configured_steps_and_priorities() -> tuple[dict, dict]:
    """Every step (of every version of the process) and every priority by key, read once
    per configuration version."""
    return built_from_configuration(
        "stappen-en-prioriteiten",
        lambda: (
            {step.pk: step for step in WorkflowStep.objects.all()},
            {priority.pk: priority for priority in Priority.objects.all()},
        ),
    )


def attach_configuration(cases: Iterable[Casus]) -> None:
    """Gives each case its step and priority from the configuration read once per
    version, instead of joining them to every row (and making 50 step and priority
    objects per list). One the configuration does not hold (none should) is read as
    ever, when asked."""
    steps, priorities = configured_steps_and_priorities()
    step_field, priority_field = (
        Casus._meta.get_field("current_step"),
        Casus._meta.get_field("priority"),
    )
    for casus in cases:
        if casus.current_step_id in steps:
            step_field.set_cached_value(casus, steps[casus.current_step_id])
        if casus.priority_id is None or casus.priority_id in priorities:
            priority_field.set_cached_value(casus, priorities.get(casus.priority_id))


def with_configured_steps(transitions: Iterable[StepTransition]) -> list[StepTransition]:
    """The transitions with the step each went to from the configuration read once per
    version (as attach_configuration gives cases theirs), instead of a join and a step
    object per row."""
    steps, _priorities = configured_steps_and_priorities()
    to_step = StepTransition._meta.get_field("to_step")
    read = list(transitions)
    for transition in read:
        if transition.to_step_id in steps:
            to_step.set_cached_value(transition, steps[transition.to_step_id])
    return read


@dataclass
class CaseListing:
    filters: CaseFilterSet
    page: Page
    report_counts: Mapping[int, int] = field(default_factory=dict)
    valid: bool = True  # whether the filter form took the chosen filters


@functools.cache
def report_count() -> RawSQL:
    """A listed case's number of reports, as a column of the statement that reads the
    page (a second statement and its compiling cost more than PostgreSQL's subquery
    per shown row, which it runs after the order and the limit)."""
    quote = connection.ops.quote_name
    reports, cases = Report._meta, Casus._meta
    table, of_case = quote(reports.db_table), quote(reports.get_field("casus").column)
    case = f"{quote(cases.db_table)}.{quote(cases.pk.column)}"
    # Names of the models only, no values.
    counted = f"SELECT COUNT(*) FROM {table} counted WHERE counted.{of_case} = {case}"  # noqa: S608 # nosec B608
    return RawSQL(counted, ())  # noqa: S611 # nosec B611


def listed_cases(cases: QuerySet[Casus]) -> QuerySet[Casus]:
    """What a row of the list reads of `cases` (LISTED, with its report count)."""
    return cases.select_related("coordinator").only(*LISTED).annotate(report_count=report_count())


# The filters whose statement is the same for every user who sees every case, whatever
# the moment: only these chosen, a list's statement is compiled once (page_statement).
PLAIN_FILTERS = ("status", "step", "priority", "case_type", "order")
# The columns of the statement page_statement compiles, in its order.
PAGE_COLUMNS = (
    *(field.attname for field in Casus._meta.concrete_fields),
    "coordinator__full_name",
    "coordinator__email",
    "report_count",
    "matching",
)


@dataclass(frozen=True)
class PageStatement:
    sql: str  # without its LIMIT and OFFSET
    params: tuple


@functools.lru_cache(maxsize=128)
def page_statement(chosen: tuple[tuple[str, str], ...], limit: int) -> PageStatement | None:
    """The statement that reads a page of the cases filtered by `chosen` (plain filters
    only), for a user who sees every case, with how many match (up to `limit` + 1) on
    every row: made once per process and choice, as building the filtered queryset and
    compiling it and the paginator's count cost a third of the list's CPU. None where a
    column needs converting from what the driver gives (none does): that list takes
    the ordinary path."""
    filters = CaseFilterSet(dict(chosen), queryset=listed_cases(Casus.objects.all()))
    if not filters.is_valid():  # django-filter would leave an invalid choice out
        return None
    cases = filters.qs
    counted, counted_params = cases.order_by().values("pk")[: limit + 1].query.sql_with_params()
    counting = f"SELECT COUNT(*) FROM ({counted}) counted"  # noqa: S608 # nosec B608 - compiled
    matching = RawSQL(counting, counted_params)  # noqa: S611 # nosec B611 - compiled above
    rows = cases.annotate(matching=matching).values_list(*PAGE_COLUMNS)
    compiler = rows.query.get_compiler(using=rows.db)
    sql, params = compiler.as_sql()
    if compiler.get_converters([column for column, *_ in compiler.select]):
        return None
    return PageStatement(sql, tuple(params))


def instance_maker(model: type[Model], attnames: tuple[str, ...]) -> Callable[[Sequence], Model]:
    """What makes model.from_db(…, attnames, values) of a row's values, without
    Model.__init__'s walk over every field (for 50 cases a seventh of the list's CPU):
    the values go where __init__ puts them, the instance's __dict__ (a foreign key's
    setter only forgets a cached object, which a new instance has not); fields left out
    are deferred, as from_db leaves them. A model with pre_init or post_init receivers,
    or its own __init__ or from_db, is made by from_db. Asked once per page, not per
    row (the receivers' check was a third of a row's cost)."""
    if (
        pre_init.has_listeners(model)
        or post_init.has_listeners(model)
        or model.__init__ is not Model.__init__
        or model.from_db.__func__ is not Model.from_db.__func__
    ):
        # from_db takes the values in the order of the model's fields.
        position = {attname: at for at, attname in enumerate(attnames)}
        read = [field.attname for field in model._meta.concrete_fields if field.attname in position]
        at = [position[attname] for attname in read]

        def by_from_db(values: Sequence) -> Model:
            return model.from_db(connection.alias, read, [values[index] for index in at])

        return by_from_db
    alias = connection.alias

    def made(values: Sequence) -> Model:
        instance = model.__new__(model)
        state = ModelState()
        state.adding, state.db = False, alias
        instance.__dict__.update(zip(attnames, values, strict=True), _state=state)
        return instance

    return made


def read_page(statement: PageStatement, page_number: int) -> tuple[list[Casus], int]:
    """The cases on page `page_number` (as ModelIterable makes them with select_related:
    each with its coordinator, of whom only the name and address are read) and how
    many match; 0 when the page is empty."""
    offset = (page_number - 1) * CASE_PAGE_SIZE
    with connection.cursor() as cursor:
        cursor.execute(f"{statement.sql} LIMIT {CASE_PAGE_SIZE} OFFSET {offset}", statement.params)
        rows = cursor.fetchall()
    attnames = PAGE_COLUMNS[:-4]
    width = len(attnames)
    case_made = instance_maker(Casus, attnames)
    coordinator_made = instance_maker(User, ("id", "full_name", "email"))
    coordinator_field = Casus._meta.get_field("coordinator")
    coordinators: dict[int, User] = {}  # one object per coordinator on the page
    cases = []
    for row in rows:
        casus = case_made(row[:width])
        name, email, casus.report_count, _matching = row[width:]
        coordinator = None
        if (key := casus.coordinator_id) is not None:
            coordinator = coordinators.get(key)
            if coordinator is None:
                coordinator = coordinators[key] = coordinator_made((key, name, email))
        coordinator_field.set_cached_value(casus, coordinator)
        cases.append(casus)
    return cases, rows[0][-1] if rows else 0


# What a plain list's address may hold: the plain filters and the page.
PLAIN_PARAMS = frozenset((*PLAIN_FILTERS, "pagina"))


@functools.lru_cache(maxsize=256)
def takes_plain(schema: str, version: str, chosen: tuple[tuple[str, str], ...]) -> bool:
    """Whether the filter form takes the plain filters `chosen` (their choices are the
    configuration's, so the answer is the same for every list of this configuration
    version): asked once per process and choice instead of cleaning the form on every
    list."""
    return CaseFilterSet(dict(chosen)).is_valid()


def plain_choice(user: User, filters: CaseFilterSet, params: Mapping[str, str]) -> tuple | None:
    """The plain filters chosen in `params` (as given: a key of page_statement), where
    the list's statement is the same for any user who sees every case; else None."""
    chosen = tuple((name, params[name]) for name in PLAIN_FILTERS if name in params)
    if params.keys() <= PLAIN_PARAMS:
        valid = takes_plain(connection.schema_name, configuration_version(), chosen)
    else:
        valid = filters.is_valid() and not any(
            value for name, value in filters.form.cleaned_data.items() if name not in PLAIN_FILTERS
        )
    if not (valid and may(user, Action.VIEW_CASES)):
        return None
    # The policy hands back the queryset itself to who sees every case (as in find_case):
    # any narrowing it makes for this user takes the ordinary path.
    every_case = Casus.objects.all()
    if visible_cases(user, every_case) is not every_case:
        return None
    return chosen


def list_cases(user: User, params: Mapping[str, str], page_number: str | int = 1) -> CaseListing:
    """A page of the cases `user` may see, filtered and ordered by `params`. The counts
    are made for the shown rows only, and the read (and any search) is an audit line."""
    # The filters' queryset is made only where the ordinary path reads it.
    filters = CaseFilterSet(params, request=RequestUser(user))
    # A plain list (the default one above all) is read with its count in one statement
    # compiled once, its filters checked once per process; an empty page past the
    # first is left to the paginator (which shows the last page instead).
    page, number = None, whole_number(page_number)
    chosen = plain_choice(user, filters, params) if number is not None else None
    limit = NeighbourhoodPaginator.limit_for(page_number, CASE_PAGE_SIZE)
    statement = page_statement(chosen, limit) if chosen is not None else None
    if statement is not None:
        shown, matching = read_page(statement, number)
        if shown or number == 1:
            page = NeighbourhoodPaginator.read(shown, CASE_PAGE_SIZE, number, matching)
    if page is None:
        filters.queryset = listed_cases(visible_cases(user, Casus.objects.all()))
        cases = filters.qs if filters.is_valid() else Casus.objects.none()
        page = NeighbourhoodPaginator(cases, CASE_PAGE_SIZE, page_number).get_page(page_number)
        valid = filters.is_valid()
    else:
        valid = True  # plain filters the form takes (plain_choice)
    attach_configuration(page.object_list)
    now = timezone.now()
    for casus in page.object_list:
        # As filters.overdue() asks it of the database: past the deadline and running.
        casus.is_overdue = (
            casus.deadline_at is not None and casus.deadline_at < now and casus.completed_at is None
        )
    counts = {casus.pk: casus.report_count for casus in page.object_list}
    # A plain list has no search; only the ordinary path cleans the form.
    query = filters.form.cleaned_data.get("q", "") if statement is None and valid else ""
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
    return CaseListing(filters=filters, page=page, report_counts=counts, valid=valid)


@dataclass(frozen=True)
class RequestUser:
    """What the FilterSet reads of a request: its user (the API passes its own request)."""

    user: User


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
class CoordinatedCase:
    casus: Casus
    actions_due: list[PlanAction]


def coordinated_cases(user: User, *, due_within_days: int = 14) -> list[CoordinatedCase]:
    """A casuscoördinator's open cases, each with the current plan's unfinished actions
    due within two weeks (or overdue)."""
    cases = list(
        Casus.objects.filter(coordinator=user, completed_at__isnull=True)
        .select_related("current_step", "priority")
        .order_by("deadline_at", "id")
    )
    latest = {
        plan.casus_id: plan
        for plan in PlanOfApproach.objects.filter(casus__in=cases).order_by("casus", "version")
    }
    horizon = timezone.localdate() + timezone.timedelta(days=due_within_days)
    due: dict[int, list[PlanAction]] = {}
    for action in (
        PlanAction.objects.filter(plan__in=latest.values(), due_on__lte=horizon)
        .exclude(status__in=PlanAction.FINISHED)
        .select_related("plan", "owner_partner", "owner_user")
        .order_by("due_on")
    ):
        due.setdefault(action.plan.casus_id, []).append(action)
    record(
        AuditAction.VIEW,
        user=user,
        grounds=CASE_WORK,
        detail={"lijst": "mijn casussen", "casussen": [casus.reference for casus in cases]},
    )
    return [CoordinatedCase(casus, due.get(casus.pk, [])) for casus in cases]


def visible_meetings(user: User) -> QuerySet[Meeting]:
    """The meetings the meldpunt's staff plan, or that a screening team member attends."""
    if not may(user, Action.VIEW_MEETINGS):
        return Meeting.objects.none()
    meetings = Meeting.objects.all()
    if not user.role_codes() & SEES_EVERY_CASE:
        meetings = meetings.filter(attendees=user)
    return meetings


@dataclass
class AgendaEntry:
    item: AgendaItem
    casus: Casus | None  # None: the user may no longer see this case
    persons: list[InvolvedPerson]
    risk: RiskAssessment | None
    signals: list[str] = field(default_factory=list)  # codes the case's reports named


@dataclass
class MeetingFile:
    meeting: Meeting
    entries: list[AgendaEntry]


def read_meeting(user: User, meeting_id: int, *, grounds: str = "overleg") -> MeetingFile:
    """A meeting with its agenda, each case shown only to who may see it (with one audit
    line per person shown), with a fixed number of queries."""
    meeting = (
        visible_meetings(user)
        .select_related("chair")
        .prefetch_related("attendees", "present", "guests__partner")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None or not may(user, Action.VIEW_MEETING, meeting):
        record(AuditAction.REFUSED, user=user, detail={"overleg": meeting_id, "reden": "404"})
        raise Http404
    items = list(meeting.items.select_related("casus__current_step", "casus__priority"))
    visible = set(
        visible_cases(user, Casus.objects.filter(agenda_items__meeting=meeting)).values_list(
            "pk", flat=True
        )
    )
    persons: dict[int, list[InvolvedPerson]] = {}
    for person in InvolvedPerson.objects.filter(casus__in=visible).order_by("pk"):
        persons.setdefault(person.casus_id, []).append(person)
    latest_risk = {
        assessment.casus_id: assessment
        for assessment in RiskAssessment.objects.filter(casus__in=visible).order_by("recorded_at")
    }
    signals: dict[int, list[str]] = {}
    for casus_id, named in (
        Report.objects.filter(casus__in=visible)
        .order_by("submitted_at")
        .values_list("casus_id", "signals")
    ):
        known = signals.setdefault(casus_id, [])
        known += [code for code in named if code not in known]
    entries = [
        AgendaEntry(
            item=item,
            casus=item.casus if item.casus_id in visible else None,
            persons=persons.get(item.casus_id, []),
            risk=latest_risk.get(item.casus_id),
            signals=signals.get(item.casus_id, []),
        )
        for item in items
    ]
    record_each(
        AuditAction.VIEW,
        [
            {"target": entry.casus, "case_id": entry.casus.reference, "person_id": person_id}
            for entry in entries
            if entry.casus is not None
            for person_id in [str(person.pk) for person in entry.persons] or [""]
        ],
        user=user,
        grounds=grounds,
        detail={"overleg": meeting.pk},
    )
    return MeetingFile(meeting=meeting, entries=entries)


def read_agenda_item(user: User, meeting_id: int, item_id: int) -> tuple[MeetingFile, AgendaEntry]:
    """One case on a meeting's agenda, read as the meeting is: a 404 when the user may
    not see the meeting, the item is not on it, or the case is not theirs to see."""
    meeting_file = read_meeting(user, meeting_id)
    entry = next((e for e in meeting_file.entries if e.item.pk == item_id), None)
    if entry is None or entry.casus is None:
        raise Http404
    return meeting_file, entry
