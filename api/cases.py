"""Cases: the list (the screen's FilterSet, pages and order), a case's file (the audited
read), a move through the engine, and what staff record on a case: screening outcomes,
information requests with their answers, referrals with the partner's decision.

Each view finds the case as the screens do (`find_case`: a 404 for a case the user may
not know of, a 403 for an act the user may not do on it) and calls the service of the
screen's task; the services ask the policy themselves."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.policy import Action
from api.case_tasks import CASES, CaseTask, performed, valid
from api.fields import BoundedListField
from api.pagination import Pagination, page_response
from api.permissions import asks
from api.schema import errors, with_body
from configuratie.models import CatalogueKind, Partner
from workflow import engine
from workflow.filters import Status
from workflow.labels import Labels, region_labels
from workflow.models import (
    Casus,
    Feedback,
    InformationRequest,
    InvolvedPerson,
    LegalBasis,
    PartnerResponse,
    PlanAction,
    PlanOfApproach,
    Referral,
    Report,
    RiskAssessment,
    ScreeningOutcome,
    SharedField,
    StepTransition,
)
from workflow.selectors import find_case, list_cases, read_case_file
from workflow.services import information, records, referrals


def labels_in(field: serializers.Field) -> Labels:
    """The region's labels, read once for the whole response (the root's context is
    shared by every field of it)."""
    context = field.context
    if "labels" not in context:
        context["labels"] = region_labels()
    return context["labels"]


@extend_schema_field(OpenApiTypes.STR)
class CatalogueLabel(serializers.Field):
    """Beside a code: the region's name for it."""

    def __init__(self, kind: CatalogueKind, source: str) -> None:
        self.kind = kind
        super().__init__(source=source, read_only=True)

    def to_representation(self, code: str) -> str:
        return labels_in(self).of(self.kind, code)


class CodeLabelSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


@extend_schema_field(CodeLabelSerializer(many=True))
class SignalLabels(serializers.Field):
    """The signals a report named, each as its code and the region's name for it."""

    def __init__(self) -> None:
        super().__init__(source="signals", read_only=True)

    def to_representation(self, codes: list[str]) -> list[dict[str, str]]:
        words = labels_in(self).signals(codes)
        return [{"code": code, "label": label} for code, label in zip(codes, words, strict=True)]


class AnswerSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Code van de vraag van het risico-instrument.")
    question = serializers.CharField(help_text="De vraag zoals gesteld.")
    answer_code = serializers.CharField(help_text="ja, nee of onbekend.")
    answer = serializers.CharField(help_text="Het antwoord zoals gekozen.")


@extend_schema_field(AnswerSerializer(many=True))
class RiskAnswers(serializers.Field):
    """Answers to the risk instrument's questions, with the questions and answers as
    asked: by the reporter's form, or in the team's assessment."""

    def __init__(self, *, by_reporter: bool) -> None:
        self.by_reporter = by_reporter
        super().__init__(read_only=True)

    def to_representation(self, answers: dict[str, str]) -> list[dict[str, str]]:
        labels = labels_in(self)
        read = labels.reporter_answers if self.by_reporter else labels.assessment_answers
        return [vars(answer) for answer in read(answers or {})]


class StepSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class CaseSerializer(serializers.ModelSerializer):
    current_step = StepSerializer()
    priority = serializers.CharField(source="priority.code", allow_null=True, default=None)
    coordinator = serializers.CharField(allow_null=True)
    case_type_label = CatalogueLabel(CatalogueKind.CASE_TYPE, source="case_type")
    closing_reason_label = CatalogueLabel(CatalogueKind.CLOSING_REASON, source="closing_reason")

    class Meta:
        model = Casus
        fields = [
            "reference",
            "current_step",
            "priority",
            "case_type",
            "case_type_label",
            "coordinator",
            "closing_reason",
            "closing_reason_label",
            "opened_at",
            "step_entered_at",
            "deadline_at",
            "closed_at",
            "completed_at",
        ]


