"""The filters of the audit log screen: user, person, case, action and period."""

import re
from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from audit.models import AuditAction, AuditEntry
from audit.services import known_reference
from workflow.models.cases import REFERENCE_FORM

RECORD_NUMBER_FORM = re.compile(r"[0-9]{1,18}")


def start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time()))


class AuditFilterSet(django_filters.FilterSet):
    user = django_filters.ChoiceFilter(
        label=_("Gebruiker"), field_name="user_id", empty_label=_("alle gebruikers")
    )
    person = django_filters.CharFilter(
        label=_("Betrokkene (nummer)"), field_name="person_id", method="filter_exact"
    )
    case = django_filters.CharFilter(
        label=_("Casus (code)"), field_name="case_id", method="filter_case"
    )
    action = django_filters.ChoiceFilter(
        label=_("Handeling"), choices=AuditAction.choices, empty_label=_("alle handelingen")
    )
    start = django_filters.DateFilter(
        label=_("Van (datum)"),
        method="filter_start",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = django_filters.DateFilter(
        label=_("Tot en met (datum)"),
        method="filter_end",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    class Meta:
        model = AuditEntry
        fields: list[str] = []

    def __init__(self, data=None, *args, **kwargs) -> None:
        super().__init__(data, *args, **kwargs)
        self.filters["user"].extra["choices"] = [
            (str(pk), email) for pk, email in User.objects.values_list("pk", "email")
        ]

    def filter_exact(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(**{name: value.strip()}) if value.strip() else queryset

    def filter_case(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return self.filter_exact(queryset, name, value.upper())

    def filter_start(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(at__gte=start_of(value))

    def filter_end(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(at__lt=start_of(value + timedelta(days=1)))

    def chosen(self) -> dict[str, str]:
        """The filters in use, as codes for the audit line of this read: a typed case
        code or person number only when it has that form (it may be a name)."""
        if not self.is_valid():
            return {}
        typed_forms = {"case": REFERENCE_FORM, "person": RECORD_NUMBER_FORM}
        return {
            key: known_reference(str(value).strip().upper(), typed_forms[key])
            if key in typed_forms
            else str(value)
            for key, value in self.form.cleaned_data.items()
            if value not in (None, "")
        }
