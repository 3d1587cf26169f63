"""Reads of a fixed shape whose SQL is compiled once per process, not on every request.

The ORM compiles a queryset to SQL each time it is evaluated: for the case page's
reads (a case by its reference, each kind of record by its case) that was a fifth of
the page's CPU, for statements whose text never changes. A `CompiledRead` builds its
queryset once with marker values in place of what changes (a case's key, a reference),
keeps the SQL, and later runs it with the real values, making the model instances as
the ORM would (`select_related` included). A prefetch of a reverse foreign key one
level deep (a report's persons, a plan's actions) is compiled too: its rows are read by
a statement whose subquery is the read's own, and handed to each instance as
`prefetch_related` would; any other prefetch runs after, as ever.

The SQL names no schema (django-tenants sets the search path), so one compiled form
serves every region. The part of Django's private API used here (the compiler's
`select`, `klass_info` and converters, `RelatedPopulator`) is checked by
`tests/workflow/test_compiled_reads.py`, which compares every registered read's SQL and rows
with those of its freshly compiled queryset.
"""

import copy
import functools
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import ManyToOneRel, Model, Prefetch, QuerySet
from django.db.models.query import ModelIterable, get_related_populators, prefetch_related_objects

M = TypeVar("M", bound=Model)

# Values no real key or text has, so that each is found once among the parameters.
KEY = -7_300_000_001
TEXT = "§compiled-read-marker§"

# Every CompiledRead made, so that a test can hold each against the ORM.
REGISTERED: list["CompiledRead"] = []


