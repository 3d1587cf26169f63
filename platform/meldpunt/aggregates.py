"""Aggregates that PostgreSQL has and Django's ORM does not name."""

from django.db.models import Aggregate, FloatField


class Median(Aggregate):
    """The median (PostgreSQL's continuous percentile at 0.5)."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()
