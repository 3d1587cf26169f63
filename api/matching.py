"""The region's signals that a person of one of its cases is known to another meldpunt
too (docs/matching.md): the case, the other meldpunt and its contact details, nothing
of the other case. For the procesregisseur, as on the home page."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.policy import Action
from api.permissions import asks
from api.schema import errors
from workflow.services import matching


class OtherMeldpuntSerializer(serializers.Serializer):
    naam = serializers.CharField(source="name")
    contact = serializers.CharField(source="contact_name")
    telefoon = serializers.CharField(source="contact_phone")
    email = serializers.CharField(source="contact_email")


class MatchSignalSerializer(serializers.Serializer):
    casus = serializers.CharField(source="casus.reference", help_text="De eigen casus.")
    tekst = serializers.CharField(source="text")
    meldpunt = OtherMeldpuntSerializer(source="region", help_text="Het andere meldpunt.")
    gesignaleerd_op = serializers.DateTimeField(source="noticed_at")


class MatchSignals(APIView):
    permission_classes = [asks(Action.VIEW_MATCH_SIGNALS)]

    @extend_schema(
        tags=["casussen"],
        summary="Personen in eigen casussen die ook bij een ander meldpunt bekend zijn",
        description=(
            "Alleen exact dezelfde naam met hetzelfde geboortejaar; spellingsvarianten "
            "worden niet herkend. Over de casus van het andere meldpunt staat hier niets."
        ),
        responses={200: MatchSignalSerializer(many=True), **errors()},
    )
    def get(self, request: Request) -> Response:
        signals = matching.signals_for(request.user)
        return Response(MatchSignalSerializer(signals, many=True).data)
