"""Writes to a case's records that pass `save()`: a queryset's `update` and `delete`, and
`bulk_create` and `bulk_update`. What is kept on the case from its records (what it waits
on, its last activity, the cached oversight counts, the monthly figures) is kept by
receivers of `post_save`; those writes send none. So every record on a case gets
`CaseRecordQuerySet` as its manager, which sends `written_in_bulk` with the cases it
wrote, and each keeper answers that signal as it answers a save: a service that writes
in bulk, or one written later, cannot leave a case's kept values behind its records.

A case's deletion removes its records through Django's collector, which passes these
querysets; its records go with it, so there is nothing left to keep."""

from collections.abc import Iterable

from django.db import models
from django.dispatch import Signal

# Sent after the write, in its transaction, with sender=the model, case_ids=a frozenset
# of the cases whose records were written and records=the instances written (a
# bulk_create's or bulk_update's; None after an update or a delete).
written_in_bulk = Signal()
# Sent before an update, a delete or a bulk_update, in its transaction, with sender=the
# model, queryset=the rows about to be written and values=the update's (None for a
# delete or a bulk_update): for a keeper that needs what the rows were, such as the
# month a deleted row counted in.
writing_in_bulk = Signal()


class CaseRecordQuerySet(models.QuerySet):
    """The records of a model with a `casus`; `case_key` is how a row names its case."""

    case_key = "casus_id"

    def case_of(self, record: models.Model) -> int | None:
        return self.cases_of([record])[0]

    def cases_of(self, records: list[models.Model]) -> list[int | None]:
        return [record.casus_id for record in records]

    def written(
        self, case_ids: Iterable[int | None], records: list[models.Model] | None = None
    ) -> None:
        cases = frozenset(pk for pk in case_ids if pk is not None)
        if cases:
            written_in_bulk.send(sender=self.model, case_ids=cases, records=records)

    def cases(self) -> list[int]:
        return list(self.order_by().values_list(self.case_key, flat=True).distinct())

    def update(self, **values) -> int:
        writing_in_bulk.send(sender=self.model, queryset=self, values=values)
        cases = self.cases()
        changed = super().update(**values)
        # A record moved to another case changes what both wait on.
        moved = values.get("casus", values.get("casus_id"))
        self.written([*cases, getattr(moved, "pk", moved)])
        return changed

    update.alters_data = True

    def delete(self) -> tuple[int, dict[str, int]]:
        writing_in_bulk.send(sender=self.model, queryset=self, values=None)
        cases = self.cases()
        deleted = super().delete()
        self.written(cases)
        return deleted

    delete.alters_data = True
    delete.queryset_only = True

    def bulk_create(self, objs: Iterable[models.Model], *args, **kwargs) -> list[models.Model]:
        created = super().bulk_create(objs, *args, **kwargs)
        self.written(self.cases_of(created), created)
        return created

    bulk_create.alters_data = True

    def bulk_update(self, objs: Iterable[models.Model], *args, **kwargs) -> int:
        objs = list(objs)
        writing_in_bulk.send(
            sender=self.model, queryset=self.filter(pk__in=[obj.pk for obj in objs]), values=None
        )
        changed = super().bulk_update(objs, *args, **kwargs)
        self.written(self.cases_of(objs), objs)
        return changed

    bulk_update.alters_data = True


class PlanActionQuerySet(CaseRecordQuerySet):
    """A plan's actions name their case through the plan."""

    case_key = "plan__casus_id"

    def cases_of(self, records: list[models.Model]) -> list[int | None]:
        plan_field = self.model._meta.get_field("plan")
        unread = {record.plan_id for record in records if not plan_field.is_cached(record)}
        read = dict(
            plan_field.related_model.objects.filter(pk__in=unread).values_list("pk", "casus_id")
            if unread
            else ()
        )
        return [
            record.plan.casus_id if plan_field.is_cached(record) else read.get(record.plan_id)
            for record in records
        ]
