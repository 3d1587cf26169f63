"""The region's statistics per finished month, kept so that the statistics page reads a
year as twelve months of counts instead of counting every case (figures.Counts).

A month's figures are the tallies the page would count in the cases over that month
(`figures.counted_in_cases`), for the whole region and for each of its municipalities,
so both ways give the same numbers by construction. This month is never stored: the
page always counts it. A change to a case, a report, a person, a screening outcome, a
risk assessment, an evaluation or an information request (answered) removes, once committed, the figures of the finished months it touches
and marks them changed (`CHANGED`, with the moment): the months its saved row counts in,
and for a case the engine changed, the months of the moments it had before
(`workflow.engine.case_written`); the beat's
`refresh_monthly_figures` (every five minutes, in every region) counts the missing
months again, and meanwhile the page counts such a month in the cases: slower, never
wrong. A count that began before the change it may have missed is not stored.
"""

from collections import defaultdict
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from django.db import connection, transaction
from django.db.models import Min, Model, QuerySet
from django.db.models.lookups import IsNull
from django.db.models.signals import post_delete, post_save, pre_save
from django.db.models.sql.where import AND, WhereNode
from django.utils import timezone
from django_tenants.utils import tenant_context

from configuratie.models import RegionMunicipality
from statistiek.figures import (
    CHANGED,
    COUNTED,
    REQUESTS,
    STAY,
    Selection,
    counted_with_stays,
    month_starts,
    requests_in_cases,
)
from statistiek.models import MonthlyFigure
from workflow.engine import case_written
from workflow.models import (
    Casus,
    Evaluation,
    InformationRequest,
    InvolvedPerson,
    Report,
    RiskAssessment,
    ScreeningOutcome,
    StepTransition,
)
from workflow.models.bulk import writing_in_bulk, written_in_bulk

# Counting a month and removing one take turns per region (short transactions only).
LOCK = "SELECT pg_advisory_xact_lock(hashtext(current_schema()), 26)"
# A month is counted only this long after it ended. A write that began before midnight
# judged its month the current one, which is never stored, so it forgot no figures; if
# it committed after a count of that month had read the cases, the count would be
# stored without it for good. By then every such write has committed (or failed).
SETTLE = timedelta(minutes=10)


def month_of(moment: datetime | None) -> date | None:
    return timezone.localtime(moment).date().replace(day=1) if moment else None


def this_month() -> date:
    return timezone.localdate().replace(day=1)


def months_to_count(now: datetime | None = None) -> list[date]:
    """The finished months since the first report or case without complete figures,
    the last of them ended at least SETTLE before `now`."""
    first = [
        Report.objects.aggregate(first=Min("submitted_at"))["first"],
        Casus.objects.aggregate(first=Min("opened_at"))["first"],
    ]
    first = [moment for moment in first if moment is not None]
    if not first:
        return []
    counted = set(
        MonthlyFigure.objects.filter(figure=COUNTED, municipality="").values_list(
            "month", flat=True
        )
    )
    last = month_of((now or timezone.now()) - SETTLE) - timedelta(days=1)
    return [month for month in month_starts(month_of(min(first)), last) if month not in counted]


