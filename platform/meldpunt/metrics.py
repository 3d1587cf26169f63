"""django-prometheus' request metrics (docs/operations.md), each labelled series looked up once.

Its last middleware asks prometheus_client for a labelled series seven times a request,
and each ask checks the label names, turns every value into text and takes a lock. The
series never go away, so each is kept here by its metric and labels after the first ask.
"""

from typing import Any

from django.http import HttpRequest
from django_prometheus import middleware


class PrometheusAfterMiddleware(middleware.PrometheusAfterMiddleware):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.series: dict[tuple, Any] = {}

    def label_metric(self, metric: Any, request: HttpRequest, response=None, **labels: str) -> Any:
        if not labels:
            return metric
        key = (metric, *labels.items())
        series = self.series.get(key)
        if series is None:
            series = self.series[key] = metric.labels(**labels)
        return series
