"""How a benchmark figure reads: counts whole, medians with one decimal, "<5" for a
figure that was not given because it came from fewer than 5."""

from django import template

from benchmark.metrics import KIND, MetricKind

register = template.Library()


@register.filter
def figure(value, metric) -> str:
    if value is None:
        return "<5"
    if KIND[metric] == MetricKind.COUNT:
        return f"{value:.0f}"
    return f"{value:.1f}".replace(".", ",")
