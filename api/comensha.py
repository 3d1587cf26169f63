"""Registration of a case's victim with CoMensha, as on its screen: prepare it (refused
in Dutch without the written consent), read it as the file that goes to CoMensha (an
audited hand-over), and record that it was sent. The rules are
workflow.services.comensha's, which asks the policy itself."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.policy import Action
from api.case_tasks import CASES, CaseTask, performed
from api.permissions import asks
from api.schema import errors
from workflow.models import Casus, ComenshaRegistration, Gender, InvolvedPerson
from workflow.selectors import find_case
from workflow.services import comensha


class RegistrationSerializer(serializers.ModelSerializer):
    class Meta:
        model = ComenshaRegistration
        fields = [
            "id",
            "person",
            "consent",
            "exploitation",
            "country_of_origin",
            "age",
            "gender",
            "identifying_organisation",
            "need",
            "recorded_at",
            "sent_at",
            "sent_by",
        ]


class RegistrationFileSerializer(serializers.Serializer):
    """The file for CoMensha: its keys and CoMensha's words for the values."""

    kenmerk_melder = serializers.CharField()
    vorm_van_uitbuiting = serializers.CharField()
    land_van_herkomst = serializers.CharField()
    leeftijd = serializers.CharField()
    gender = serializers.CharField()
    signalerende_organisatie = serializers.CharField()
    behoefte = serializers.CharField()
    toestemming_gegeven_door = serializers.CharField()
    toestemming_gegeven_op = serializers.CharField()
    opgesteld_op = serializers.CharField()


class RegistrationInput(serializers.Serializer):
    person = serializers.IntegerField(help_text="Een (mogelijk) slachtoffer van deze casus.")
    exploitation = serializers.ChoiceField(choices=ComenshaRegistration.Exploitation.choices)
    country_of_origin = serializers.CharField(max_length=comensha.TEXT_MAX)
    age = serializers.IntegerField(min_value=0, max_value=120)
    gender = serializers.ChoiceField(choices=Gender.choices)
    identifying_organisation = serializers.CharField(max_length=comensha.TEXT_MAX)
    need = serializers.ChoiceField(choices=ComenshaRegistration.Need.choices)

    def validate_person(self, pk: int) -> InvolvedPerson:
        # Only this case's: whether another case's person exists is not for the caller.
        found = comensha.victims(self.context["casus"]).filter(pk=pk).first()
        if found is None:
            raise serializers.ValidationError(_("Kies een (mogelijk) slachtoffer van deze casus."))
        return found


class SentInput(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


def registrations_of(casus: Casus):
    return ComenshaRegistration.objects.filter(casus=casus)


def prepared(casus: Casus, user, data: dict) -> ComenshaRegistration:
    return comensha.prepare_registration(data.pop("person"), actor=user, **data)


Registrations = CaseTask(
    "Een registratie bij CoMensha klaarzetten (of de nog niet verstuurde wijzigen)",
    Action.REGISTER_WITH_COMENSHA,
    RegistrationInput,
    prepared,
    RegistrationSerializer,
).view()
RegistrationSent = CaseTask(
    "Vastleggen dat de registratie aan CoMensha is verstuurd (nu, door u)",
    Action.REGISTER_WITH_COMENSHA,
    SentInput,
    performed(comensha.record_sent),
    RegistrationSerializer,
    records=registrations_of,
).view()


class RegistrationFile(APIView):
    permission_classes = [asks(Action.VIEW_CASE, unseen=True)]

    @extend_schema(
        tags=CASES,
        summary="De registratie zoals die naar CoMensha gaat (elke keer een regel in het logboek)",
        responses={200: RegistrationFileSerializer, **errors(404)},
    )
    def get(self, request: Request, reference: str, pk: int) -> Response:
        casus = find_case(request.user, reference, Action.REGISTER_WITH_COMENSHA)
        registration = get_object_or_404(registrations_of(casus), pk=pk)
        made = comensha.registration_file(registration, actor=request.user, fmt="json")
        return Response(RegistrationFileSerializer(made.fields).data)
