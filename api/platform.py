"""The platform domain's API, for national administrators: the regions, and the
national benchmark (aggregates only, per quarter, the regions side by side)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.policy import Action, require
from api.pagination import Pagination
from api.schema import errors
from benchmark import services
from benchmark.metrics import Metric
from tenants.models import Region

PLATFORM = ["platform"]


class RegionSerializer(serializers.ModelSerializer):
    domains = serializers.SlugRelatedField(slug_field="domain", many=True, read_only=True)

    class Meta:
        model = Region
        fields = ["slug", "name", "preset", "is_suspended", "suspended_at", "created_at"]
        fields += ["domains"]


class Regions(APIView):
    pagination_class = Pagination

    @extend_schema(
        tags=PLATFORM,
        summary="De aangesloten regio's (alleen landelijk beheerders)",
        responses={200: RegionSerializer(many=True), **errors()},
    )
    def get(self, request: Request) -> Response:
        require(request.user, Action.MANAGE_REGIONS)
        paginator = self.pagination_class()
        regions = Region.objects.regions().prefetch_related("domains").order_by("name", "pk")
        page = paginator.paginate_queryset(regions, request, view=self)
        return paginator.get_paginated_response(RegionSerializer(page, many=True).data)


class SummarySerializer(serializers.Serializer):
    metric = serializers.ChoiceField(choices=Metric.choices)
    kind = serializers.CharField()
    median = serializers.FloatField(
        allow_null=True, help_text="Leeg zolang minder dan 5 regio's een waarde gaven."
    )
    lower_quartile = serializers.FloatField(allow_null=True, help_text="Het 25e percentiel.")
    upper_quartile = serializers.FloatField(allow_null=True, help_text="Het 75e percentiel.")
    regions = serializers.IntegerField(
        allow_null=True,
        help_text="Aantal regio's met een waarde; leeg zolang dat er minder dan 5 zijn.",
    )


class RegionFiguresSerializer(serializers.Serializer):
    name = serializers.CharField()
    values = serializers.SerializerMethodField()

    def get_values(self, figures) -> dict[str, float | None]:
        return {str(metric): value for metric, value in figures.values}


class BenchmarkSerializer(serializers.Serializer):
    quarters = serializers.ListField(
        child=serializers.CharField(), help_text="Kwartalen met cijfers, nieuwste eerst."
    )
    quarter = serializers.CharField(allow_null=True)
    summaries = SummarySerializer(many=True)
    regions = RegionFiguresSerializer(many=True, help_text="Een pagina van de regio's (`pagina`).")
    aantal = serializers.IntegerField()
    pagina = serializers.IntegerField()
    paginas = serializers.IntegerField()


class Benchmark(APIView):
    @extend_schema(
        tags=PLATFORM,
        summary="De landelijke benchmark van een kwartaal: mediaan, kwartielen en de regio's naast elkaar",
        parameters=[
            OpenApiParameter(
                "kwartaal", str, description="Bijvoorbeeld 2025-3; leeg: het nieuwste."
            ),
            OpenApiParameter("pagina", int, description="Pagina van de regio's."),
        ],
        responses={200: BenchmarkSerializer, **errors()},
    )
    def get(self, request: Request) -> Response:
        require(request.user, Action.VIEW_NATIONAL_BENCHMARK)
        available = services.quarters()
        chosen = services.chosen_quarter(request.query_params.get("kwartaal", ""), available)
        page = (
            services.regions_side_by_side(*chosen, request.query_params.get("pagina", 1))
            if chosen
            else None
        )
        data = {
            "quarters": [f"{year}-{quarter}" for year, quarter in available],
            "quarter": f"{chosen[0]}-{chosen[1]}" if chosen else None,
            "summaries": services.summaries(*chosen) if chosen else [],
            "regions": page.object_list if page else [],
            "aantal": page.paginator.count if page else 0,
            "pagina": page.number if page else 1,
            "paginas": page.paginator.num_pages if page else 1,
        }
        return Response(BenchmarkSerializer(data).data)
