"""The national benchmark, in the public schema: per participating region and quarter,
one figure per metric, produced in the region's own schema with suppression applied
before it left. Nothing here refers to a case, a person or a region's own tables."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from benchmark.metrics import Metric


class BenchmarkFigure(models.Model):
    region = models.ForeignKey(
        "tenants.Region", on_delete=models.CASCADE, related_name="+", verbose_name=_("regio")
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    quarter = models.PositiveSmallIntegerField(_("kwartaal"))
    metric = models.CharField(_("maatstaf"), max_length=40, choices=Metric.choices)
    # None: the region took part, but the figure came from fewer than 5 and was not given.
    value = models.FloatField(_("waarde"), null=True, blank=True)
    produced_at = models.DateTimeField(_("gemaakt op"), default=timezone.now)

    class Meta:
        ordering = ["year", "quarter", "metric"]
        verbose_name = _("benchmarkcijfer")
        verbose_name_plural = _("benchmarkcijfers")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "quarter", "metric"], name="one_figure_per_quarter"
            )
        ]
        indexes = [models.Index(fields=["year", "quarter", "metric"], name="figure_by_quarter")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}K{self.quarter} {self.metric}"
