"""The region's configuration, read-only: the steps of the active work process (the
codes a move names), the partner network (the ids a request or referral names) and the
lists (signals, forms, case types, ...). No personal data; every account of the region
may read it, as every account sees these names on its screens."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.policy import Action
from api.permissions import asks
from api.schema import errors
from configuratie.models import (
    CatalogueEntry,
    DefinitionStatus,
    Partner,
    WorkflowDefinition,
    WorkflowStep,
)

CONFIGURATION = ["configuratie"]


class WorkflowStepSerializer(serializers.ModelSerializer):
    next_steps = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = WorkflowStep
        fields = ["code", "name", "kind", "is_start", "deadline_days", "responsible_role"]
        fields += ["next_steps"]


class StepsSerializer(serializers.Serializer):
    version = serializers.IntegerField(allow_null=True)
    steps = WorkflowStepSerializer(many=True)


class Steps(APIView):
    permission_classes = [asks(Action.VIEW_DASHBOARD)]

    @extend_schema(
        tags=CONFIGURATION,
        summary="De stappen van het actieve werkproces",
        responses={200: StepsSerializer, **errors()},
    )
    def get(self, request: Request) -> Response:
        active = WorkflowDefinition.objects.filter(status=DefinitionStatus.ACTIVE).first()
        steps = active.steps.prefetch_related("next_steps") if active else []
        return Response(
            StepsSerializer({"version": active.version if active else None, "steps": steps}).data
        )


class PartnerSerializer(serializers.ModelSerializer):
    has_current_covenant = serializers.BooleanField()

    class Meta:
        model = Partner
        fields = ["id", "name", "kind", "covenant_status", "covenant_ends_on"]
        fields += ["participates_in", "has_current_covenant"]


class Partners(APIView):
    permission_classes = [asks(Action.VIEW_DASHBOARD)]

    @extend_schema(
        tags=CONFIGURATION,
        summary="De partners van de regio",
        responses={200: PartnerSerializer(many=True), **errors()},
    )
    def get(self, request: Request) -> Response:
        partners = Partner.objects.order_by("name")
        return Response(PartnerSerializer(partners, many=True).data)


class CatalogueEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = CatalogueEntry
        fields = ["catalogue", "code", "name", "form_kind", "is_active"]


class Catalogues(APIView):
    permission_classes = [asks(Action.VIEW_DASHBOARD)]

    @extend_schema(
        tags=CONFIGURATION,
        summary="De lijsten van de regio: signalen, meldformulieren, casustypen, afsluitredenen, ...",
        responses={200: CatalogueEntrySerializer(many=True), **errors()},
    )
    def get(self, request: Request) -> Response:
        return Response(CatalogueEntrySerializer(CatalogueEntry.objects.all(), many=True).data)