class CaseRowSerializer(CaseSerializer):
    is_overdue = serializers.BooleanField()
    report_count = serializers.IntegerField()

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "is_overdue", "report_count"]


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = InvolvedPerson
        fields = ["id", "role", "name", "age", "birth_year", "gender", "municipality", "school"]


class ReportSerializer(serializers.ModelSerializer):
    persons = PersonSerializer(many=True)
    form_label = CatalogueLabel(CatalogueKind.REPORT_FORM, source="form_code")
    channel_label = CatalogueLabel(CatalogueKind.CHANNEL, source="channel")
    signal_labels = SignalLabels()
    risk_answers = RiskAnswers(by_reporter=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "follow_code",
            "submitted_at",
            "form_code",
            "form_label",
            "channel",
            "channel_label",
            "reporter_type",
            "reporter_organisation",
            "anonymous",
            "reporter_name",
            "reporter_email",
            "reporter_phone",
            "feedback_preference",
            "concern",
            "signals",
            "signal_labels",
            "risk_answers",
            "persons",
        ]


class TransitionSerializer(serializers.ModelSerializer):
    to_step = serializers.CharField(source="to_step.code")
    by = serializers.CharField(allow_null=True)

    class Meta:
        model = StepTransition
        fields = ["to_step", "at", "by", "reason"]


RECORDED = ["id", "recorded_at", "recorded_by"]


class ScreeningOutcomeSerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField()

    class Meta:
        model = ScreeningOutcome
        fields = [*RECORDED, "outcome", "advice"]


class SharedSerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField()
    partner = serializers.IntegerField(source="partner_id")
    partner_name = serializers.CharField(source="partner.name")
    persons = serializers.SerializerMethodField()

    def get_persons(self, shared) -> list[int]:
        return [person.pk for person in shared.persons.all()]


SHARED = [*RECORDED, "partner", "partner_name", "persons", "shared_fields", "legal_basis"]
SHARED += ["legal_basis_text", "answer_by"]


class InformationRequestSerializer(SharedSerializer):
    class Meta:
        model = InformationRequest
        fields = [
            *SHARED,
            "subject",
            "question",
            "answer",
            "answered_via",
            "answered_at",
            "close_reason",
            "closed_at",
        ]


class ReferralSerializer(SharedSerializer):
    class Meta:
        model = Referral
        fields = [*SHARED, "help", "notes", "status", "decided_at", "decided_via"]
        fields += ["decline_reason"]


class RiskAssessmentSerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField()
    answers = RiskAnswers(by_reporter=False)

    class Meta:
        model = RiskAssessment
        fields = [*RECORDED, "score", "computed_level", "level", "deviation_reason", "answers"]


class PlanActionSerializer(serializers.ModelSerializer):
    owner_partner = serializers.CharField(allow_null=True)
    owner_user = serializers.CharField(allow_null=True)

    class Meta:
        model = PlanAction
        fields = [
            "id",
            "description",
            "chain",
            "owner_partner",
            "owner_user",
            "owner_name",
            "due_on",
            "status",
            "outcome",
        ]


class PlanSerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField()
    actions = PlanActionSerializer(many=True)

    class Meta:
        model = PlanOfApproach
        fields = [*RECORDED, "version", "goals", "revision_reason", "actions"]


class FeedbackSerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField()

    class Meta:
        model = Feedback
        fields = [*RECORDED, "report", "text"]


