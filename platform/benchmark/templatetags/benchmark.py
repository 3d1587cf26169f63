"""How a benchmark figure reads: counts whole, medians with one decimal, and a figure that
was not given (it came from fewer than 5) says so in words, so that a suppressed median of
days cannot be read as "under 5 days"."""

from django import template
from django.utils.translation import gettext as _

from benchmark.metrics import KIND, MetricKind

register = template.Library()


@register.filter
def figure(value, metric) -> str:
    if value is None:
        if KIND[metric] == MetricKind.COUNT:
            return _("minder dan 5")
        return _("niet gegeven (minder dan 5 gevallen)")
    if KIND[metric] == MetricKind.COUNT:
        return f"{value:.0f}"
    return f"{value:.1f}".replace(".", ",")
