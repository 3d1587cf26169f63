"""Warme overdracht on the API, under the same policy as the screens: the sending
procesregisseur proposes a case's transfer to another region; the receiving one lists
the proposals and accepts or declines one. national.transfers does the work."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.policy import Action
from api.case_tasks import CaseTask, valid
from api.fields import BoundedListField
from api.permissions import asks
from api.schema import errors, with_body
from national import transfers
from national.models import Transfer, TransferBasis, TransferPart
from tenants.models import Region

TRANSFERS = ["overdrachten"]
TEXT = {"max_length": transfers.REASON_LENGTH}


class TransferSerializer(serializers.ModelSerializer):
    """What the platform keeps of a proposal: metadata, never a part's content."""

    source = serializers.CharField(source="source.name", read_only=True)
    target = serializers.CharField(source="target.name", read_only=True)

    class Meta:
        model = Transfer
        fields = [
            "id",
            "source",
            "target",
            "source_reference",
            "parts",
            "basis",
            "basis_text",
            "reason",
            "proposed_by",
            "proposed_at",
            "status",
            "decided_by",
            "decided_at",
            "decline_reason",
            "target_reference",
        ]
        read_only_fields = fields


class ProposalInput(serializers.Serializer):
    target = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Region.objects.regions(),
        help_text="De code van de ontvangende regio (bijvoorbeeld limburg).",
    )
    parts = BoundedListField(
        child=serializers.ChoiceField(choices=TransferPart.choices), max_length=6
    )
    basis = serializers.ChoiceField(choices=TransferBasis.choices)
    basis_text = serializers.CharField(required=False, default="", allow_blank=True, **TEXT)
    reason = serializers.CharField(**TEXT)


Propose = CaseTask(
    "Een warme overdracht van de casus aan een andere regio voorstellen",
    Action.PROPOSE_TRANSFER,
    ProposalInput,
    lambda casus, user, data: transfers.propose(casus, actor=user, **data),
    TransferSerializer,
).view()


class Transfers(APIView):
    permission_classes = [asks(Action.DECIDE_TRANSFER)]

    @extend_schema(
        tags=TRANSFERS,
        summary="De voorstellen tot overdracht aan en uit deze regio (hoogstens 100)",
        responses={200: TransferSerializer(many=True), **errors(403)},
    )
    def get(self, request: Request) -> Response:
        return Response(TransferSerializer(transfers.transfers_here(request.user), many=True).data)


class TransferDecisionInput(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[("aanvaarden", "aanvaarden"), ("afwijzen", "afwijzen")]
    )
    reason = serializers.CharField(
        required=False, default="", allow_blank=True, help_text="Verplicht bij afwijzen.", **TEXT
    )


class DecisionAnswer(serializers.Serializer):
    transfer = TransferSerializer()
    case = serializers.CharField(
        allow_blank=True, help_text="De casuscode van de nieuwe casus in deze regio."
    )


class Decision(APIView):
    permission_classes = [asks(Action.DECIDE_TRANSFER)]

    @extend_schema(
        tags=TRANSFERS,
        summary="Een voorstel tot overdracht aan deze regio aanvaarden of afwijzen",
        request=TransferDecisionInput,
        responses={200: DecisionAnswer, **with_body(403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        data = valid(TransferDecisionInput, request)
        try:
            if data["decision"] == "aanvaarden":
                casus = transfers.accept(pk, actor=request.user)
                transfer, case = transfers.find_transfer(request.user, pk), casus.reference
            else:
                transfer = transfers.decline(pk, actor=request.user, reason=data["reason"])
                case = ""
        except Transfer.DoesNotExist as missing:
            raise Http404 from missing
        answer = DecisionAnswer({"transfer": transfer, "case": case})
        return Response(answer.data, status=status.HTTP_200_OK)
