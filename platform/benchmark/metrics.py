"""What the benchmark compares: one figure per metric per region per quarter. No two
metrics add up to a third, so no suppressed figure can be recomputed from others."""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

MINIMUM = 5  # no figure from fewer cases (or reports, activities) than this is stored
# No national figure from fewer regions than this: with fewer, a region that knows its own
# figure could read another region's from the median or the range, or derive it.
MINIMUM_REGIONS = 5


class MetricKind(StrEnum):
    COUNT = "count"
    MEDIAN_DAYS = "median_days"


class Metric(models.TextChoices):
    REPORTS = "meldingen", _("Meldingen")
    CASES_OPENED = "casussen_geopend", _("Casussen geopend")
    CASES_CLOSED = "casussen_afgesloten", _("Casussen afgesloten")
    DAYS_TO_SCREENING = "dagen_tot_screening", _("Mediaan dagen tot de screeningsuitkomst")
    DAYS_TO_CLOSING = "dagen_tot_afsluiting", _("Mediaan doorlooptijd tot afsluiting (dagen)")
    INFORMATION_RESPONSE = (
        "reactietijd_informatie",
        _("Mediaan reactietijd op informatieverzoeken (dagen)"),
    )
    PREVENTION_ACTIVITIES = "preventieactiviteiten", _("Preventieactiviteiten")
    PEOPLE_REACHED = "bereikte_personen", _("Bereikte personen met preventie")
    ADVICE = "adviesvragen", _("Adviesvragen")


KIND = {
    Metric.REPORTS: MetricKind.COUNT,
    Metric.CASES_OPENED: MetricKind.COUNT,
    Metric.CASES_CLOSED: MetricKind.COUNT,
    Metric.DAYS_TO_SCREENING: MetricKind.MEDIAN_DAYS,
    Metric.DAYS_TO_CLOSING: MetricKind.MEDIAN_DAYS,
    Metric.INFORMATION_RESPONSE: MetricKind.MEDIAN_DAYS,
    Metric.PREVENTION_ACTIVITIES: MetricKind.COUNT,
    Metric.PEOPLE_REACHED: MetricKind.COUNT,
    Metric.ADVICE: MetricKind.COUNT,
}