class Compiled:
    """A read's SQL, where its values go among the parameters, and how a row becomes an
    instance."""

    def __init__(self, queryset: QuerySet, markers: tuple[Any, ...]) -> None:
        if queryset._iterable_class is not ModelIterable or queryset._known_related_objects:
            raise TypeError("A compiled read makes model instances of a plain queryset.")
        compiler = queryset.query.get_compiler(using=DEFAULT_DB_ALIAS)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        self.slots = tuple(self.slot(marker) for marker in markers)
        self.compiler = compiler
        # The fields' converters and the connection they were asked with (converted).
        self.converters: list = []
        self.converters_of: Any = None
        self.children: list[Child] = []
        lookups = []
        for lookup in queryset._prefetch_related_lookups:
            child = Child.of(queryset, lookup, markers)
            if child is None:
                lookups.append(lookup)
            else:
                self.children.append(child)
        self.prefetch = tuple(lookups)
        klass_info, select = compiler.klass_info, compiler.select
        fields = klass_info["select_fields"]
        self.model: type[Model] = klass_info["model"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [column[0].target.attname for column in select[self.start : self.end]]
        self.related = get_related_populators(klass_info, select, DEFAULT_DB_ALIAS)
        self.annotations = dict(compiler.annotation_col_map)

    def slot(self, marker: Any) -> int:
        slots = [index for index, param in enumerate(self.params) if param == marker]
        if len(slots) != 1:
            raise ValueError(f"The marker {marker!r} is not exactly one of the parameters.")
        return slots[0]

    def rows(self, values: tuple[Any, ...]) -> list[Model]:
        params = self.params.copy()
        for slot, value in zip(self.slots, values, strict=True):
            params[slot] = value
        connection = connections[DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            fetched = cursor.fetchall()
        instances = []
        for row in self.converted(fetched, connection):
            instance = self.model.from_db(
                DEFAULT_DB_ALIAS, self.init_list, row[self.start : self.end]
            )
            for populator in self.related:
                populator.populate(row, instance)
            for name, position in self.annotations.items():
                setattr(instance, name, row[position])
            instances.append(instance)
        if instances:
            for child in self.children:
                child.attach(instances, values)
        if self.prefetch and instances:
            prefetch_related_objects(instances, *map(fresh, self.prefetch))
        return instances

    def converted(self, fetched: list[tuple], connection: Any) -> list[list] | list[tuple]:
        """The rows with the fields' converters applied (decryption among them), as the
        compiler's results_iter does; the converters are asked once per connection."""
        if self.converters_of is not connection:
            compiler = copy.copy(self.compiler)
            compiler.connection = connection
            fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
            self.converters = list(compiler.get_converters(fields).items())
            self.converters_of = connection
        if not self.converters:
            return fetched
        rows = []
        for row in map(list, fetched):
            for position, (converters, expression) in self.converters:
                value = row[position]
                for converter in converters:
                    value = converter(value, expression, connection)
                row[position] = value
            rows.append(row)
        return rows


class Child:
    """A reverse foreign key prefetched one level deep (`reports.persons`), read with the
    parent read's values: `… WHERE report_id IN (the parent read's SQL)`, its rows given
    to each parent as prefetch_related gives them (the manager's queryset, its result
    cache filled, and each row's foreign key pointing at its parent)."""

    def __init__(self, name: str, relation: ManyToOneRel, compiled: Compiled) -> None:
        self.name = name
        self.attname = relation.field.attname
        self.field = relation.field
        self.compiled = compiled

    @classmethod
    def of(cls, queryset: QuerySet, lookup: Any, markers: tuple[Any, ...]) -> "Child | None":
        name = lookup.prefetch_through if isinstance(lookup, Prefetch) else lookup
        if isinstance(lookup, Prefetch) and lookup.to_attr:
            return None
        if "__" in name:
            return None
        relation = queryset.model._meta.get_field(name)
        if not isinstance(relation, ManyToOneRel) or relation.many_to_many:
            return None
        if relation.get_accessor_name() != name:
            return None
        rows = (
            lookup.queryset
            if isinstance(lookup, Prefetch) and lookup.queryset is not None
            else relation.related_model._default_manager.all()
        )
        if rows._prefetch_related_lookups:
            return None
        parents = queryset.prefetch_related(None).order_by().values("pk")
        rows = rows.filter(**{f"{relation.field.name}__in": parents})
        if not rows.query.order_by and not rows.query.get_meta().ordering:
            # prefetch_related leaves it to the database; the key's order is the same
            # whatever plan the statement gets.
            rows = rows.order_by("pk")
        return cls(name, relation, Compiled(rows, markers))

    def attach(self, parents: list[Model], values: tuple[Any, ...]) -> None:
        found: dict[Any, list[Model]] = {}
        for row in self.compiled.rows(values):
            found.setdefault(getattr(row, self.attname), []).append(row)
        for parent in parents:
            rows = found.get(parent.pk, [])
            for row in rows:
                self.field.set_cached_value(row, parent)
            related = getattr(parent, self.name).get_queryset()
            related._result_cache = rows
            related._prefetch_done = True
            if not hasattr(parent, "_prefetched_objects_cache"):
                parent._prefetched_objects_cache = {}
            parent._prefetched_objects_cache[self.name] = related


def fresh(lookup: Any) -> Any:
    """A Prefetch with a queryset of its own: prefetching gives the queryset the first
    instance as a hint, which a shared one would keep (and with it a decrypted record of
    the last request, of any region)."""
    if isinstance(lookup, Prefetch) and lookup.queryset is not None:
        lookup = copy.copy(lookup)
        lookup.queryset = lookup.queryset.all()
    return lookup


class CompiledRead(Generic[M]):
    """`build(*markers)` is the queryset (markers: KEY, the default, for a key; TEXT for
    a text); calling the read with values runs its SQL, compiled once per process, with
    the values in the markers' places, and gives the instances."""

    def __init__(self, build: Callable[..., "QuerySet[M]"], *markers: Any) -> None:
        self.build = build
        self.markers = markers or (KEY,)
        REGISTERED.append(self)

    @functools.cached_property
    def compiled(self) -> Compiled:
        return Compiled(self.build(*self.markers), self.markers)

    def __call__(self, *values: Any) -> list[M]:
        return self.compiled.rows(values)  # type: ignore[return-value]
