"""Consent, the evaluation, case links and documents on the API, as on their task pages:
each finds the case as the screen does and calls the same service, which asks the
policy (a document is scanned for viruses and its type checked there, as on the screen)."""

import base64
import binascii

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.policy import Action
from api.case_tasks import CASES, CaseTask, performed
from api.cases import RECORDED
from api.permissions import asks
from api.schema import errors
from meldpunt.downloads import download
from workflow.models import (
    CaseDocument,
    CaseLink,
    Casus,
    Consent,
    Evaluation,
    EvaluationRating,
    InvolvedPerson,
)
from workflow.selectors import find_case
from workflow.services import consent, documents, links, records

TEXT_MAX = 10000


class ConsentSerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField()

    class Meta:
        model = Consent
        fields = [*RECORDED, "person", "purpose", "given_by", "given_on", "scope", "withdrawn_on"]


class ConsentInput(serializers.Serializer):
    person = serializers.IntegerField(help_text="Een betrokkene van deze casus.")
    purpose = serializers.ChoiceField(choices=Consent.Purpose.choices)
    given_by = serializers.ChoiceField(choices=Consent.GivenBy.choices)
    given_on = serializers.DateField()
    scope = serializers.CharField(max_length=TEXT_MAX)

    def validate_person(self, pk: int) -> InvolvedPerson:
        # Only this case's: whether another case's person exists is not for the caller.
        found = InvolvedPerson.objects.filter(casus=self.context["casus"], pk=pk).first()
        if found is None:
            raise serializers.ValidationError(_("Kies een betrokkene van deze casus."))
        return found


class WithdrawInput(serializers.Serializer):
    withdrawn_on = serializers.DateField()


class EvaluationSerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField()

    class Meta:
        model = Evaluation
        fields = [*RECORDED, "answers", "ratings"]


class EvaluationInput(serializers.Serializer):
    ratings = serializers.DictField(
        child=serializers.ChoiceField(choices=EvaluationRating.choices),
        help_text="Per evaluatievraag van de regio (code): ja, deels, nee of onbekend.",
    )
    answers = serializers.DictField(
        child=serializers.CharField(max_length=TEXT_MAX, allow_blank=True),
        required=False,
        default=dict,
        help_text="Per evaluatievraag (code), wat niet verplicht is: een geschreven antwoord.",
    )


class CaseLinkSerializer(serializers.ModelSerializer):
    casus = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    linked = serializers.SlugRelatedField(slug_field="reference", read_only=True)

    class Meta:
        model = CaseLink
        fields = ["id", "casus", "linked", "kind", "created_at"]


class LinkInput(serializers.Serializer):
    reference = serializers.CharField(max_length=20, help_text="De casuscode van de andere casus.")
    kind = serializers.ChoiceField(choices=CaseLink.Kind.choices)


class DocumentSerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField()

    class Meta:
        model = CaseDocument
        fields = [*RECORDED, "title", "filename", "content_type", "size", "scan"]


class DocumentInput(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    filename = serializers.CharField(max_length=200)
    content = serializers.CharField(
        help_text="Het bestand in base64; de hele aanvraag is hoogstens 1 MB.",
    )

    def validate_content(self, encoded: str) -> bytes:
        try:
            return base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise serializers.ValidationError(_("Stuur het bestand in base64.")) from None


def document_added(casus: Casus, user, data: dict) -> CaseDocument:
    upload = SimpleUploadedFile(data["filename"], data["content"])
    return documents.add_document(casus, actor=user, title=data["title"], upload=upload)


def consent_recorded(casus: Casus, user, data: dict) -> Consent:
    return consent.record_consent(data.pop("person"), actor=user, **data)


def withdrawn(given: Consent, user, data: dict) -> Consent:
    return consent.withdraw_consent(given, actor=user, on=data["withdrawn_on"])


Consents = CaseTask(
    "Toestemming van een betrokkene vastleggen (getoetst aan de leeftijdsregels van de regio)",
    Action.RECORD_CONSENT,
    ConsentInput,
    consent_recorded,
    ConsentSerializer,
).view()
ConsentWithdrawal = CaseTask(
    "Een toestemming intrekken",
    Action.RECORD_CONSENT,
    WithdrawInput,
    withdrawn,
    ConsentSerializer,
    records=lambda casus: Consent.objects.filter(casus=casus),
).view()
Evaluations = CaseTask(
    "De evaluatie met de vragen van de regio",
    Action.RECORD_EVALUATION,
    EvaluationInput,
    performed(records.record_evaluation),
    EvaluationSerializer,
).view()
CaseLinks = CaseTask(
    "Deze casus koppelen aan een andere (bijvoorbeeld slachtoffer en dader)",
    Action.LINK_CASES,
    LinkInput,
    performed(links.link_by_reference),
    CaseLinkSerializer,
).view()
Documents = CaseTask(
    "Een document toevoegen (op virussen gecontroleerd; anders eerst in quarantaine)",
    Action.ADD_DOCUMENT,
    DocumentInput,
    document_added,
    DocumentSerializer,
).view()


class DocumentDownload(APIView):
    permission_classes = [asks(Action.VIEW_CASE, unseen=True)]

    @extend_schema(
        tags=CASES,
        summary="Een document downloaden (alleen na de viruscontrole; een regel in het logboek)",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **errors(404)},
    )
    def get(self, request: Request, reference: str, pk: int) -> HttpResponse:
        casus = find_case(request.user, reference)
        try:
            document = documents.read_document(request.user, casus, pk)
        except CaseDocument.DoesNotExist as missing:
            raise Http404 from missing
        return download(document.content, document.filename, "application/octet-stream")
