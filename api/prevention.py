"""The prevention register (spearhead 2) and the advice requests without a report: each
filtered and paged as on the register's screen (an audited read), and recording one
through the same service."""

from django.http import Http404
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
from statistiek.filters import ActivityFilterSet, AdviceFilterSet
from statistiek.models import (
    ActivityKind,
    AdviceRequest,
    AdviceTopic,
    AskerKind,
    PreventionActivity,
    TargetGroup,
)
from statistiek.selectors import register_page
from statistiek.services import save_activity, save_advice
from workflow.selectors import find_case

PREVENTION = ["preventie"]


def cbs_code(code: str) -> str:
    if code and code not in municipalities():
        raise serializers.ValidationError(_("Kies een gemeente uit de lijst van het CBS."))
    return code


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
        return cbs_code(code)


# The period filter both registers share.
PERIOD = [
    OpenApiParameter("van", str, description="Vanaf (JJJJ-MM-DD)."),
    OpenApiParameter("tot_en_met", str, description="Tot en met (JJJJ-MM-DD)."),
]


def register_response(
    request: Request, filters, register: str, serializer: type[serializers.Serializer]
) -> Response:
    """A page of one of the registers, filtered as on the screen; bad filters are a 400."""
    page = register_page(request.user, filters, register, request.query_params.get("pagina", 1))
    if not filters.is_valid():
        raise serializers.ValidationError(filters.errors)
    return page_response(request, page, serializer(page.object_list, many=True).data)


class Activities(APIView):
    permission_classes = [asks(Action.VIEW_PREVENTION)]
    pagination_class = Pagination  # for the schema: register_page pages itself

    @extend_schema(
        tags=PREVENTION,
        summary="De preventieactiviteiten, gefilterd (zoals het register op het scherm)",
        parameters=[
            *PERIOD,
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
        return register_response(request, filters, "preventie", ActivitySerializer)

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


class AdviceSerializer(serializers.ModelSerializer):
    casus = serializers.SlugRelatedField(slug_field="reference", read_only=True, allow_null=True)

    class Meta:
        model = AdviceRequest
        fields = ["id", "given_on", "asker_kind", "topic", "advice", "minutes_spent"]
        fields += ["municipality", "became_report", "casus"]


class AdviceInput(serializers.Serializer):
    given_on = serializers.DateField()
    asker_kind = serializers.ChoiceField(choices=AskerKind.choices)
    topic = serializers.ChoiceField(choices=AdviceTopic.choices)
    advice = serializers.CharField(
        max_length=10000, help_text="Zonder namen of andere persoonsgegevens."
    )
    minutes_spent = serializers.IntegerField(min_value=0, max_value=100_000)
    municipality = serializers.CharField(
        max_length=6, required=False, default="", allow_blank=True, help_text="CBS-code."
    )
    became_report = serializers.BooleanField(required=False, default=False)
    casus = serializers.CharField(
        max_length=20,
        required=False,
        default="",
        allow_blank=True,
        help_text="De casuscode, als de adviesvraag later een melding werd.",
    )

    def validate_municipality(self, code: str) -> str:
        return cbs_code(code)

    def validate_casus(self, reference: str):
        if not reference.strip():
            return None
        try:
            return find_case(self.context["request"].user, reference.strip())
        except Http404:
            raise serializers.ValidationError(
                _("Er is geen casus met die code die u mag zien.")
            ) from None


class AdviceRequests(APIView):
    permission_classes = [asks(Action.VIEW_PREVENTION)]
    pagination_class = Pagination  # for the schema: register_page pages itself

    @extend_schema(
        tags=PREVENTION,
        summary="De adviesvragen zonder melding, gefilterd (zoals het register op het scherm)",
        parameters=[
            *PERIOD,
            OpenApiParameter("asker_kind", str, enum=AskerKind.values),
            OpenApiParameter("topic", str, enum=AdviceTopic.values),
            OpenApiParameter("became_report", bool),
        ],
        responses={200: AdviceSerializer(many=True), **errors(400)},
    )
    def get(self, request: Request) -> Response:
        filters = AdviceFilterSet(
            request.query_params, queryset=AdviceRequest.objects.select_related("casus")
        )
        return register_response(request, filters, "advies", AdviceSerializer)

    @extend_schema(
        tags=PREVENTION,
        summary="Een adviesvraag zonder melding vastleggen",
        request=AdviceInput,
        responses={201: AdviceSerializer, **with_body()},
    )
    def post(self, request: Request) -> Response:
        require(request.user, Action.RECORD_PREVENTION)
        serializer = AdviceInput(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        advice = save_advice(actor=request.user, data=dict(serializer.validated_data))
        return Response(AdviceSerializer(advice).data, status=status.HTTP_201_CREATED)
