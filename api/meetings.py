"""Meetings (screening team, case conference): those the user may see, and one with its
agenda, each case on it shown only to who may see it (`read_meeting`: one audit line
per person shown); planning one, its agenda, what it records per case and fixing its
minutes, each through the meeting screens' service (which asks the policy itself).

A meeting or an agenda item is found as on the screens: a 404 for one the user may not
see; a 403 where the screen's page refuses the role."""

from datetime import datetime

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from accounts.policy import CASE_STAFF, Action, Role, require
from api.case_tasks import valid
from api.cases import PersonSerializer
from api.casework import ANSWERS, TEXT, ActionInput, action_data
from api.fields import BoundedRelatedIds
from api.pagination import Pagination
from api.permissions import asks
from api.schema import errors, with_body
from configuratie.models import Partner
from workflow.models import AgendaItem, Meeting
from workflow.selectors import find_case, read_agenda_item, read_meeting, visible_meetings
from workflow.services import meetings as meeting_service

MEETINGS = ["overleggen"]


class MeetingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Meeting
        fields = [
            "id",
            "kind",
            "title",
            "starts_at",
            "location",
            "chair",
            "present",
            "attendance_recorded_at",
            "closed_at",
            "cancelled_at",
        ]


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


class GuestInput(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())
    email = serializers.EmailField(
        max_length=254, required=False, default="", help_text="Voor de uitnodiging in de agenda."
    )


class MeetingInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Meeting.Kind.choices)
    starts_at = serializers.DateTimeField()
    title = serializers.CharField(max_length=120, required=False, default="", allow_blank=True)
    location = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    chair = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.active_with_roles(*CASE_STAFF),
        required=False,
        default=None,
        allow_null=True,
        help_text="De voorzitter (id); ook deelnemer.",
    )
    attendees = BoundedRelatedIds(
        queryset=User.objects.active_with_roles(*CASE_STAFF),
        max_length=100,
        allow_empty=False,
        help_text="Gebruikers (id) van de regio die aan casussen werken.",
        error_messages={"empty": _("Kies minstens één deelnemer.")},
    )
    guests = GuestInput(many=True, max_length=20, required=False, default=list)

    def validate_starts_at(self, value: datetime) -> datetime:
        if not 2000 <= value.year <= 2999:  # also keeps PostgreSQL's range
            raise serializers.ValidationError(_("Kies datum en tijd."))
        return value


class Meetings(APIView):
    permission_classes = [asks(Action.VIEW_MEETINGS)]
    pagination_class = Pagination

    @extend_schema(
        tags=MEETINGS,
        summary="De overleggen die de gebruiker mag zien, de nieuwste eerst",
        responses={200: MeetingSerializer(many=True), **errors()},
    )
    def get(self, request: Request) -> Response:
        paginator = self.pagination_class()
        meetings = (
            visible_meetings(request.user).prefetch_related("present").order_by("-starts_at", "-pk")
        )
        page = paginator.paginate_queryset(meetings, request, view=self)
        return paginator.get_paginated_response(MeetingSerializer(page, many=True).data)

    @extend_schema(
        tags=MEETINGS,
        summary="Een overleg plannen, met zijn deelnemers en gasten",
        request=MeetingInput,
        responses={201: MeetingSerializer, **with_body()},
    )
    def post(self, request: Request) -> Response:
        require(request.user, Action.SCHEDULE_MEETING)
        data = valid(MeetingInput, request)
        guests = [meeting_service.GuestData(**guest) for guest in data.pop("guests")]
        meeting = meeting_service.plan_meeting(actor=request.user, guests=guests, **data)
        return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)


