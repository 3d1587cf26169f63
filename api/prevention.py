"""The prevention register (spearhead 2): the activities, filtered and paged as on the
register's screen (an audited read), and recording one through the same service."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.policy import Action, require
from api.fields import BoundedListField, BoundedRelatedIds
from api.pagination import Pagination, page_response
from api.permissions import asks
from api.schema import errors, with_body
from configuratie.gemeenten import municipalities
from configuratie.models import Partner
from statistiek.figures import region_municipalities
from statistiek.filters import ActivityFilterSet
from statistiek.models import ActivityKind, PreventionActivity, TargetGroup
from statistiek.selectors import register_page
from statistiek.services import save_activity

PREVENTION = ["preventie"]


class ActivitySerializer(serializers.ModelSerializer):
    partners = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = PreventionActivity
        fields = ["id", "held_on", "kind", "target_groups", "municipality", "organisation"]
        fields += ["people_reached", "partners", "evaluation"]


class ActivityInput(serializers.Serializer):
    held_on = serializers.DateField()
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    target_groups = BoundedListField(
        child=serializers.ChoiceField(choices=TargetGroup.choices), min_length=1, max_length=20
    )
    municipality = serializers.CharField(
        max_length=6, required=False, default="", allow_blank=True, help_text="CBS-code."
    )
    organisation = serializers.CharField(
        max_length=10000, required=False, default="", allow_blank=True
    )
    people_reached = serializers.IntegerField(min_value=0, max_value=1_000_000)
    partners = BoundedRelatedIds(
        queryset=Partner.objects.all(),
        max_length=50,
        required=False,
        default=list,
    )
    evaluation = serializers.CharField(
        max_length=10000, required=False, default="", allow_blank=True
    )

    def validate_municipality(self, code: str) -> str:
        if code and code not in municipalities():
            raise serializers.ValidationError(_("Kies een gemeente uit de lijst van het CBS."))
        return code


class Activities(APIView):
    permission_classes = [asks(Action.VIEW_PREVENTION)]
    pagination_class = Pagination  # for the schema: register_page pages itself

    @extend_schema(
        tags=PREVENTION,
        summary="De preventieactiviteiten, gefilterd (zoals het register op het scherm)",
        parameters=[
            OpenApiParameter("van", str, description="Vanaf (JJJJ-MM-DD)."),
            OpenApiParameter("tot_en_met", str, description="Tot en met (JJJJ-MM-DD)."),
            OpenApiParameter("kind", str, enum=ActivityKind.values),
            OpenApiParameter("doelgroep", str, enum=TargetGroup.values),
            OpenApiParameter("municipality", str, description="CBS-code."),
        ],
        responses={200: ActivitySerializer(many=True), **errors(400)},
    )
    def get(self, request: Request) -> Response:
        filters = ActivityFilterSet(
            request.query_params,
            queryset=PreventionActivity.objects.prefetch_related("partners"),
            municipalities=region_municipalities(),
        )
        page = register_page(
            request.user, filters, "preventie", request.query_params.get("pagina", 1)
        )
        if not filters.is_valid():
            raise serializers.ValidationError(filters.errors)
        return page_response(request, page, ActivitySerializer(page.object_list, many=True).data)

    @extend_schema(
        tags=PREVENTION,
        summary="Een preventieactiviteit vastleggen",
        request=ActivityInput,
        responses={201: ActivitySerializer, **with_body()},
    )
    def post(self, request: Request) -> Response:
        require(request.user, Action.RECORD_PREVENTION)
        serializer = ActivityInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        activity = save_activity(actor=request.user, data=dict(serializer.validated_data))
        return Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)