def count_month(month: date) -> bool:
    """Counts a finished month for the region and each of its municipalities and stores
    it, unless a case of the month changed since the count began; True when stored."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        began = cursor.fetchone()[0]
    last = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    rows = []
    for municipality in ["", *RegionMunicipality.objects.values_list("code", flat=True)]:
        selection = Selection(month, last, "maand", municipality)
        summed: dict[tuple[str, str, str], int] = defaultdict(int)
        tallies, stays = counted_with_stays(selection, [(selection.since, selection.until)])
        for figure, _period, code, part, n in tallies:
            summed[figure, code or "", part or ""] += n
        seconds = {(str(step), str(priority)): s for _period, step, priority, s in stays}
        rows += [
            MonthlyFigure(
                month=month,
                municipality=municipality,
                figure=figure,
                code=code,
                part=part,
                n=n,
                counted_at=began,
                seconds=seconds[code, part] if figure == STAY else None,
            )
            for (figure, code, part), n in summed.items()
        ]
        rows += [
            MonthlyFigure(
                month=month,
                municipality=municipality,
                figure=REQUESTS,
                code=str(partner),
                part="",
                n=n,
                counted_at=began,
                seconds=days,
            )
            for partner, n, days in requests_in_cases(
                selection, [(selection.since, selection.until)]
            )
        ]
        rows.append(
            MonthlyFigure(
                month=month,
                municipality=municipality,
                figure=COUNTED,
                code="",
                part="",
                n=0,
                counted_at=began,
            )
        )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(LOCK)
        if MonthlyFigure.objects.filter(
            month=month, municipality="", figure=CHANGED, counted_at__gte=began
        ).exists():
            return False
        MonthlyFigure.objects.filter(month=month).exclude(figure=CHANGED).delete()
        MonthlyFigure.objects.bulk_create(rows)
    return True


def refresh() -> int:
    """Counts every finished month that has no complete figures; returns how many."""
    return sum(count_month(month) for month in months_to_count())


def forget(months: set[date], case_ids: set[int], region=None) -> None:
    """Removes the figures of `months` and of the months of the cases `case_ids` (opened,
    closed, their reports received, their evaluations recorded, their information
    requests sent, their steps left), and marks them changed now; in `region` (the one
    the change was made in, whose role may read it: a transaction can commit after its
    code left the region), else the current one."""
    zone = timezone.get_current_timezone_name()
    with (
        tenant_context(region or connection.tenant),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(LOCK)
        cursor.execute(
            """
            WITH touched AS (
                SELECT unnest(%s::date[]) AS month
                UNION SELECT date_trunc('month', opened_at AT TIME ZONE %s)::date
                    FROM workflow_casus WHERE id = ANY(%s)
                UNION SELECT date_trunc('month', closed_at AT TIME ZONE %s)::date
                    FROM workflow_casus WHERE id = ANY(%s) AND closed_at IS NOT NULL
                UNION SELECT date_trunc('month', submitted_at AT TIME ZONE %s)::date
                    FROM workflow_report WHERE casus_id = ANY(%s)
                UNION SELECT date_trunc('month', recorded_at AT TIME ZONE %s)::date
                    FROM workflow_evaluation WHERE casus_id = ANY(%s)
                UNION SELECT date_trunc('month', recorded_at AT TIME ZONE %s)::date
                    FROM workflow_informationrequest WHERE casus_id = ANY(%s)
                UNION SELECT date_trunc('month', left_at AT TIME ZONE %s)::date
                    FROM workflow_steptransition WHERE casus_id = ANY(%s) AND left_at IS NOT NULL
            ), finished AS (
                SELECT month FROM touched WHERE month < %s
            ), removed AS (
                DELETE FROM statistiek_monthlyfigure f USING finished t
                WHERE f.month = t.month AND f.figure <> %s
            )
            INSERT INTO statistiek_monthlyfigure (month, municipality, figure, code, part, n, counted_at)
            SELECT month, '', %s, '', '', 0, clock_timestamp() FROM finished
            ON CONFLICT (month, municipality, figure, code, part)
            DO UPDATE SET counted_at = EXCLUDED.counted_at
            """,
            [
                sorted(months),
                zone,
                sorted(case_ids),
                zone,
                sorted(case_ids),
                zone,
                sorted(case_ids),
                zone,
                sorted(case_ids),
                zone,
                sorted(case_ids),
                zone,
                sorted(case_ids),
                this_month(),
                CHANGED,
                CHANGED,
            ],
        )


def cached(instance: Model, name: str) -> Any:
    """A related object already loaded on `instance`, or None (no query)."""
    field = instance._meta.get_field(name)
    return field.get_cached_value(instance) if field.is_cached(instance) else None


def case_months(casus: Casus) -> set[date | None]:
    return {month_of(casus.opened_at), month_of(casus.closed_at)}


def touched(instance: Model, **signal: Any) -> tuple[set[date | None], set[int]]:
    """The months a saved or deleted row counts in, or the cases to find them from."""
    if isinstance(instance, Casus):
        # The priority decides which deadline each of the case's stays had.
        fields = signal.get("update_fields")
        stays = "priority" in fields if fields is not None else not signal.get("created", True)
        return case_months(instance), {instance.pk} if stays else set()
    if isinstance(instance, StepTransition):
        return {month_of(instance.left_at)}, set()
    if isinstance(instance, Report):
        return {month_of(instance.submitted_at)}, set()
    if isinstance(instance, Evaluation | InformationRequest):
        return {month_of(instance.recorded_at)}, set()
    if isinstance(instance, InvolvedPerson):
        # Where a person lives decides which municipality every figure of the case
        # counts in, its evaluations' months included: found from the case.
        return set(), {instance.casus_id} - {None}
    casus = cached(instance, "casus")
    if casus is not None:
        return case_months(casus), set()
    return set(), {instance.casus_id} - {None}


def changed(instance: Model, **signal: Any) -> None:
    months, case_ids = touched(instance, **signal)
    forget_on_commit(months, case_ids)


def moment_moved(instance: Model, update_fields: Any = None, **_signal: Any) -> None:
    """A row with its own moment saved again may have counted in another month before
    (a report received, an evaluation recorded, a step left, a request sent)."""
    moment = MOMENTS[type(instance)]
    if update_fields is not None and moment not in update_fields:
        return
    if not instance._state.adding and instance.pk is not None:
        before = type(instance).objects.filter(pk=instance.pk).values_list(moment, flat=True)
        forget_on_commit({month_of(moved) for moved in before}, set())


# The moment each row with its own month counts by (the others count by their case's).
MOMENTS = {
    Report: "submitted_at",
    Evaluation: "recorded_at",
    StepTransition: "left_at",
    InformationRequest: "recorded_at",
}


def none_left(node: Any) -> bool:
    """The condition asks for transitions not yet left (the engine's, ending a stay): no
    row it writes counted in a month."""
    if isinstance(node, IsNull):
        column = getattr(node.lhs, "target", None)  # not a column: an expression
        return getattr(column, "name", None) == "left_at" and node.rhs is True
    return (
        isinstance(node, WhereNode)
        and node.connector == AND
        and not node.negated
        and any(none_left(child) for child in node.children)
    )


def writing(queryset: QuerySet, values: dict[str, Any] | None, **_signal: Any) -> None:
    """Rows about to be updated or deleted in bulk: the months they count in now, which
    neither they (deleted) nor their case (a moment moved) tell once written."""
    moment = MOMENTS[queryset.model]
    if queryset.model is StepTransition and none_left(queryset.query.where):
        return
    moments = queryset.order_by().exclude(**{f"{moment}__isnull": True})
    moved = (values or {}).get(moment)
    forget_on_commit(
        {*moments.dates(moment, "month"), month_of(moved if isinstance(moved, datetime) else None)},
        set(),
    )


def forget_on_commit(months: set[date | None], case_ids: set[int]) -> None:
    finished = {month for month in months if month is not None and month < this_month()}
    if finished or case_ids:
        transaction.on_commit(partial(forget, finished, case_ids, connection.tenant))


def changed_in_bulk(
    sender: type[Model], case_ids: frozenset[int], records: list | None = None, **_signal: Any
) -> None:
    if sender is StepTransition:
        # A stay counts in the month it was left only: `writing` forgot the months an
        # update, a delete or a bulk_update found before the write; the engine's ending
        # of a stay forgets none, where forgetting the case would forget its every month.
        forget_on_commit({month_of(record.left_at) for record in records or ()}, set())
    else:
        forget_on_commit(set(), set(case_ids))


def written(casus: Casus, old: dict[str, Any], **_signal: Any) -> None:
    """The engine changed a case: the months of the moments it had count differently
    too (a reopened case leaves the month it was closed in). The engine says what they
    were, so no case read anywhere needs to remember them."""
    forget_on_commit({month_of(old.get(field)) for field in ("opened_at", "closed_at")}, set())


def keep_monthly_figures() -> None:
    """Connects the receivers that remove changed months (from StatistiekConfig.ready):
    they run on writes only, never on a row a page reads."""
    case_written.connect(written, sender=Casus, dispatch_uid="maandcijfers-casus-geschreven")
    for model in MOMENTS:
        pre_save.connect(
            moment_moved, sender=model, dispatch_uid=f"maandcijfers-moment-{model.__name__}"
        )
        writing_in_bulk.connect(writing, sender=model, dispatch_uid=f"maandcijfers-voor-{model}")
    for model in (
        Casus,
        Report,
        InvolvedPerson,
        ScreeningOutcome,
        RiskAssessment,
        Evaluation,
        InformationRequest,
        StepTransition,
    ):
        for signal in (post_save, post_delete):
            signal.connect(changed, sender=model, dispatch_uid=f"maandcijfers-{model.__name__}")
        written_in_bulk.connect(
            changed_in_bulk, sender=model, dispatch_uid=f"maandcijfers-bulk-{model.__name__}"
        )
