"""The filters of the prevention register and the advice log (one FilterSet per list)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from statistiek.models import (
    ActivityKind,
    AdviceRequest,
    AdviceTopic,
    AskerKind,
    PreventionActivity,
    TargetGroup,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActivityFilterSet(django_filters.FilterSet):
    van = django_filters.DateFilter(
        field_name="held_on", lookup_expr="gte", label=_("Vanaf"), widget=DATE
    )
    tot_en_met = django_filters.DateFilter(
        field_name="held_on", lookup_expr="lte", label=_("Tot en met"), widget=DATE
    )
    kind = django_filters.ChoiceFilter(
        choices=ActivityKind.choices, label=_("Soort"), empty_label=_("alle")
    )
    doelgroep = django_filters.ChoiceFilter(
        choices=TargetGroup.choices,
        label=_("Doelgroep"),
        empty_label=_("alle"),
        method="with_target_group",
    )
    municipality = django_filters.ChoiceFilter(label=_("Gemeente"), empty_label=_("alle"))

    class Meta:
        model = PreventionActivity
        fields = ["van", "tot_en_met", "kind", "doelgroep", "municipality"]

    def __init__(self, *args, municipalities=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["municipality"].extra["choices"] = list(municipalities)

    def with_target_group(self, queryset, name, value):
        return queryset.filter(target_groups__contains=[value])


class AdviceFilterSet(django_filters.FilterSet):
    van = django_filters.DateFilter(
        field_name="given_on", lookup_expr="gte", label=_("Vanaf"), widget=DATE
    )
    tot_en_met = django_filters.DateFilter(
        field_name="given_on", lookup_expr="lte", label=_("Tot en met"), widget=DATE
    )
    asker_kind = django_filters.ChoiceFilter(
        choices=AskerKind.choices, label=_("Vrager"), empty_label=_("alle")
    )
    topic = django_filters.ChoiceFilter(
        choices=AdviceTopic.choices, label=_("Onderwerp"), empty_label=_("alle")
    )
    became_report = django_filters.BooleanFilter(
        label=_("Werd een melding"),
        widget=forms.Select(choices=[("", _("alle")), ("true", _("ja")), ("false", _("nee"))]),
    )

    class Meta:
        model = AdviceRequest
        fields = ["van", "tot_en_met", "asker_kind", "topic", "became_report"]
