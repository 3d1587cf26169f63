"""The partner portal through the API: a partner's contact person reads the inbox of
their own organisation, reads a request or referral addressed to it (only the details
shared with it, each read an audit line) and answers or decides. Everything goes
through `workflow.portal` and the services the portal's pages call; anything not
addressed to the contact's organisation is a 404, as in the portal."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.policy import Action
from api.cases import DecisionInput
from api.permissions import asks
from api.schema import errors, with_body
from workflow import portal
from workflow.models import InformationRequest, Referral
from workflow.services import information, referrals

PARTNER = ["partnerportaal"]


class InboxRequestSerializer(serializers.ModelSerializer):
    """An item in the inbox, as the portal lists it: no person's details, no case."""

    class Meta:
        model = InformationRequest
        fields = ["id", "recorded_at", "answer_by", "answered_at", "closed_at"]


class InboxReferralSerializer(serializers.ModelSerializer):
    class Meta:
        model = Referral
        fields = ["id", "recorded_at", "answer_by", "help", "status", "decided_at"]


class InboxReportSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField(source="follow_code")
    submitted_at = serializers.DateTimeField()


class InboxSerializer(serializers.Serializer):
    partner = serializers.CharField(source="partner.name")
    open_requests = InboxRequestSerializer(many=True)
    open_referrals = InboxReferralSerializer(many=True)
    handled_requests = InboxRequestSerializer(many=True)
    handled_referrals = InboxReferralSerializer(many=True)
    reports = InboxReportSerializer(many=True)


class Inbox(APIView):
    permission_classes = [asks(Action.USE_PARTNER_PORTAL)]

    @extend_schema(
        tags=PARTNER,
        summary="De openstaande en recent afgehandelde verzoeken en doorverwijzingen van de eigen organisatie",
        responses={200: InboxSerializer, **errors()},
    )
    def get(self, request: Request) -> Response:
        return Response(InboxSerializer(portal.partner_inbox(request.user)).data)


SHARED_DETAILS = serializers.ListField(
    child=serializers.DictField(child=serializers.CharField()),
    help_text="Per gedeelde persoon: de rol en alleen de gedeelde gegevens.",
)


class PortalRequestSerializer(serializers.ModelSerializer):
    casus = serializers.CharField(source="casus.reference")
    shared = SHARED_DETAILS

    class Meta:
        model = InformationRequest
        fields = ["id", "casus", "recorded_at", "question", "answer_by", "answer"]
        fields += ["answered_at", "closed_at", "shared"]


class PortalReferralSerializer(serializers.ModelSerializer):
    casus = serializers.CharField(source="casus.reference")
    shared = SHARED_DETAILS

    class Meta:
        model = Referral
        fields = ["id", "casus", "recorded_at", "help", "notes", "answer_by", "status"]
        fields += ["decided_at", "decline_reason", "shared"]


def shown_item(request: Request, kind: str, pk: int):
    """The item addressed to the user's organisation, with what is shared of its persons."""
    item = portal.addressed_item(request.user, kind, pk)
    item.shared = portal.shown(request.user, item)
    return item


class PortalRequest(APIView):
    permission_classes = [asks(Action.USE_PARTNER_PORTAL)]

    @extend_schema(
        tags=PARTNER,
        summary="Een informatieverzoek aan de eigen organisatie",
        responses={200: PortalRequestSerializer, **errors(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(PortalRequestSerializer(shown_item(request, "verzoek", pk)).data)


class PortalAnswerInput(serializers.Serializer):
    answer = serializers.CharField(max_length=10000)


class PortalRequestAnswer(APIView):
    permission_classes = [asks(Action.USE_PARTNER_PORTAL)]

    @extend_schema(
        tags=PARTNER,
        summary="Een informatieverzoek aan de eigen organisatie beantwoorden",
        request=PortalAnswerInput,
        responses={200: InboxRequestSerializer, **with_body(404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        item = portal.addressed_item(request.user, "verzoek", pk)
        serializer = PortalAnswerInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        answered = information.answer_in_portal(
            item, actor=request.user, **serializer.validated_data
        )
        return Response(InboxRequestSerializer(answered).data)


class PortalReferral(APIView):
    permission_classes = [asks(Action.USE_PARTNER_PORTAL)]

    @extend_schema(
        tags=PARTNER,
        summary="Een doorverwijzing naar de eigen organisatie",
        responses={200: PortalReferralSerializer, **errors(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(PortalReferralSerializer(shown_item(request, "doorverwijzing", pk)).data)


class PortalReferralDecision(APIView):
    permission_classes = [asks(Action.USE_PARTNER_PORTAL)]

    @extend_schema(
        tags=PARTNER,
        summary="Een doorverwijzing accepteren of (met een reden) afwijzen",
        request=DecisionInput,
        responses={200: InboxReferralSerializer, **with_body(404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        item = portal.addressed_item(request.user, "doorverwijzing", pk)
        serializer = DecisionInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        decided = referrals.decide_in_portal(item, actor=request.user, **serializer.validated_data)
        return Response(InboxReferralSerializer(decided).data)