class MeetingDetail(APIView):
    permission_classes = [asks(Action.VIEW_MEETING, unseen=True)]

    @extend_schema(
        tags=MEETINGS,
        summary="Een overleg met zijn agenda",
        responses={200: MeetingFileSerializer, **errors(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(MeetingFileSerializer(read_meeting(request.user, pk)).data)


class AgendaInput(serializers.Serializer):
    casus = serializers.CharField(max_length=64, help_text="Casuscode.")


class AgendaItemSerializer(serializers.ModelSerializer):
    casus = serializers.CharField(source="casus.reference")

    class Meta:
        model = AgendaItem
        fields = ["id", "casus", "position", "minutes", "decision", "discussed_at"]


class Agenda(APIView):
    permission_classes = [asks(Action.VIEW_MEETING, unseen=True)]

    @extend_schema(
        tags=MEETINGS,
        summary="Een casus op de agenda van een overleg zetten",
        request=AgendaInput,
        responses={201: AgendaItemSerializer, **with_body(404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        meeting = read_meeting(request.user, pk).meeting
        require(request.user, Action.SCHEDULE_MEETING)
        data = valid(AgendaInput, request)
        casus = find_case(request.user, data["casus"], Action.SCHEDULE_MEETING)
        item = meeting_service.put_on_agenda(casus, actor=request.user, meeting=meeting)
        return Response(AgendaItemSerializer(item).data, status=status.HTTP_201_CREATED)


class AgendaItemDetail(APIView):
    permission_classes = [asks(Action.VIEW_MEETING, unseen=True)]

    @extend_schema(
        tags=MEETINGS,
        summary="Een (nog niet besproken) casus van de agenda halen",
        responses={204: None, **errors(400, 404)},
    )
    def delete(self, request: Request, pk: int, item: int) -> Response:
        _meeting_file, entry = read_agenda_item(request.user, pk, item)
        meeting_service.remove_from_agenda(entry.item, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ItemRecordInput(serializers.Serializer):
    """What the meeting records about the case, as on the agenda item's page: all at
    once or nothing (a refused move undoes the rest)."""

    minutes = serializers.CharField(**TEXT)
    decision = serializers.CharField(**TEXT)
    risk_answers = serializers.DictField(
        child=serializers.ChoiceField(choices=ANSWERS),
        required=False,
        default=dict,
        help_text="Een risicotaxatie: per vraag van het instrument (code) ja, nee of onbekend.",
    )
    risk_level = serializers.CharField(
        max_length=40, required=False, default="", allow_blank=True, help_text="Leeg: berekend."
    )
    risk_deviation_reason = serializers.CharField(**TEXT)
    plan_goals = serializers.CharField(**TEXT)
    plan_actions = ActionInput(many=True, max_length=50, required=False, default=list)
    plan_revision_reason = serializers.CharField(**TEXT)
    coordinator = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.active_with_roles(Role.CASUSCOORDINATOR),
        required=False,
        allow_null=True,
        default=None,
        help_text="Een casuscoördinator (gebruiker-id) aanwijzen.",
    )
    move_to = serializers.CharField(
        max_length=40,
        required=False,
        default="",
        allow_blank=True,
        help_text="Code van een stap binnen twee stappen van de huidige, als op het scherm "
        "(via de workflow-engine).",
    )

    def validate_move_to(self, code: str) -> str:
        if code and code not in dict(meeting_service.destinations(self.context["item"])):
            raise serializers.ValidationError(_("Kies een stap die het overleg kan besluiten."))
        return code


def item_record(data: dict) -> meeting_service.ItemRecord:
    return meeting_service.ItemRecord(plan_actions=action_data(data.pop("plan_actions")), **data)


class AgendaItemRecord(APIView):
    permission_classes = [asks(Action.VIEW_MEETING, unseen=True)]

    @extend_schema(
        tags=MEETINGS,
        summary="Vastleggen wat het overleg over een casus besluit",
        description="Verslag of besluit, en desgewenst een risicotaxatie, het plan van "
        "aanpak, een casuscoördinator en de stap waar de casus heen gaat; een geweigerde "
        "stap (400, `overgang_geweigerd`) maakt alles ongedaan.",
        request=ItemRecordInput,
        responses={200: AgendaItemSerializer, **with_body(404)},
    )
    def post(self, request: Request, pk: int, item: int) -> Response:
        _meeting_file, entry = read_agenda_item(request.user, pk, item)
        require(request.user, Action.RECORD_IN_MEETING, entry.casus)
        record = item_record(valid(ItemRecordInput, request, item=entry.item))
        recorded = meeting_service.record_agenda_item(entry.item, actor=request.user, data=record)
        return Response(AgendaItemSerializer(recorded).data)


class MinutesCloseInput(serializers.Serializer):
    confirmed = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Nodig als er agendapunten niet besproken zijn (die casussen gaan van de "
        "agenda) of als het overleg nog moet komen.",
    )


class MeetingClose(APIView):
    permission_classes = [asks(Action.VIEW_MEETING, unseen=True)]

    @extend_schema(
        tags=MEETINGS,
        summary="Het verslag van een overleg vaststellen: daarna wordt er niets meer vastgelegd",
        request=MinutesCloseInput,
        responses={200: MeetingSerializer, **errors(400, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        meeting = read_meeting(request.user, pk).meeting
        confirmed = valid(MinutesCloseInput, request)["confirmed"]
        closed = meeting_service.close_meeting(meeting, actor=request.user, confirmed=confirmed)
        return Response(MeetingSerializer(closed).data)
