"""A case's last activity, stored on the case (`Casus.last_activity_at`) so that process
oversight finds the quiet cases by one column instead of scanning every kind of record.

The engine sets it with every step change it writes; every dated record on a case
(what the services save: each record built on Recorded, a report, a message with the
reporter, a partner's answer or decision) moves it forward when saved or written in
bulk (`workflow.models.bulk`), through the receivers connected here, so a new kind of
record counts without being listed. `recompute_last_activity` derives it again from the
records themselves, and from the cases' opening: the migration that added it, and the
statistics demo, whose cases are written in bulk with their history, use it.
"""

from datetime import datetime
from typing import Any

from django.apps import apps
from django.db import connection
from django.db.models import Model
from django.db.models.signals import post_save
from psycopg2 import sql

from workflow.models.bulk import written_in_bulk

CASE_TABLE = "workflow_casus"


def activity_sources(app_models=None) -> list[tuple[type[Model], str]]:
    """Every dated thing that happens on a case, as (model, date field): each record (a
    model with `casus` and `recorded_at`, which every model built on Recorded has), a
    report, a message with the reporter, a step change, and a partner's answer or
    decision. `app_models` are the workflow app's models (a migration passes its own)."""
    models = {
        model.__name__: model
        for model in app_models or apps.get_app_config("workflow").get_models()
    }
    recorded = [
        (model, "recorded_at")
        for model in models.values()
        if {"casus", "recorded_at"} <= {field.name for field in model._meta.get_fields()}
    ]
    named = [
        ("Report", "submitted_at"),
        ("ReporterMessage", "sent_at"),
        ("StepTransition", "at"),
        ("InformationRequest", "closed_at"),
        ("Referral", "decided_at"),
    ]
    return recorded + [(models[name], field) for name, field in named]


def note_activity(casus_id: int, at: datetime) -> None:
    """Something happened on the case at `at`: its last activity moves forward to it
    (never back: a record dated earlier leaves it)."""
    from workflow.models import Casus

    Casus.objects.filter(pk=casus_id, last_activity_at__lt=at).update(last_activity_at=at)


LATER = sql.SQL(
    "UPDATE {} c SET last_activity_at = s.at FROM (SELECT casus_id, max({}) AS at FROM {} "
    "{} GROUP BY casus_id) s WHERE s.casus_id = c.id AND s.at > c.last_activity_at"
)


def later_activity(
    model: type[Model], field: str, where: sql.Composable | None = None
) -> sql.Composed:
    """The statement that moves each case's last activity forward to its latest `field`
    of `model` (of the cases `where` names, or all)."""
    table = sql.Identifier(model._meta.db_table)
    return LATER.format(
        sql.Identifier(CASE_TABLE), sql.Identifier(field), table, where or sql.SQL("")
    )


def keep_last_activity() -> None:
    """Connects receivers for every activity source (from WorkflowConfig.ready)."""
    for model, field in activity_sources():

        def saved(instance: Model, *, _field: str = field, **_signal: Any) -> None:
            at = getattr(instance, _field)
            if at is not None and instance.casus_id is not None:
                note_activity(instance.casus_id, at)

        def written(
            sender: type[Model], case_ids: frozenset[int], *, _field: str = field, **_signal: Any
        ) -> None:
            statement = later_activity(sender, _field, sql.SQL("WHERE casus_id = ANY(%s)"))
            with connection.cursor() as cursor:
                cursor.execute(statement.as_string(cursor.cursor), [sorted(case_ids)])

        post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"activiteit-{model}")
        written_in_bulk.connect(
            written, sender=model, weak=False, dispatch_uid=f"activiteit-bulk-{model}"
        )


def recompute_last_activity(sources: list[tuple[type[Model], str]], using=connection) -> None:
    """Every case's last activity again from its opening, its step and its records, in
    set-based SQL (one statement per source) in the current schema."""
    opened = sql.SQL("UPDATE {} SET last_activity_at = GREATEST(opened_at, step_entered_at)")
    with using.cursor() as cursor:
        raw = cursor.cursor  # psycopg2's own, which quotes the identifiers
        cursor.execute(opened.format(sql.Identifier(CASE_TABLE)).as_string(raw))
        for model, field in sources:
            cursor.execute(later_activity(model, field).as_string(raw))
