"""Statistics of the prevention register and the advice log: activities, people
reached and advice, by period, kind, target group, municipality, asker and topic."""

from collections import defaultdict

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Trunc
from django.utils.translation import gettext as _

from meldpunt.aggregates import Median
from statistiek.figures import (
    GRAINS,
    OUTSIDE,
    Selection,
    category_rows,
    column_totals,
    period_label,
    period_starts,
    region_municipalities,
    zero_filled,
)
from statistiek.models import (
    ActivityKind,
    AdviceRequest,
    AdviceTopic,
    AskerKind,
    PreventionActivity,
    TargetGroup,
)
from statistiek.tables import Column, Kind, Row, Table


def activities(selection: Selection) -> QuerySet[PreventionActivity]:
    found = PreventionActivity.objects.filter(
        held_on__gte=selection.start, held_on__lte=selection.end
    )
    return found.filter(municipality=selection.municipality) if selection.municipality else found


def advice(selection: Selection) -> QuerySet[AdviceRequest]:
    found = AdviceRequest.objects.filter(given_on__gte=selection.start, given_on__lte=selection.end)
    return found.filter(municipality=selection.municipality) if selection.municipality else found


def activity_columns() -> list[Column]:
    return [Column("n", _("Activiteiten")), Column("bereikt", _("Bereikte personen"))]


def activity_counts(queryset: QuerySet, field: str) -> dict[str, dict[str, int]]:
    return {
        (code or ""): {"n": n, "bereikt": reached or 0}
        for code, n, reached in queryset.values_list(field)
        .annotate(n=Count("pk"), reached=Sum("people_reached"))
        .values_list(field, "n", "reached")
    }


def activity_table(slug: str, title: str, row_header: str, counts, categories, empty="") -> Table:
    columns = activity_columns()
    rows = zero_filled(category_rows(counts, categories, empty), columns)
    return Table(
        slug,
        title,
        _("Preventieactiviteiten gehouden in de periode, en hoeveel mensen ze bereikten."),
        row_header,
        columns,
        rows,
        column_totals(rows, columns),
    )


def activities_per_period(selection: Selection) -> Table:
    kind = GRAINS[selection.grain]
    found = {
        row["period"]: row
        for row in activities(selection)
        .annotate(period=Trunc("held_on", kind))
        .values("period")
        .annotate(n=Count("pk"), bereikt=Sum("people_reached"))
    }
    columns = activity_columns()
    rows = [
        Row(
            label=period_label(start, selection.grain),
            key=start.isoformat(),
            values={
                "n": found.get(start, {}).get("n", 0),
                "bereikt": found.get(start, {}).get("bereikt") or 0,
            },
        )
        for start in period_starts(selection)
    ]
    return Table(
        "preventie_per_periode",
        _("Preventieactiviteiten per periode"),
        _("Preventieactiviteiten gehouden in de periode, en hoeveel mensen ze bereikten."),
        _("Periode"),
        columns,
        rows,
        column_totals(rows, columns),
        chart="line",
    )


def activities_per_kind(selection: Selection) -> Table:
    return activity_table(
        "preventie_soort",
        _("Preventieactiviteiten per soort"),
        _("Soort"),
        activity_counts(activities(selection), "kind"),
        list(ActivityKind.choices),
    )


def activities_per_target_group(selection: Selection) -> Table:
    """An activity can reach several groups: the rows do not add up."""
    sql, params = activities(selection).values("target_groups").order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT grp, COUNT(*) FROM (SELECT unnest(q.target_groups) AS grp "  # noqa: S608
            f"FROM ({sql}) q) g GROUP BY grp",
            params,
        )
        counts = {group: {"n": n} for group, n in cursor.fetchall()}
    columns = [Column("n", _("Activiteiten voor deze doelgroep"))]
    return Table(
        "preventie_doelgroep",
        _("Preventieactiviteiten per doelgroep"),
        _("Een activiteit kan meer doelgroepen hebben; de rijen tellen dus niet op."),
        _("Doelgroep"),
        columns,
        zero_filled(category_rows(counts, list(TargetGroup.choices)), columns),
    )


def activities_per_municipality(selection: Selection) -> Table:
    own = dict(region_municipalities())
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for code, values in activity_counts(activities(selection), "municipality").items():
        target = code if code in own or not code else OUTSIDE
        for key, n in values.items():
            counts[target][key] += n
    return activity_table(
        "preventie_gemeente",
        _("Preventieactiviteiten per gemeente"),
        _("Gemeente"),
        counts,
        [*own.items(), (OUTSIDE, _("gemeente buiten de regio"))],
        _("regionaal of onbekend"),
    )


def advice_columns() -> list[Column]:
    return [
        Column("n", _("Adviesvragen")),
        Column("melding", _("Werd een melding"), part_of="n"),
        Column("advies", _("Bleef bij advies"), part_of="n"),
        Column("minuten", _("Mediaan bestede tijd (minuten)"), Kind.MEDIAN, base="n"),
    ]


def advice_table(
    slug: str, title: str, row_header: str, field: str, selection, categories
) -> Table:
    became = Q(became_report=True)
    counts = {
        code: {"n": n, "melding": reported, "advies": n - reported, "minuten": minutes}
        for code, n, reported, minutes in advice(selection)
        .values_list(field)
        .annotate(
            n=Count("pk"), reported=Count("pk", filter=became), minutes=Median("minutes_spent")
        )
        .values_list(field, "n", "reported", "minutes")
    }
    columns = advice_columns()
    rows = zero_filled(category_rows(counts, categories), columns)
    return Table(
        slug,
        title,
        _("Adviesvragen zonder melding in de periode, en hoeveel er later een melding werden."),
        row_header,
        columns,
        rows,
        column_totals(rows, columns),
        chart_columns=["melding", "advies"],
    )


def advice_per_asker(selection: Selection) -> Table:
    return advice_table(
        "advies_vrager",
        _("Adviesvragen per soort vrager"),
        _("Vrager"),
        "asker_kind",
        selection,
        list(AskerKind.choices),
    )


def advice_per_topic(selection: Selection) -> Table:
    return advice_table(
        "advies_onderwerp",
        _("Adviesvragen per onderwerp"),
        _("Onderwerp"),
        "topic",
        selection,
        list(AdviceTopic.choices),
    )


PREVENTION_TABLES = {
    "preventie_per_periode": activities_per_period,
    "preventie_soort": activities_per_kind,
    "preventie_doelgroep": activities_per_target_group,
    "preventie_gemeente": activities_per_municipality,
    "advies_vrager": advice_per_asker,
    "advies_onderwerp": advice_per_topic,
}


def prevention_tables(selection: Selection) -> list[Table]:
    return [build(selection) for build in PREVENTION_TABLES.values()]
