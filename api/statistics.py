"""The region's statistics as data: the tables of the statistics room for a selection
(period, grouping, municipality), with the suppression every export has and an audit
line per request, as an export. Aggregates only: never a case or a person."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.policy import Action, require
from api.schema import errors
from statistiek.exports import ALL_REGION_TABLES, exported_tables
from statistiek.figures import GRAIN_CHOICES, region_tables
from statistiek.selection import SelectionForm
from statistiek.tables import Kind


class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=[(kind.value, kind.value) for kind in Kind])


CELLS = serializers.DictField(
    child=serializers.JSONField(allow_null=True),
    help_text="Per kolom een getal, `<5` (onderdrukt) of null.",
)


class RowSerializer(serializers.Serializer):
    label = serializers.CharField()
    key = serializers.CharField()
    values = CELLS


class TableSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    explanation = serializers.CharField()
    row_header = serializers.CharField()
    columns = ColumnSerializer(many=True)
    rows = RowSerializer(many=True)
    total = serializers.DictField(child=serializers.JSONField(allow_null=True), allow_null=True)


class SelectionSerializer(serializers.Serializer):
    van = serializers.DateField()
    tot_en_met = serializers.DateField()
    indeling = serializers.CharField()
    gemeente = serializers.CharField(allow_blank=True)


class StatisticsSerializer(serializers.Serializer):
    selectie = SelectionSerializer()
    tabellen = TableSerializer(many=True)


class Statistics(APIView):
    @extend_schema(
        tags=["statistiek"],
        summary="De tabellen van de statistiek van de regio, met onderdrukking van kleine aantallen",
        parameters=[
            OpenApiParameter("van", OpenApiTypes.DATE, description="Begindatum."),
            OpenApiParameter(
                "tot_en_met", OpenApiTypes.DATE, description="Einddatum (tot en met)."
            ),
            OpenApiParameter("indeling", str, enum=[code for code, _label in GRAIN_CHOICES]),
            OpenApiParameter("gemeente", str, description="CBS-code; leeg: de hele regio."),
        ],
        responses={200: StatisticsSerializer, **errors(400)},
    )
    def get(self, request: Request) -> Response:
        require(request.user, Action.VIEW_STATISTICS)
        form = SelectionForm(request.query_params)
        selection = form.selection()
        if selection is None:
            raise serializers.ValidationError(form.errors)
        tables = exported_tables(
            actor=request.user,
            tables=region_tables(selection),
            name=ALL_REGION_TABLES,
            selection=selection.describe(),
        )
        return Response(
            StatisticsSerializer({"selectie": selection.describe(), "tabellen": tables}).data
        )
