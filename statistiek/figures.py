"""The region's statistics, computed in SQL in the region's own schema: counts and
medians only. Nothing is decrypted and no row about a person leaves the database; a
table holds categories (a channel, an age band, a municipality), never a person.

A `Selection` is the period and the municipality the user chose. Reports count by the
day they came in, cases by the day they were opened (a closing reason by the day the
case was closed), a step by the day a case left it, an information request by the day
it was sent, an evaluation by the day it was recorded.
"""

import json
import operator
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property, reduce
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Trunc
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from configuratie.gemeenten import name_of
from configuratie.models import (
    CatalogueEntry,
    CatalogueKind,
    Priority,
    RegionMunicipality,
    RiskLevel,
    WorkflowStep,
)
from statistiek.models import MonthlyFigure
from statistiek.tables import Column, Kind, Row, Table
from workflow.models import (
    Casus,
    ComenshaRegistration,
    Evaluation,
    EvaluationRating,
    Gender,
    InformationRequest,
    InvolvedPerson,
    PersonRole,
    Report,
    ReporterType,
    ScreeningOutcome,
)

GRAINS = {"maand": "month", "kwartaal": "quarter", "jaar": "year"}
GRAIN_CHOICES = [
    ("maand", gettext_lazy("per maand")),
    ("kwartaal", gettext_lazy("per kwartaal")),
    ("jaar", gettext_lazy("per jaar")),
]
NOT_RECORDED = ""


