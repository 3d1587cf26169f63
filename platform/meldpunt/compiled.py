"""Reads of a fixed shape whose SQL is compiled once per process, not on every request.

The ORM compiles a queryset to SQL each time it is evaluated: for the case page's
reads (a case by its reference, each kind of record by its case) that was a fifth of
the page's CPU, for statements whose text never changes. A `CompiledRead` builds its
queryset once with marker values in place of what changes (a case's key, a reference),
keeps the SQL, and later runs it with the real values, making the model instances as
the ORM would (`select_related` included; `prefetch_related` runs after, as ever).

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
from django.db.models import Model, Prefetch, QuerySet
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
        self.prefetch = tuple(queryset._prefetch_related_lookups)
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
        # The compiler applies the fields' converters (decryption among them), with this
        # thread's connection.
        compiler = copy.copy(self.compiler)
        compiler.connection = connection
        instances = []
        for row in compiler.results_iter([fetched]):
            instance = self.model.from_db(
                DEFAULT_DB_ALIAS, self.init_list, row[self.start : self.end]
            )
            for populator in self.related:
                populator.populate(row, instance)
            for name, position in self.annotations.items():
                setattr(instance, name, row[position])
            instances.append(instance)
        if self.prefetch and instances:
            prefetch_related_objects(instances, *map(fresh, self.prefetch))
        return instances


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
