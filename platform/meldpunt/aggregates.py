"""Aggregates that PostgreSQL has and Django's ORM does not name."""

from django.db.models import Aggregate, FloatField


class Percentile(Aggregate):
    """PostgreSQL's continuous percentile (interpolated between the two nearest values)."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra) -> None:
        super().__init__(expression, fraction=float(fraction), **extra)


class Median(Percentile):
    """The median (the continuous percentile at 0.5)."""

    def __init__(self, expression, **extra) -> None:
        super().__init__(expression, fraction=0.5, **extra)