class CaseFileSerializer(serializers.Serializer):
    """What the case page shows, from the one audited read."""

    casus = CaseSerializer()
    next_steps = StepSerializer(many=True, source="casus.current_step.next_steps.all")
    reports = ReportSerializer(many=True)
    transitions = TransitionSerializer(many=True)
    screening_outcomes = ScreeningOutcomeSerializer(many=True, source="outcomes")
    information_requests = InformationRequestSerializer(many=True)
    risk_assessments = RiskAssessmentSerializer(many=True)
    plans = PlanSerializer(many=True)
    referrals = ReferralSerializer(many=True)
    feedback = FeedbackSerializer(many=True)
    reporter_withheld = serializers.BooleanField(
        help_text="Naam, organisatie en contactgegevens van de melder zijn leeg: de regio "
        "toont ze een lid van het screeningsteam pas als de casus geagendeerd is."
    )


ORDER = ["termijn", "casus", "geopend", "in_stap"]
LIST_PARAMETERS = [
    OpenApiParameter("q", str, description="Casuscode, meldcode, naam, geboortejaar of school."),
    OpenApiParameter("status", str, enum=[code for code, _label in Status.CHOICES]),
    OpenApiParameter("step", str, description="Code van een stap (zie /configuratie/)."),
    OpenApiParameter("priority", str, description="Code van een prioriteit."),
    OpenApiParameter("case_type", str, description="Code van een casustype."),
    OpenApiParameter("overdue", bool, description="Alleen over de termijn."),
    OpenApiParameter("mine", bool, description="Alleen de eigen casussen (casuscoördinator)."),
    OpenApiParameter("order", str, enum=ORDER + [f"-{key}" for key in ORDER]),
]


class CaseList(APIView):
    permission_classes = [asks(Action.VIEW_CASES)]
    pagination_class = Pagination  # for the schema: list_cases pages itself

    @extend_schema(
        tags=CASES,
        summary="Casussen die de gebruiker mag zien, gefilterd en gesorteerd",
        parameters=LIST_PARAMETERS,
        responses={200: CaseRowSerializer(many=True), **errors(400)},
    )
    def get(self, request: Request) -> Response:
        params = request.query_params.dict()
        listing = list_cases(request.user, params, params.get("pagina", 1))
        if not listing.filters.is_valid():
            raise serializers.ValidationError(listing.filters.errors)
        rows = [
            setattr(casus, "report_count", listing.report_counts.get(casus.pk, 0)) or casus
            for casus in listing.page.object_list
        ]
        return page_response(request, listing.page, CaseRowSerializer(rows, many=True).data)


class CaseDetail(APIView):
    permission_classes = [asks(Action.VIEW_CASE, unseen=True)]

    @extend_schema(
        tags=CASES,
        summary="Het dossier van een casus (elke getoonde persoon is een regel in het logboek)",
        responses={200: CaseFileSerializer, **errors(404)},
    )
    def get(self, request: Request, reference: str) -> Response:
        casus = find_case(request.user, reference)
        return Response(CaseFileSerializer(read_case_file(request.user, casus)).data)


class MoveSerializer(serializers.Serializer):
    to = serializers.CharField(max_length=40, help_text="Code van de volgende stap.")
    reason = serializers.CharField(max_length=10000, required=False, default="", allow_blank=True)


class MovedSerializer(serializers.Serializer):
    from_step = serializers.CharField(source="from_step.code")
    to_step = serializers.CharField(source="to_step.code")
    at = serializers.DateTimeField()


class CaseMove(APIView):
    permission_classes = [asks(Action.VIEW_CASE, unseen=True)]

    @extend_schema(
        tags=CASES,
        summary="De casus naar een volgende stap zetten (via de workflow-engine)",
        description="Geweigerd (400, code `overgang_geweigerd`) als de rol, de stap of een "
        "voorwaarde het niet toelaat; de redenen staan in `velden.algemeen`.",
        request=MoveSerializer,
        responses={200: MovedSerializer, **with_body(404)},
    )
    def post(self, request: Request, reference: str) -> Response:
        casus = find_case(request.user, reference)
        data = valid(MoveSerializer, request)
        moved = engine.move(casus, data["to"], actor=request.user, reason=data["reason"])
        return Response(MovedSerializer(moved).data)


