"""Consent, the evaluation and case links on the API, as on their task pages: each
finds the case as the screen does and calls the same service, which asks the policy."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from accounts.policy import Action
from api.case_tasks import CaseTask, performed
from api.cases import RECORDED
from workflow.models import CaseLink, Casus, Consent, Evaluation, EvaluationRating, InvolvedPerson
from workflow.services import consent, links, records

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