@dataclass(frozen=True)
class Selection:
    start: date
    end: date  # inclusive
    grain: str = "maand"
    municipality: str = ""  # a CBS code, or "" for the whole region

    @property
    def since(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def describe(self) -> dict[str, str]:
        """The selection in codes and dates, for audit lines and file names."""
        return {
            "van": self.start.isoformat(),
            "tot_en_met": self.end.isoformat(),
            "indeling": self.grain,
            "gemeente": self.municipality,
        }


def default_selection(today: date | None = None) -> Selection:
    """The last twelve months, this one included."""
    today = today or timezone.localdate()
    month = today.month - 11
    year = today.year + (month - 1) // 12
    return Selection(start=date(year, (month - 1) % 12 + 1, 1), end=today)


def days_between(start: str, end: str) -> Func:
    return Func(
        F(end) - F(start),
        # date_part is a double, cheaper to sort than EXTRACT's numeric.
        template="date_part('epoch', %(expressions)s) / 86400.0",
        output_field=FloatField(),
    )


# The querysets every table starts from ------------------------------------------------


def person_in(selection: Selection, link: str, outer: str = "pk") -> Exists:
    """Someone involved lives in the selection's municipality: a person whose `link` is
    the outer row's `outer` (its own key, or for a case's record its case)."""
    return Exists(
        InvolvedPerson.objects.filter(**{link: OuterRef(outer)}).filter(
            municipality=selection.municipality
        )
    )


def cases_opened(selection: Selection) -> QuerySet[Casus]:
    cases = Casus.objects.filter(opened_at__gte=selection.since, opened_at__lt=selection.until)
    return cases.filter(person_in(selection, "casus")) if selection.municipality else cases


def reports_received(selection: Selection) -> QuerySet[Report]:
    reports = Report.objects.filter(
        submitted_at__gte=selection.since, submitted_at__lt=selection.until
    )
    return reports.filter(person_in(selection, "report")) if selection.municipality else reports


def persons_reported(selection: Selection) -> QuerySet[InvolvedPerson]:
    persons = InvolvedPerson.objects.filter(
        report__submitted_at__gte=selection.since, report__submitted_at__lt=selection.until
    )
    if selection.municipality:
        persons = persons.filter(municipality=selection.municipality)
    return persons


def rows_of(sql: str, params: list[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def sql_of(queryset: QuerySet) -> tuple[str, list[Any]]:
    sql, params = queryset.query.sql_with_params()
    return sql, list(params)


Range = tuple[datetime, datetime]  # from, up to (not included)
# (figure, period, code, part, count): one grouped count of the page, e.g. ("kanaal",
# the period's first day, "webformulier", "", 12) or ("leeftijd", …, "12-15", "dader", 3).
Tally = tuple[str, date, str, str, int]
# The figures a tally can be of, and the moment each counts by.
REPORT_FIGURES = ("kanaal", "melder", "signaal")  # the report's submitted_at
CASE_FIGURES = ("casustype", "screening", "risico")  # the case's opened_at
CLOSED_FIGURES = ("afsluitreden",)  # the case's closed_at
PERSON_FIGURES = ("leeftijd", "gender", "woonplaats")  # the report's submitted_at
EVALUATION_FIGURES = ("evaluatie",)  # the evaluation's recorded_at (code: question, part: rating)
# A step's stays, by the moment the case left it (code: the step's id, part: the case's
# priority's id, "0" without one); the stays' lengths come beside the tally (`Stays`).
STAY = "stap"
# (period, step id, priority id or 0, the stays' lengths in seconds, sorted)
Stays = tuple[date, int, int, list[float]]


def within(field: str, ranges: list[Range]) -> Q:
    """The moment in `field` falls in one of `ranges`."""
    return reduce(
        operator.or_,
        (Q(**{f"{field}__gte": since, f"{field}__lt": until}) for since, until in ranges),
    )


def local_day(moment: datetime) -> date:
    """A truncated moment as the day it starts: the ORM gives it aware, raw SQL local."""
    return (timezone.localtime(moment) if timezone.is_aware(moment) else moment).date()


def counted_in_cases(selection: Selection, ranges: list[Range], stays: bool = True) -> list[Tally]:
    """The tallies of the selection within `ranges`, counted in the reports, cases,
    people, evaluations and (with `stays`) the stays in steps themselves: seven grouped
    queries, whatever the number of ranges."""
    return counted_with_stays(selection, ranges, stays)[0]


def counted_with_stays(
    selection: Selection, ranges: list[Range], stays_too: bool = True
) -> tuple[list[Tally], list[Stays]]:
    """`counted_in_cases`, and the lengths of the stays it tallied."""
    grain = GRAINS[selection.grain]
    reports = Report.objects.filter(within("submitted_at", ranges)).order_by()
    opened = Casus.objects.filter(within("opened_at", ranges)).order_by()
    closed = Casus.objects.filter(within("closed_at", ranges)).order_by()
    persons = InvolvedPerson.objects.filter(within("report__submitted_at", ranges)).order_by()
    if selection.municipality:
        reports = reports.filter(person_in(selection, "report"))
        opened = opened.filter(person_in(selection, "casus"))
        closed = closed.filter(person_in(selection, "casus"))
        persons = persons.filter(municipality=selection.municipality)
    tallies: list[Tally] = []
    reports = reports.annotate(period=Trunc("submitted_at", grain)).order_by()
    for period, channel, reporter, n in (
        reports.values_list("period", "channel", "reporter_type")
        .annotate(n=Count("pk"))
        .values_list("period", "channel", "reporter_type", "n")
    ):
        day = local_day(period)
        tallies += [("kanaal", day, channel, "", n), ("melder", day, reporter, "", n)]
    sql, params = sql_of(reports.values("period", "signals"))
    # The ORM's own SQL (with its parameters) as a subquery.
    found = rows_of(
        "SELECT period, signal, COUNT(*) FROM (SELECT q.period, "  # noqa: S608
        f"jsonb_array_elements_text(q.signals) AS signal FROM ({sql}) q) s GROUP BY 1, 2",
        params,
    )
    tallies += [("signaal", local_day(period), code, "", n) for period, code, n in found]
    sql, params = sql_of(
        opened.annotate(period=Trunc("opened_at", grain)).values("id", "period", "case_type")
    )
    # Each case's latest screening outcome and risk level, looked up per case (by the
    # case's index) rather than sorting every outcome of the region.
    found = rows_of(
        "SELECT c.period, c.case_type, COALESCE(o.outcome, ''), COALESCE(r.level, ''), "  # noqa: S608
        f"COUNT(*) FROM ({sql}) c "
        "LEFT JOIN LATERAL (SELECT outcome FROM workflow_screeningoutcome WHERE casus_id = c.id "
        "ORDER BY recorded_at DESC, id DESC LIMIT 1) o ON true "
        "LEFT JOIN LATERAL (SELECT level FROM workflow_riskassessment WHERE casus_id = c.id "
        "ORDER BY recorded_at DESC, id DESC LIMIT 1) r ON true "
        "GROUP BY 1, 2, 3, 4",
        params,
    )
    for period, case_type, outcome, level, n in found:
        day = local_day(period)
        tallies += [
            ("casustype", day, case_type, "", n),
            ("screening", day, outcome, "", n),
            ("risico", day, level, "", n),
        ]
    tallies += [
        ("afsluitreden", local_day(period), reason, "", n)
        for period, reason, n in closed.annotate(period=Trunc("closed_at", grain))
        .values_list("period", "closing_reason")
        .annotate(n=Count("pk"))
        .values_list("period", "closing_reason", "n")
        .order_by()
    ]
    for period, band, gender, municipality, role, n in (
        persons.annotate(
            period=Trunc("report__submitted_at", grain),
            age_value=age_in_report_year(selection),
        )
        .annotate(age_band=AGE_BAND)
        .values_list("period", "age_band", "gender", "municipality", "role")
        .annotate(n=Count("pk"))
        .values_list("period", "age_band", "gender", "municipality", "role", "n")
        .order_by()
    ):
        day = local_day(period)
        tallies += [
            ("leeftijd", day, band, role, n),
            ("gender", day, gender, role, n),
            ("woonplaats", day, municipality, role, n),
        ]
    stays = stays_in_cases(selection, ranges) if stays_too else []
    tallies += [
        (STAY, period, str(step), str(priority), len(s)) for period, step, priority, s in stays
    ]
    return tallies + evaluation_tallies(selection, ranges), stays


def stays_sql(selection: Selection, ranges: list[Range]) -> tuple[str, list[Any]]:
    """Each stay of a case in a step that ended within `ranges`: its step, the case's
    priority (0 without one), the moment it ended and its length in seconds (a double:
    cheaper to sort than an interval).

    A stay ends at the case's next transition, which the engine writes on the transition
    that began it (`left_at`), so the stays are the transitions left in the ranges; each
    looks up its case's priority by the case's key (a few thousand in a month), rather
    than joining every case of the region."""
    municipality = (
        "AND EXISTS (SELECT 1 FROM workflow_involvedperson p "
        "WHERE p.casus_id = t.casus_id AND p.municipality = %s)"
        if selection.municipality
        else ""
    )
    left = " OR ".join("(t.left_at >= %s AND t.left_at < %s)" for _range in ranges)
    sql = (
        "SELECT t.to_step_id AS step, "  # noqa: S608  (fixed SQL; values are parameters)
        "COALESCE((SELECT c.priority_id FROM workflow_casus c WHERE c.id = t.casus_id), 0) "
        "AS priority, t.left_at, date_part('epoch', t.left_at - t.at) AS stay "
        f"FROM workflow_steptransition t WHERE ({left}) {municipality}"
    )
    return sql, [moment for moments in ranges for moment in moments] + (
        [selection.municipality] if selection.municipality else []
    )


def stays_in_cases(selection: Selection, ranges: list[Range]) -> list[Stays]:
    """The stays ended within `ranges`, their lengths sorted, per period, step and the
    case's priority: what a finished month keeps of them."""
    sql, params = stays_sql(selection, ranges)
    found = rows_of(
        "SELECT date_trunc(%s, left_at AT TIME ZONE %s), step, priority, "  # noqa: S608
        f"array_agg(stay ORDER BY stay) FROM ({sql}) s GROUP BY 1, 2, 3",
        [GRAINS[selection.grain], timezone.get_current_timezone_name(), *params],
    )
    return [(local_day(period), step, priority, s) for period, step, priority, s in found]


# The information requests sent to a partner, by the moment they were sent (code: the
# partner's id; n: how many), with each answered one's response time in days, sorted, in
# the monthly figure's `seconds` (`Requests`), so that a median over months is exact.
REQUESTS = "verzoek"
# (partner id, how many sent, the answered ones' response times in days, sorted)
Requests = tuple[int, int, list[float]]


def requests_sql(selection: Selection, ranges: list[Range]) -> tuple[str, list[Any]]:
    """Per partner, the information requests sent within `ranges`: how many, and the
    answered ones' response times in days (`days_between`, sorted)."""
    requests = InformationRequest.objects.filter(within("recorded_at", ranges)).order_by()
    if selection.municipality:
        requests = requests.filter(person_in(selection, "casus", "casus"))
    sql, params = sql_of(
        requests.annotate(days=days_between("recorded_at", "closed_at")).values(
            "partner_id", "closed_at", "days"
        )
    )
    return (
        "SELECT q.partner_id AS partner, COUNT(*) AS n, COALESCE(array_agg(q.days "  # noqa: S608
        "ORDER BY q.days) FILTER (WHERE q.closed_at IS NOT NULL), '{}') AS days "
        f"FROM ({sql}) q GROUP BY 1",
        params,
    )


def requests_in_cases(selection: Selection, ranges: list[Range]) -> list[Requests]:
    """What a finished month keeps of its information requests, per partner."""
    return [tuple(row) for row in rows_of(*requests_sql(selection, ranges))]


def evaluation_tallies(selection: Selection, ranges: list[Range]) -> list[Tally]:
    """The short answers per question of the evaluations recorded within `ranges`."""
    evaluated = Evaluation.objects.filter(within("recorded_at", ranges)).order_by()
    if selection.municipality:
        evaluated = evaluated.filter(person_in(selection, "casus", "casus"))
    sql, params = sql_of(
        evaluated.annotate(period=Trunc("recorded_at", GRAINS[selection.grain])).values(
            "period", "ratings"
        )
    )
    found = rows_of(
        "SELECT q.period, r.key, r.value, COUNT(*) FROM "  # noqa: S608
        f"({sql}) q, jsonb_each_text(q.ratings) r GROUP BY 1, 2, 3",
        params,
    )
    return [
        ("evaluatie", local_day(period), question, rating, n)
        for period, question, rating, n in found
    ]


def month_starts(first: date, last: date) -> list[date]:
    """The first days of the months from `first`'s to `last`'s."""
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def period_of(month: date, grain: str) -> date:
    """The first day of the period (month, quarter, year) a month falls in."""
    if grain == "jaar":
        return month.replace(month=1)
    if grain == "kwartaal":
        return month.replace(month=(month.month - 1) // 3 * 3 + 1)
    return month


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class Counts:
    """The grouped counts the page's tables share, read once per page: the finished
    months of the selection from the region's monthly figures (statistiek/monthly.py),
    the rest (this month, a month begun or ended partway, a month whose figures a change
    removed) counted in the cases themselves. Both are the same tallies."""

    def __init__(self, selection: Selection) -> None:
        self.selection = selection
        self.counted_at: datetime | None = None  # the oldest monthly count used
        self.kept: list[date] = []  # the months read from the monthly figures
        self.ranges: list[Range] = []  # the rest of the selection, counted in the cases

    @cached_property
    def tallies(self) -> list[Tally]:
        selection = self.selection
        this_month = timezone.localdate().replace(day=1)
        whole = [
            month
            for month in month_starts(selection.start, selection.end)
            if month >= selection.start
            and (month + timedelta(days=32)).replace(day=1) <= selection.end + timedelta(days=1)
            and month < this_month
        ]
        stored: dict[date, list[Tally]] = defaultdict(list)
        counted: dict[date, datetime] = {}
        if whole:
            for month, figure, code, part, n, at in MonthlyFigure.objects.filter(
                municipality=selection.municipality, month__gte=whole[0], month__lte=whole[-1]
            ).values_list("month", "figure", "code", "part", "n", "counted_at"):
                if figure == COUNTED:
                    counted[month] = at
                elif figure not in (CHANGED, REQUESTS):  # requests: information_requests
                    stored[month].append((figure, period_of(month, selection.grain), code, part, n))
        tallies = [tally for month in counted for tally in stored[month]]
        self.kept = sorted(counted)
        self.counted_at = min(counted.values(), default=None)
        ranges: list[Range] = []
        day = selection.start
        while day <= selection.end:
            following = (day + timedelta(days=32)).replace(day=1)
            if day not in counted:
                until = day_start(min(following, selection.end + timedelta(days=1)))
                if ranges and ranges[-1][1] == day_start(day):
                    ranges[-1] = (ranges[-1][0], until)
                else:
                    ranges.append((day_start(day), until))
            day = following
        self.ranges = ranges
        # The stays of the ranges are counted with the kept ones, by step_durations.
        return tallies + (counted_in_cases(selection, ranges, stays=False) if ranges else [])

    def by_code(self, figure: str) -> dict[str, dict[str, int]]:
        """{code: {"n": count}} of a figure over the whole selection."""
        totals: dict[str, dict[str, int]] = defaultdict(lambda: {"n": 0})
        for name, _period, code, _part, n in self.tallies:
            if name == figure:
                totals[code or NOT_RECORDED]["n"] += n
        return totals

    def by_period(self, figure: str) -> dict[date, int]:
        """The count of a figure (of every code) per period."""
        totals: dict[date, int] = defaultdict(int)
        for name, period, _code, _part, n in self.tallies:
            if name == figure:
                totals[period] += n
        return totals

    def persons_by(self, figure: str) -> dict[str, dict[str, int]]:
        """{code: {role: count, "totaal": count}} of one of the people's figures."""
        totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for name, _period, code, role, n in self.tallies:
            if name == figure:
                totals[code or NOT_RECORDED][role] += n
                totals[code or NOT_RECORDED]["totaal"] += n
        return totals


# The marks of a month in the monthly figures: its counts are complete (since the
# moment in counted_at), or a case of it changed (at counted_at) — see monthly.py.
# COUNTED names what a count holds: a month a process with older code counted during a
# deploy (without the stays or the information requests) is not taken as counted, and
# is counted again. Change it with what a month's count holds.
COUNTED = "geteld-3"
CHANGED = "gewijzigd"


# Helpers that turn counts into rows ---------------------------------------------------


def catalogue(kind: str) -> list[tuple[str, str]]:
    return list(
        CatalogueEntry.objects.filter(catalogue=kind)
        .order_by("position", "id")
        .values_list("code", "name")
    )


def category_rows(
    counts: dict[str, dict[str, Any]],
    categories: list[tuple[str, str]],
    empty_label: str = "",
    keep_zero: bool = True,
) -> list[Row]:
    """One row per category in the configured order, then codes found but no longer
    configured, then the cases where nothing was recorded (`empty_label`)."""
    known = dict(categories)
    codes = [code for code, _label in categories if keep_zero or code in counts]
    codes += sorted(code for code in counts if code not in known and code != NOT_RECORDED)
    rows = [
        Row(label=str(known.get(code, code)), values=counts.get(code, {}), key=code)
        for code in codes
    ]
    if empty_label and NOT_RECORDED in counts:
        rows.append(Row(label=empty_label, values=counts[NOT_RECORDED], key=NOT_RECORDED))
    return rows


def zero_filled(rows: list[Row], columns: list[Column]) -> list[Row]:
    for row in rows:
        for column in columns:
            if column.kind == Kind.COUNT:
                row.values.setdefault(column.key, 0)
    return rows


def column_totals(rows: list[Row], columns: list[Column]) -> dict[str, int]:
    return {
        column.key: sum(row.values.get(column.key) or 0 for row in rows)
        for column in columns
        if column.kind == Kind.COUNT
    }


def single_count_table(
    slug: str,
    title: str,
    explanation: str,
    row_header: str,
    count_label: str,
    counts: dict[str, dict[str, int]],
    categories: list[tuple[str, str]],
    empty_label: str = "",
) -> Table:
    columns = [Column("n", count_label)]
    rows = zero_filled(category_rows(counts, categories, empty_label), columns)
    return Table(slug, title, explanation, row_header, columns, rows, column_totals(rows, columns))


# The tables -------------------------------------------------------------------------


def period_starts(selection: Selection) -> list[date]:
    months = {"maand": 1, "kwartaal": 3, "jaar": 12}[selection.grain]
    first = selection.start.replace(day=1)
    first = first.replace(month=(first.month - 1) // months * months + 1)
    starts = []
    while first <= selection.end:
        starts.append(first)
        month = first.month - 1 + months
        first = date(first.year + month // 12, month % 12 + 1, 1)
    return starts


def period_label(start: date, grain: str) -> str:
    if grain == "jaar":
        return str(start.year)
    if grain == "kwartaal":
        return _("%(year)d K%(quarter)d") % {"year": start.year, "quarter": (start.month + 2) // 3}
    return date_format(start, "M Y")


def per_period(counts: Counts) -> Table:
    selection = counts.selection
    reports = counts.by_period("kanaal")
    cases = counts.by_period("casustype")
    columns = [Column("meldingen", _("Meldingen")), Column("casussen", _("Casussen geopend"))]
    rows = [
        Row(
            label=period_label(start, selection.grain),
            values={"meldingen": reports.get(start, 0), "casussen": cases.get(start, 0)},
            key=start.isoformat(),
        )
        for start in period_starts(selection)
    ]
    return Table(
        "per_periode",
        _("Meldingen en casussen per periode"),
        _("Meldingen naar de dag van binnenkomst, casussen naar de dag van openen."),
        _("Periode"),
        columns,
        rows,
        column_totals(rows, columns),
        chart="line",
        chart_columns=["meldingen", "casussen"],
    )


def by_channel(counts: Counts) -> Table:
    return single_count_table(
        "kanaal",
        _("Meldingen per kanaal"),
        _("Hoe de meldingen binnenkwamen."),
        _("Kanaal"),
        _("Meldingen"),
        counts.by_code("kanaal"),
        catalogue(CatalogueKind.CHANNEL),
        _("niet vastgelegd"),
    )


def by_reporter_type(counts: Counts) -> Table:
    return single_count_table(
        "melder",
        _("Meldingen per soort melder"),
        _("Wie er meldde."),
        _("Melder"),
        _("Meldingen"),
        counts.by_code("melder"),
        list(ReporterType.choices),
    )


def by_case_type(counts: Counts) -> Table:
    return single_count_table(
        "casustype",
        _("Casussen per casustype"),
        _("Slachtoffer- of daderaanpak, naar de casussen geopend in de periode."),
        _("Casustype"),
        _("Casussen"),
        counts.by_code("casustype"),
        catalogue(CatalogueKind.CASE_TYPE),
        _("nog niet vastgelegd"),
    )


def by_signal(counts: Counts) -> Table:
    """A report can name several signals: the rows do not add up to the reports."""
    columns = [Column("n", _("Meldingen met dit signaal"))]
    rows = zero_filled(
        category_rows(counts.by_code("signaal"), catalogue(CatalogueKind.SIGNAL)), columns
    )
    return Table(
        "signalen",
        _("Signalen in de meldingen"),
        _(
            "Een melding kan meer signalen noemen; de rijen tellen dus niet op tot het aantal meldingen."
        ),
        _("Signaal"),
        columns,
        rows,
    )


def by_screening_outcome(counts: Counts) -> Table:
    return single_count_table(
        "screening",
        _("Casussen per screeningsuitkomst"),
        _("De laatst vastgelegde uitkomst van de casussen die in de periode zijn geopend."),
        _("Uitkomst"),
        _("Casussen"),
        counts.by_code("screening"),
        list(ScreeningOutcome.Outcome.choices),
        _("nog geen uitkomst"),
    )


def by_risk_level(counts: Counts) -> Table:
    levels = [(level, level) for level in RiskLevel.objects.values_list("level", flat=True)]
    return single_count_table(
        "risiconiveau",
        _("Casussen per risiconiveau"),
        _(
            "Het niveau van de laatste risicotaxatie van de casussen die in de periode zijn geopend."
        ),
        _("Risiconiveau"),
        _("Casussen"),
        counts.by_code("risico"),
        levels,
        _("geen risicotaxatie"),
    )


def by_closing_reason(counts: Counts) -> Table:
    return single_count_table(
        "afsluitreden",
        _("Afgesloten casussen per afsluitreden"),
        _("Casussen die in de periode zijn afgesloten."),
        _("Afsluitreden"),
        _("Casussen"),
        counts.by_code("afsluitreden"),
        catalogue(CatalogueKind.CLOSING_REASON),
        _("geen reden vastgelegd"),
    )


def role_columns() -> list[Column]:
    return [
        Column(PersonRole.VICTIM.value, _("Slachtoffer"), part_of="totaal"),
        Column(PersonRole.SUSPECT.value, _("Dader"), part_of="totaal"),
        Column(PersonRole.OTHER.value, _("Anders of onbekend"), part_of="totaal"),
        Column("totaal", _("Totaal")),
    ]


def person_table(
    slug: str,
    title: str,
    row_header: str,
    counts: dict[str, dict[str, int]],
    categories: list[tuple[str, str]],
    empty_label: str,
) -> Table:
    columns = role_columns()
    rows = zero_filled(category_rows(counts, categories, empty_label), columns)
    return Table(
        slug,
        title,
        _("Betrokkenen in de meldingen van de periode (iemand in twee meldingen telt twee keer)."),
        row_header,
        columns,
        rows,
        column_totals(rows, columns),
        chart_columns=["slachtoffer", "dader", "anders"],
    )


AGE_BANDS = [
    ("0-11", gettext_lazy("jonger dan 12")),
    ("12-15", gettext_lazy("12 tot en met 15")),
    ("16-17", gettext_lazy("16 en 17")),
    ("18-22", gettext_lazy("18 tot en met 22")),
    ("23+", gettext_lazy("23 en ouder")),
]


def age_in_report_year(selection: Selection) -> Coalesce:
    """The age given, or else the age reached in the (local) year of the report. The year
    comes from comparisons with the selection's New Year moments, cheaper per row than
    converting every timestamp to local time."""
    years = range(selection.start.year, selection.end.year)
    report_year = Case(
        *(
            When(
                report__submitted_at__lt=timezone.make_aware(datetime(year + 1, 1, 1)),
                then=Value(year),
            )
            for year in years
        ),
        default=Value(selection.end.year),
        output_field=IntegerField(),
    )
    return Coalesce(F("age"), report_year - F("birth_year"), output_field=IntegerField())


AGE_BAND = Case(
    When(age_value__isnull=True, then=Value(NOT_RECORDED)),
    When(age_value__lt=12, then=Value("0-11")),
    When(age_value__lt=16, then=Value("12-15")),
    When(age_value__lt=18, then=Value("16-17")),
    When(age_value__lt=23, then=Value("18-22")),
    default=Value("23+"),
    output_field=CharField(),
)


def by_age_band(counts: Counts) -> Table:
    return person_table(
        "leeftijd",
        _("Betrokkenen per leeftijdsgroep"),
        _("Leeftijd"),
        counts.persons_by("leeftijd"),
        [(code, str(label)) for code, label in AGE_BANDS],
        _("onbekend"),
    )


def by_gender(counts: Counts) -> Table:
    return person_table(
        "gender",
        _("Betrokkenen per gender"),
        _("Gender"),
        counts.persons_by("gender"),
        list(Gender.choices),
        _("onbekend"),
    )


def region_municipalities() -> list[tuple[str, str]]:
    codes = RegionMunicipality.objects.values_list("code", flat=True)
    return sorted(((code, name_of(code)) for code in codes), key=lambda item: item[1])


OUTSIDE = "buiten"


def by_municipality(counts: Counts) -> Table:
    own = dict(region_municipalities())
    grouped: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for code, values in counts.persons_by("woonplaats").items():
        target = code if code in own or code == NOT_RECORDED else OUTSIDE
        for key, n in values.items():
            grouped[target][key] += n
    categories = [*own.items(), (OUTSIDE, _("gemeente buiten de regio"))]
    return person_table(
        "gemeente",
        _("Betrokkenen per gemeente"),
        _("Gemeente"),
        grouped,
        categories,
        _("onbekend"),
    )


def cases_per_municipality(selection: Selection) -> Table:
    """The map's figures: cases opened in the period with someone living in the
    municipality; a case with people in two municipalities counts in both."""
    own = RegionMunicipality.objects.all()
    counts = dict(
        InvolvedPerson.objects.filter(casus__in=cases_opened(selection))
        .values_list("municipality")
        .annotate(n=Count("casus", distinct=True))
        .values_list("municipality", "n")
    )
    rows = []
    for municipality in sorted(own, key=lambda m: name_of(m.code)):
        n = counts.get(municipality.code, 0)
        population = municipality.young_population
        rows.append(
            Row(
                label=name_of(municipality.code),
                key=municipality.code,
                values={
                    "n": n,
                    "jongeren": population,
                    "per_10000": round(n / population * 10000, 1) if population else None,
                },
            )
        )
    return Table(
        "kaart",
        _("Casussen per gemeente"),
        _(
            "Casussen geopend in de periode met een betrokkene die in de gemeente woont; een casus met betrokkenen in twee gemeenten telt in beide. Per 10.000 jongeren waar de regio het aantal jongeren heeft ingevuld."
        ),
        _("Gemeente"),
        [
            Column("n", _("Casussen")),
            Column("jongeren", _("Jongeren (10 tot 23 jaar)"), Kind.TEXT),
            Column("per_10000", _("Per 10.000 jongeren"), Kind.RATE, base="n"),
        ],
        rows,
        chart="",
    )


def step_durations(counts: Counts) -> Table:
    """Each completed stay of a case in a step: how long, and whether it was within the
    step's deadline (for the case's priority), by the day the case left the step.

    The stays of the finished months the page's counts read kept (their lengths, per
    step and priority, in the monthly figures: `Counts.kept`) and those of the rest of
    the period (`Counts.ranges`) counted in the transitions, in one query over both; the
    steps' codes and deadlines (per priority) go in as parameters rather than joins, so
    they apply as configured now. A stay is sorted and compared as seconds (a double),
    with a deadline of days of 86,400 seconds (the connection counts in UTC)."""
    selection = counts.selection
    counts.tallies  # noqa: B018  (decides which months are kept)
    steps = {
        step.pk: step
        for step in WorkflowStep.objects.only(
            "code", "name", "position", "deadline_days", "deadline_days_by_priority"
        )
    }
    priorities = [(0, None), *Priority.objects.values_list("pk", "code")]
    deadlines = {}
    for step in steps.values():
        for priority_id, code in priorities:
            given = step.deadline_days_by_priority.get(code) if code is not None else None
            days = int(given) if given is not None else step.deadline_days
            if days is not None:
                deadlines[f"{step.pk}:{priority_id}"] = days
    codes = sorted({step.code for step in steps.values()})
    live, params = stays_sql(selection, counts.ranges) if counts.ranges else ("", [])
    live = (
        "UNION ALL SELECT step, priority, array_agg(stay ORDER BY stay) "  # noqa: S608
        f"FROM ({live}) l GROUP BY 1, 2"
        if live
        else ""
    )
    # Per kept month (or the rest of the period), step and priority, one sorted array of
    # stays: the codes and deadlines are looked up per array, the stays within a deadline
    # found by a binary search in it (width_bucket: how many are at most the deadline),
    # and only the median sorts a code's stays.
    found = rows_of(
        f"""
        WITH k AS (
            SELECT step, (%s::jsonb ->> step::text)::int AS code,
                   (%s::jsonb ->> (step || ':' || priority))::int AS days, seconds
            FROM (
                SELECT f.code::int AS step, f.part::int AS priority, f.seconds
                FROM statistiek_monthlyfigure f
                WHERE f.figure = %s AND f.municipality = %s AND f.month = ANY(%s::date[])
                {live}
            ) s
        )
        SELECT code, array_agg(step), SUM(cardinality(seconds))::int,
               (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY stay)
                FROM k m, unnest(m.seconds) stay WHERE m.code = k.code) / 86400.0,
               SUM(width_bucket((days * 86400)::float8, seconds))::int,
               SUM(cardinality(seconds) - width_bucket((days * 86400)::float8, seconds))::int,
               BOOL_OR(days IS NOT NULL)
        FROM k
        GROUP BY code
        """,  # noqa: S608  (fixed SQL; values are parameters)
        [
            json.dumps({str(pk): codes.index(step.code) for pk, step in steps.items()}),
            json.dumps(deadlines),
            STAY,
            selection.municipality,
            counts.kept,
            *params,
        ],
    )
    found = [(codes[code], set(ids), *figures) for code, ids, *figures in found]
    found = sorted(
        (
            min(steps[pk].position for pk in ids),
            code,
            min(steps[pk].name for pk in ids),
            max(
                (steps[pk].deadline_days for pk in ids if steps[pk].deadline_days is not None),
                default=None,
            ),
            n,
            median,
            within,
            over,
            has_deadline,
        )
        for code, ids, n, median, within, over, has_deadline in found
    )
    rows = [
        Row(
            label=name,
            key=code,
            values={
                "n": n,
                "mediaan": round(median, 1),
                "termijn": deadline,
                "binnen": within if has_deadline else None,
                "over": over if has_deadline else None,
            },
        )
        for _position, code, name, deadline, n, median, within, over, has_deadline in found
    ]
    return Table(
        "stappen",
        _("Tijd per stap tegen de termijn"),
        _(
            "Elke keer dat een casus een stap verliet in de periode: hoe lang hij erin stond, en of dat binnen de termijn van de stap was (de termijn voor de prioriteit van de casus)."
        ),
        _("Stap"),
        [
            Column("n", _("Keer afgerond")),
            Column("mediaan", _("Mediaan (dagen)"), Kind.MEDIAN, base="n"),
            Column("termijn", _("Termijn (dagen)"), Kind.TEXT),
            Column("binnen", _("Binnen de termijn"), part_of="n"),
            Column("over", _("Over de termijn"), part_of="n"),
        ],
        rows,
        chart_columns=["binnen", "over"],
    )


def information_requests(counts: Counts) -> Table:
    """Per partner (by name), the information requests sent in the period: those of the
    finished months the page's counts read kept (`REQUESTS`, with their response times)
    and those of the rest of the period counted in the requests, in one query; the
    median sorts only the answered ones' response times."""
    selection = counts.selection
    counts.tallies  # noqa: B018  (decides which months are kept)
    live, params = requests_sql(selection, counts.ranges) if counts.ranges else ("", [])
    live = f"UNION ALL SELECT partner, n, days FROM ({live}) l" if live else ""  # noqa: S608
    found = rows_of(
        f"""
        WITH r AS (
            SELECT p.name, s.n, s.days
            FROM (
                SELECT f.code::int AS partner, f.n, f.seconds AS days
                FROM statistiek_monthlyfigure f
                WHERE f.figure = %s AND f.municipality = %s AND f.month = ANY(%s::date[])
                {live}
            ) s
            JOIN configuratie_partner p ON p.id = s.partner
        )
        SELECT name, SUM(n)::int, SUM(cardinality(days))::int,
               (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d)
                FROM r m, unnest(m.days) d WHERE m.name = r.name)
        FROM r
        GROUP BY name
        ORDER BY name
        """,  # noqa: S608  (fixed SQL; values are parameters)
        [REQUESTS, selection.municipality, counts.kept, *params],
    )
    rows = [
        Row(
            label=name,
            values={
                "n": n,
                "beantwoord": answered,
                "open": n - answered,
                "mediaan": round(median, 1) if median is not None else None,
            },
        )
        for name, n, answered, median in found
    ]
    columns = [
        Column("n", _("Verzoeken")),
        Column("beantwoord", _("Beantwoord"), part_of="n"),
        Column("open", _("Nog open"), part_of="n"),
        Column("mediaan", _("Mediaan reactietijd (dagen)"), Kind.MEDIAN, base="beantwoord"),
    ]
    return Table(
        "informatieverzoeken",
        _("Reactietijd op informatieverzoeken per partner"),
        _(
            "Informatieverzoeken verstuurd in de periode; de reactietijd is de tijd tot het antwoord."
        ),
        _("Partner"),
        columns,
        rows,
        column_totals(rows, columns),
        chart_columns=["mediaan"],
    )


def evaluations(counts: Counts) -> Table:
    """The short answers (ja, deels, nee, onbekend) per evaluation question."""
    ratings: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for figure, _period, question, rating, n in counts.tallies:
        if figure == "evaluatie":
            ratings[question][rating] += n
            ratings[question]["totaal"] += n
    columns = [
        *(Column(code, str(label), part_of="totaal") for code, label in EvaluationRating.choices),
        Column("totaal", _("Evaluaties")),
    ]
    rows = zero_filled(
        category_rows(ratings, catalogue(CatalogueKind.EVALUATION_QUESTION)), columns
    )
    return Table(
        "evaluatie",
        _("Evaluaties samengevat"),
        _("Het korte antwoord per evaluatievraag, van de evaluaties vastgelegd in de periode."),
        _("Evaluatievraag"),
        columns,
        rows,
        chart_columns=list(EvaluationRating.values),
    )


def registrations_sent(selection: Selection) -> QuerySet[ComenshaRegistration]:
    sent = ComenshaRegistration.objects.filter(
        sent_at__gte=selection.since, sent_at__lt=selection.until
    )
    if selection.municipality:
        sent = sent.filter(person__municipality=selection.municipality)
    return sent


def comensha_registrations(counts: Counts) -> Table:
    """Registrations sent to CoMensha per form of exploitation, split by what is needed."""
    found: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for exploitation, need, n in (
        registrations_sent(counts.selection)
        .values_list("exploitation", "need")
        .annotate(n=Count("pk"))
        .values_list("exploitation", "need", "n")
    ):
        found[exploitation][need] += n
        found[exploitation]["totaal"] += n
    columns = [
        *(
            Column(code, str(label), part_of="totaal")
            for code, label in ComenshaRegistration.Need.choices
        ),
        Column("totaal", _("Registraties")),
    ]
    rows = zero_filled(
        category_rows(found, list(ComenshaRegistration.Exploitation.choices)), columns
    )
    return Table(
        "comensha",
        _("Registraties bij CoMensha"),
        _(
            "(Mogelijke) slachtoffers van wie de registratie in de periode aan CoMensha is verstuurd, per vorm van uitbuiting."
        ),
        _("Vorm van uitbuiting"),
        columns,
        rows,
        column_totals(rows, columns),
        chart_columns=["totaal"],
    )


# The statistics page's tables by slug, in the page's order.
REGION_TABLES = {
    "per_periode": per_period,
    "kanaal": by_channel,
    "melder": by_reporter_type,
    "casustype": by_case_type,
    "signalen": by_signal,
    "screening": by_screening_outcome,
    "risiconiveau": by_risk_level,
    "afsluitreden": by_closing_reason,
    "leeftijd": by_age_band,
    "gender": by_gender,
    "gemeente": by_municipality,
    "stappen": step_durations,
    "informatieverzoeken": information_requests,
    "evaluatie": evaluations,
    "comensha": comensha_registrations,
}
MAP_TABLE = "kaart"


@contextmanager
def one_snapshot() -> Iterator[None]:
    """A transaction whose reads see one snapshot (REPEATABLE READ) when it is the
    outermost: the stays' lengths of exactly the months whose counts were read kept, though
    a change removes one meanwhile."""
    outermost = not connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        # Grouping and medians over 100,000 cases sort more than a page's default memory
        # holds. One statement: the page's count of them stays as it was.
        cursor.execute(
            ("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY; " if outermost else "")
            + "SET LOCAL work_mem = '32MB'"
        )
        yield


def region_figures(selection: Selection) -> tuple[list[Table], datetime | None]:
    """The page's tables, and when the oldest monthly count they read began (None when
    every month was counted in the cases)."""
    with one_snapshot():
        counts = Counts(selection)
        tables = [build(counts) for build in REGION_TABLES.values()]
        return tables, counts.counted_at


def region_tables(selection: Selection) -> list[Table]:
    return region_figures(selection)[0]


def region_table(slug: str, selection: Selection) -> Table | None:
    """One table by its slug (the map's table included), or None."""
    if slug == MAP_TABLE:
        return cases_per_municipality(selection)
    build = REGION_TABLES.get(slug)
    if build is None:
        return None
    with one_snapshot():
        return build(Counts(selection))