class ScreeningInput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=ScreeningOutcome.Outcome.choices)
    advice = serializers.CharField(max_length=10000, required=False, default="", allow_blank=True)


class SharingInput(serializers.Serializer):
    """What goes to a partner: the case's persons by id, which of their details, and
    the legal basis; the service checks consent, covenant and participation."""

    partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())
    persons = BoundedListField(child=serializers.IntegerField(), max_length=50, default=list)
    shared_fields = BoundedListField(
        child=serializers.ChoiceField(choices=SharedField.choices), max_length=10, default=list
    )
    legal_basis = serializers.ChoiceField(choices=LegalBasis.choices)
    legal_basis_text = serializers.CharField(
        max_length=10000, required=False, default="", allow_blank=True
    )
    answer_by = serializers.DateField(required=False, allow_null=True, default=None)

    def validate_persons(self, ids: list[int]) -> list[InvolvedPerson]:
        persons = list(InvolvedPerson.objects.filter(casus=self.context["casus"], pk__in=ids))
        if len(persons) != len(set(ids)):
            raise serializers.ValidationError(_("Kies alleen betrokkenen van deze casus."))
        return persons


class InformationRequestInput(SharingInput):
    subject = serializers.CharField(max_length=120, required=False, default="", allow_blank=True)
    question = serializers.CharField(max_length=10000)


STAFF_VIA = [(code, label) for code, label in PartnerResponse.choices if code != "portaal"]


class AnswerInput(serializers.Serializer):
    answer = serializers.CharField(max_length=10000)
    answered_via = serializers.ChoiceField(choices=STAFF_VIA)


class CloseInput(serializers.Serializer):
    reason = serializers.CharField(max_length=10000)


class ReferralInput(SharingInput):
    help = serializers.ChoiceField(choices=Referral.Help.choices)
    notes = serializers.CharField(max_length=10000, required=False, default="", allow_blank=True)


class DecisionInput(serializers.Serializer):
    accepted = serializers.BooleanField()
    reason = serializers.CharField(max_length=10000, required=False, default="", allow_blank=True)


class StaffDecisionInput(DecisionInput):
    via = serializers.ChoiceField(choices=STAFF_VIA)


def requests_of(casus: Casus) -> QuerySet[InformationRequest]:
    return InformationRequest.objects.filter(casus=casus)


ScreeningOutcomes = CaseTask(
    "Een uitkomst van de screening vastleggen",
    Action.RECORD_SCREENING,
    ScreeningInput,
    performed(records.record_screening_outcome),
    ScreeningOutcomeSerializer,
).view()
InformationRequests = CaseTask(
    "Een informatieverzoek aan een convenantpartner",
    Action.REQUEST_INFORMATION,
    InformationRequestInput,
    performed(information.request_information),
    InformationRequestSerializer,
).view()
InformationRequestAnswer = CaseTask(
    "Het antwoord van de partner vastleggen (per telefoon, e-mail of overleg)",
    Action.ANSWER_INFORMATION_REQUEST,
    AnswerInput,
    performed(information.record_answer),
    InformationRequestSerializer,
    records=requests_of,
).view()
InformationRequestClose = CaseTask(
    "Een informatieverzoek sluiten zonder antwoord, met een reden",
    Action.ANSWER_INFORMATION_REQUEST,
    CloseInput,
    performed(information.close_request),
    InformationRequestSerializer,
    records=requests_of,
).view()
Referrals = CaseTask(
    "Een doorverwijzing naar een partner",
    Action.RECORD_REFERRAL,
    ReferralInput,
    performed(referrals.refer),
    ReferralSerializer,
).view()
ReferralDecision = CaseTask(
    "Het besluit van de partner over een doorverwijzing vastleggen",
    Action.DECIDE_REFERRAL,
    StaffDecisionInput,
    performed(referrals.record_decision),
    ReferralSerializer,
    records=lambda casus: Referral.objects.filter(casus=casus),
).view()
