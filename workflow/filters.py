"""The filters of the case list, one FilterSet for the screen and the API alike.

Open cases by default, the nearest deadline first, in the order an index serves; a
search finds a case or report code exactly, or a person by full name, first name,
surname or birth year, and a school, each through its own keyed index, so nothing is
decrypted to search.
"""

import functools
import re

import django_filters
from django import forms
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters.constants import EMPTY_VALUES

from configuratie.models import (
    CatalogueEntry,
    CatalogueKind,
    DefinitionStatus,
    Priority,
    WorkflowDefinition,
)
from configuratie.version import built_from_configuration, configuration_version
from meldpunt.encryption import blind_index, normalise
from workflow.models import Casus, InvolvedPerson, Report, surname_core
from workflow.oversight import signal_choices, signal_condition

YEAR = re.compile(r"^(19|20)\d\d$")


class Status:
    OPEN = "open"
    COMPLETED = "afgerond"
    ALL = "alle"
    CHOICES = [(OPEN, _("lopend")), (COMPLETED, _("afgerond")), (ALL, _("alle"))]
    # Running cases by the nearest deadline, finished ones the latest first; each order
    # is one an index of Casus serves.
    DEFAULT_ORDER = {
        OPEN: ("deadline_at", "id"),
        COMPLETED: ("-completed_at", "-id"),
        ALL: ("-opened_at", "-id"),
    }


def overdue() -> Q:
    return Q(deadline_at__lt=timezone.now(), completed_at__isnull=True)


CODE = re.compile(r"^(\d{4}-\d{5,}|M-[A-Z0-9]{4}-[A-Z0-9]{4})$")


def searches_a_person(text: str) -> bool:
    """True unless `text` is a case or report code: the audit log then records a search
    on a person (without what was typed)."""
    return not CODE.match(text.strip().upper())


def name_words(text: str) -> list[str]:
    """The words of a typed name as the blind indexes were made of them."""
    return normalise(text).replace("'", "").split()


def name_lookups(words: list[str]) -> list[tuple[str, str]]:
    """The (blind index, digest) pairs that find persons whose full name is `words`; one
    word is also a first name or a surname, and several words also a surname, with or
    without its particles ("van der")."""
    digest = blind_index(" ".join(words))
    if len(words) == 1:
        return [("name_index", digest), ("first_name_index", digest), ("last_name_index", digest)]
    return [("name_index", digest), ("last_name_index", blind_index(surname_core(words)))]


def person_named(words: list[str]) -> Q:
    """Persons whose full name is `words` (name_lookups)."""
    named = Q()
    for index, digest in name_lookups(words):
        named |= Q(**{index: digest})
    return named


def search_condition(text: str) -> Q:
    """Cases whose code or a report's code is `text`; or, for anything else, with a
    person or school that `text` names exactly (in any case, with or without a
    surname's particles); a four-digit year is a birth year.

    A code and a name never look alike, so the two are separate searches. Each is a
    subquery of the one statement that lists the cases (never a list of ids sent back
    and forth), answered through its keyed index."""
    if not searches_a_person(text):
        code = text.strip().upper()
        reported = Report.objects.filter(follow_code=code).values("casus_id")
        return Q(pk__in=reported.union(Casus.objects.filter(reference=code).values("pk")))
    words = name_words(text)
    years = [int(word) for word in words if YEAR.match(word)]
    names = [word for word in words if not YEAR.match(word)]
    if not words:
        return Q(pk__in=[])
    persons = InvolvedPerson.objects.all()
    if years:
        persons = persons.filter(birth_year=years[0])
    if not names:
        return Q(pk__in=persons.values("casus_id"))
    # One lookup per keyed index, put together with UNION ALL: each is answered from its
    # index alone (it holds the case), where one OR of the four visits the table for
    # every person found.
    lookups = [*name_lookups(names), ("school_index", blind_index(" ".join(names)))]
    first, *rest = (
        persons.filter(**{index: digest}).values("casus_id") for index, digest in lookups
    )
    return Q(pk__in=first.union(*rest, all=True))


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """The choices of the step, priority and case type filters: the active process's
    steps and the region's priorities and case types, read once per configuration
    version (cached) instead of three queries per list."""
    return built_from_configuration("casusfilters", read_filter_choices)


def read_filter_choices() -> dict[str, list[tuple[str, str]]]:
    active = WorkflowDefinition.objects.filter(status=DefinitionStatus.ACTIVE).first()
    case_types = CatalogueEntry.objects.filter(catalogue=CatalogueKind.CASE_TYPE, is_active=True)
    return {
        "step": [(step.code, step.name) for step in (active.steps.all() if active else [])],
        "priority": [(priority.code, priority.name) for priority in Priority.objects.all()],
        "case_type": [(entry.code, entry.name) for entry in case_types],
    }


class CaseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Zoeken"),
        method="filter_search",
        help_text=_(
            "Casuscode of meldcode; of de naam (voornaam, achternaam of volledig), het geboortejaar of de school van een betrokkene."
        ),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.CHOICES, method="filter_status", empty_label=None
    )
    step = django_filters.ChoiceFilter(
        label=_("Stap"), field_name="current_step__code", empty_label=_("alle stappen")
    )
    priority = django_filters.ChoiceFilter(
        label=_("Prioriteit"), field_name="priority__code", empty_label=_("alle prioriteiten")
    )
    case_type = django_filters.ChoiceFilter(
        label=_("Casustype"), field_name="case_type", empty_label=_("alle casustypen")
    )
    overdue = django_filters.BooleanFilter(
        label=_("Alleen over de termijn"), method="filter_overdue", widget=forms.CheckboxInput
    )
    signaal = django_filters.ChoiceFilter(
        label=pgettext_lazy("procesregie", "Signaal"),
        choices=signal_choices,
        method="filter_signal",
        empty_label=_("geen"),
        help_text=_("Wat de procesregie volgt: de casussen waarvoor dit signaal geldt."),
    )
    mine = django_filters.BooleanFilter(
        label=_("Alleen mijn casussen (casuscoördinator)"),
        method="filter_mine",
        widget=forms.CheckboxInput,
    )
    order = django_filters.OrderingFilter(
        label=_("Sorteren"),
        fields=(
            ("deadline_at", "termijn"),
            ("reference", "casus"),
            ("opened_at", "geopend"),
            ("step_entered_at", "in_stap"),
        ),
        field_labels={
            "deadline_at": _("termijn"),
            "reference": _("casuscode"),
            "opened_at": _("geopend op"),
            "step_entered_at": _("in de stap sinds"),
        },
        empty_label=None,
        null_label=None,
    )

    class Meta:
        model = Casus
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None) -> None:
        # As django-filter's, without its deep copy of every filter (and so of every
        # form field and its choices) per list: the filters, with this configuration's
        # choices, and their form class are made once per process and configuration
        # version (prepared_filters) and only read here.
        data = data.copy() if data is not None else {}
        data.setdefault("status", Status.OPEN)
        self.is_bound, self.data = True, data
        self.queryset = queryset if queryset is not None else Casus.objects.all()
        self.request, self.form_prefix = request, prefix
        self.filters, self.form_class = prepared_filters(
            connection.schema_name, configuration_version()
        )

    def get_form_class(self) -> type[forms.Form]:
        return self.form_class

    def filter_queryset_by_form(self, queryset: QuerySet) -> QuerySet:
        """django-filter's filter_queryset, calling a filter's method on this FilterSet:
        the shared filters' `parent` is the FilterSet that prepared them, not this one."""
        for name, value in self.form.cleaned_data.items():
            chosen = self.filters[name]
            if chosen.method is None:
                queryset = chosen.filter(queryset, value)
            elif value not in EMPTY_VALUES:
                queryset = getattr(self, chosen.method)(queryset, chosen.field_name, value)
        return queryset

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(search_condition(value)) if value.strip() else queryset

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == Status.OPEN:
            return queryset.filter(completed_at__isnull=True)
        if value == Status.COMPLETED:
            return queryset.filter(completed_at__isnull=False)
        return queryset

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(overdue()) if value else queryset

    def filter_signal(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(signal_condition(value, self.request.user)) if value else queryset

    def filter_mine(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(coordinator=self.request.user) if value else queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        """The chosen order (or the status's own), with the key as the last tie-breaker,
        in the same direction, so every page is stable and an index serves it."""
        filtered = self.filter_queryset_by_form(queryset)
        chosen = [key for key in filtered.query.order_by if key.lstrip("-") != "id"]
        if not chosen:
            status = self.form.cleaned_data.get("status") or Status.OPEN
            return filtered.order_by(*Status.DEFAULT_ORDER[status])
        return filtered.order_by(*chosen, "-id" if chosen[-1].startswith("-") else "id")


class SharedFields(dict):
    """A form class's fields that its forms share instead of deep-copying them (a form
    copies its class's fields so that one form's changes stay its own; nothing changes
    the filter form's fields after prepared_filters made them)."""

    def __deepcopy__(self, memo: dict) -> "SharedFields":
        return self


@functools.lru_cache(maxsize=256)
def prepared_filters(schema: str, version: str) -> tuple[dict, type[forms.Form]]:
    """The case filters with the choices of `schema`'s configuration `version` (the
    current region's: the arguments are the key), and the form class of their fields,
    made once per process: django-filter deep-copied every filter and made a form class
    on every list (a tenth of its CPU)."""
    prepared = CaseFilterSet.__new__(CaseFilterSet)
    django_filters.FilterSet.__init__(prepared, queryset=Casus.objects.none())
    for name, choices in filter_choices().items():
        prepared.filters[name].extra["choices"] = choices
    form_class = django_filters.FilterSet.get_form_class(prepared)
    form_class.base_fields = SharedFields(form_class.base_fields)
    return prepared.filters, form_class
