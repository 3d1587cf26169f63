"""The rest of the work on a case, as on its task pages: the persons involved (an
audited read), a risk assessment with the region's instrument, feedback to the
reporter, the plan of approach and carrying out its actions. Each view finds the case
as the task page does and calls the task's service, which asks the policy."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from accounts.policy import CASE_STAFF, Action
from api.case_tasks import CASES, CaseTask, performed
from api.cases import (
    FeedbackSerializer,
    PersonSerializer,
    PlanActionSerializer,
    PlanSerializer,
    RiskAssessmentSerializer,
)
from api.schema import errors
from configuratie.models import Chain
from workflow.models import Casus, InvolvedPerson, PlanAction, PlanOfApproach, Report
from workflow.selectors import audit_persons_shown, find_case
from workflow.services import plans, reporters
from workflow.services import risk as risk_service

ANSWERS = [(answer, answer) for answer in risk_service.ANSWERS]
TEXT = {"max_length": 10000, "required": False, "default": "", "allow_blank": True}


class Persons(APIView):
    @extend_schema(
        tags=CASES,
        summary="De betrokkenen van een casus (elke getoonde persoon is een regel in het logboek)",
        responses={200: PersonSerializer(many=True), **errors(404)},
    )
    def get(self, request: Request, reference: str) -> Response:
        casus = find_case(request.user, reference)
        persons = list(InvolvedPerson.objects.filter(casus=casus).order_by("pk"))
        audit_persons_shown(request.user, casus, persons=persons)
        return Response(PersonSerializer(persons, many=True).data)


class RiskInput(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.ChoiceField(choices=ANSWERS),
        help_text="Per vraag van het instrument van de regio (code): ja, nee of onbekend.",
    )
    level = serializers.CharField(
        max_length=40, required=False, default="", allow_blank=True, help_text="Leeg: berekend."
    )
    deviation_reason = serializers.CharField(**TEXT)


class FeedbackInput(serializers.Serializer):
    text = serializers.CharField(max_length=10000)
    reports = serializers.ListField(
        child=serializers.IntegerField(), max_length=50, help_text="De meldingen van deze casus."
    )

    def validate_reports(self, ids: list[int]) -> list[Report]:
        # Only this case's: whether another case's report exists is not for the caller.
        chosen = list(Report.objects.filter(casus=self.context["casus"], pk__in=ids))
        if len(chosen) != len(set(ids)):
            raise serializers.ValidationError(_("Kies alleen meldingen van deze casus."))
        return chosen


class ActionInput(serializers.Serializer):
    description = serializers.CharField(max_length=10000)
    chain = serializers.ChoiceField(
        choices=Chain.choices, required=False, default="", allow_blank=True
    )
    owner_partner = serializers.PrimaryKeyRelatedField(
        queryset=plans.partners_for_actions(), required=False, allow_null=True, default=None
    )
    owner_user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.active_with_roles(*CASE_STAFF),
        required=False,
        allow_null=True,
        default=None,
    )
    owner_name = serializers.CharField(max_length=150, required=False, default="", allow_blank=True)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    status = serializers.ChoiceField(
        choices=PlanAction.Status.choices, default=PlanAction.Status.OPEN
    )
    outcome = serializers.CharField(**TEXT)


class PlanInput(serializers.Serializer):
    goals = serializers.CharField(max_length=10000)
    actions = ActionInput(many=True, max_length=50)
    revision_reason = serializers.CharField(**TEXT)


class ActionUpdateInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=PlanAction.Status.choices)
    outcome = serializers.CharField(**TEXT)


def action_data(actions: list[dict]) -> list[plans.ActionData]:
    """The plan's actions as ActionInput checked them, for the plans service."""
    return [plans.ActionData(**action) for action in actions]


def plan_written(casus: Casus, user: User, data: dict) -> PlanOfApproach:
    actions = action_data(data.pop("actions"))
    return plans.write_plan(casus, actor=user, actions=actions, **data)


RiskAssessments = CaseTask(
    "Een risicotaxatie vastleggen",
    Action.RECORD_RISK_ASSESSMENT,
    RiskInput,
    performed(risk_service.record_risk_assessment),
    RiskAssessmentSerializer,
).view()
FeedbackToReporter = CaseTask(
    "Terugkoppeling aan de melder(s), op hun volgpagina",
    Action.CONTACT_REPORTER,
    FeedbackInput,
    performed(reporters.record_feedback),
    FeedbackSerializer,
    many=True,
).view()
Plan = CaseTask(
    "Het plan van aanpak: de eerste versie, of een herziening als nieuwe versie",
    Action.WRITE_PLAN,
    PlanInput,
    plan_written,
    PlanSerializer,
).view()
PlanActionUpdate = CaseTask(
    "Een actie van het huidige plan bijwerken: status en resultaat",
    Action.UPDATE_PLAN_ACTION,
    ActionUpdateInput,
    performed(plans.update_action),
    PlanActionSerializer,
    records=lambda casus: PlanAction.objects.filter(plan__casus=casus),
).view()
