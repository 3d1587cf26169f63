"""The yearly figures for the Nationaal Rapporteur mensenhandel: the registrations with
CoMensha of one year, per form of exploitation and need, and per age group and gender.
Counts only, and each table suppressed as every export is (under 5 shows as <5)."""

from collections import defaultdict

from django.db.models import Case, CharField, Count, Value, When
from django.utils.translation import gettext as _

from accounts.models import User
from statistiek.annual_report import year_selection
from statistiek.exports import ExportFile, export
from statistiek.figures import (
    AGE_BANDS,
    NOT_RECORDED,
    Counts,
    category_rows,
    column_totals,
    comensha_registrations,
    registrations_sent,
    zero_filled,
)
from statistiek.tables import Column, Table
from workflow.models import Gender

EXPORT_NAME = "nationaal-rapporteur"
# The age on the registration, in the statistics' own age groups.
REGISTRATION_AGE_BAND = Case(
    When(age__lt=12, then=Value("0-11")),
    When(age__lt=16, then=Value("12-15")),
    When(age__lt=18, then=Value("16-17")),
    When(age__lt=23, then=Value("18-22")),
    default=Value("23+"),
    output_field=CharField(),
)


def by_age_and_gender(year: int) -> Table:
    found: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for band, gender, n in (
        registrations_sent(year_selection(year))
        .annotate(band=REGISTRATION_AGE_BAND)
        .values_list("band", "gender")
        .annotate(n=Count("pk"))
        .values_list("band", "gender", "n")
    ):
        found[band][gender or NOT_RECORDED] += n
        found[band]["totaal"] += n
    columns = [
        *(Column(code, str(label), part_of="totaal") for code, label in Gender.choices),
        Column("totaal", _("Registraties")),
    ]
    rows = zero_filled(category_rows(found, [(c, str(label)) for c, label in AGE_BANDS]), columns)
    return Table(
        "comensha_leeftijd_gender",
        _("Registraties bij CoMensha per leeftijdsgroep en gender"),
        _("De leeftijd en het gender op de registratie, van registraties verstuurd in het jaar."),
        _("Leeftijd"),
        columns,
        rows,
        column_totals(rows, columns),
        chart_columns=["totaal"],
    )


def rapporteur_tables(year: int) -> list[Table]:
    return [comensha_registrations(Counts(year_selection(year))), by_age_and_gender(year)]


def rapporteur_export(*, actor: User, year: int, region_name: str) -> ExportFile:
    """The year's tables as a workbook, suppressed, with the export's audit line."""
    selection = year_selection(year)
    return export(
        actor=actor,
        tables=rapporteur_tables(year),
        name=EXPORT_NAME,
        fmt="xlsx",
        heading=_("Registraties bij CoMensha %(year)d, %(region)s, voor de Nationaal Rapporteur")
        % {"year": year, "region": region_name},
        selection=selection.describe(),
    )
