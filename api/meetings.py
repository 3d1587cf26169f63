"""Meetings (screening team, case conference): those the user may see, and one with its
agenda, each case on it shown only to who may see it (`read_meeting`: one audit line
per person shown)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.policy import Action, require
from api.cases import PersonSerializer
from api.pagination import Pagination
from api.schema import errors
from workflow.models import Meeting
from workflow.selectors import read_meeting, visible_meetings

MEETINGS = ["overleggen"]


class MeetingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Meeting
        fields = ["id", "kind", "starts_at", "location", "closed_at"]


class AgendaEntrySerializer(serializers.Serializer):
    casus = serializers.CharField(
        source="casus.reference", allow_null=True, help_text="Leeg: u mag deze casus niet zien."
    )
    persons = PersonSerializer(many=True)
    risk_level = serializers.CharField(source="risk.level", allow_null=True, default=None)
    minutes = serializers.CharField(source="item.minutes")
    decision = serializers.CharField(source="item.decision")
    discussed_at = serializers.DateTimeField(source="item.discussed_at", allow_null=True)


class MeetingFileSerializer(serializers.Serializer):
    meeting = MeetingSerializer()
    entries = AgendaEntrySerializer(many=True)


class Meetings(APIView):
    pagination_class = Pagination

    @extend_schema(
        tags=MEETINGS,
        summary="De overleggen die de gebruiker mag zien, de nieuwste eerst",
        responses={200: MeetingSerializer(many=True), **errors()},
    )
    def get(self, request: Request) -> Response:
        require(request.user, Action.VIEW_MEETINGS)
        paginator = self.pagination_class()
        meetings = visible_meetings(request.user).order_by("-starts_at", "-pk")
        page = paginator.paginate_queryset(meetings, request, view=self)
        return paginator.get_paginated_response(MeetingSerializer(page, many=True).data)


class MeetingDetail(APIView):
    @extend_schema(
        tags=MEETINGS,
        summary="Een overleg met zijn agenda",
        responses={200: MeetingFileSerializer, **errors(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(MeetingFileSerializer(read_meeting(request.user, pk)).data)
