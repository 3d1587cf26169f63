"""Reports in through the API: a partner's professional files one as in the partner
portal (`submit_as_partner`), and anyone files one through the public channel, with the
public form's protections: a form token fetched first and sent back no sooner than a
person would (`intake.submission_of`), the same rate limits per address as the form (the same
counters, kept in PostgreSQL while Redis is down) and the same size limit."""

import uuid

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.policy import Action
from api.fields import BoundedListField
from api.permissions import Public, asks
from api.schema import errors, with_body
from audit.services import client_ip
from configuratie.gemeenten import municipalities
from meldpunt.error_shape import body
from workflow import intake, portal
from workflow.models import FeedbackPreference, Gender, PersonRole, ReporterType
from workflow.services import reports

REPORTS = ["meldingen"]
MAX_PERSONS = 5  # as the forms' blocks of persons


class PersonInput(serializers.Serializer):
    role = serializers.ChoiceField(choices=PersonRole.choices)
    name = serializers.CharField(max_length=150, required=False, default="", allow_blank=True)
    age = serializers.IntegerField(min_value=0, max_value=120, required=False, allow_null=True)
    birth_year = serializers.IntegerField(
        min_value=1900, max_value=2100, required=False, allow_null=True
    )
    gender = serializers.ChoiceField(
        choices=Gender.choices, required=False, default="", allow_blank=True
    )
    municipality = serializers.CharField(
        max_length=10, required=False, default="", allow_blank=True, help_text="CBS-code."
    )
    school = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)

    def validate_municipality(self, code: str) -> str:
        if code and code not in municipalities():
            raise serializers.ValidationError(_("Kies een gemeente uit de lijst van het CBS."))
        return code


class ReportContentInput(serializers.Serializer):
    """What every report holds: which form of the region, the concern, the warning
    signs and risk questions that form asks, and the persons it is about."""

    form_code = serializers.CharField(max_length=60, help_text="Een formulier van de regio.")
    concern = serializers.CharField(max_length=10000)
    signals = BoundedListField(
        child=serializers.CharField(max_length=60), max_length=100, default=list
    )
    risk_answers = serializers.DictField(child=serializers.CharField(max_length=20), default=dict)
    persons = PersonInput(many=True, max_length=MAX_PERSONS, default=list)

    def validate(self, data: dict) -> dict:
        # The intake rules (which form, its signals and questions) are the service's.
        data["persons"] = [reports.PersonData(**person) for person in data["persons"]]
        return data


class PartnerReportInput(ReportContentInput):
    submission_token = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Een eigen UUID per melding: dezelfde melding twee keer verstuurd is één melding.",
    )


class SubmittedSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="De meldcode.")
    secret = serializers.CharField(
        help_text="De geheime code voor de volgpagina; alleen nu te zien (leeg bij een herhaling)."
    )
    report = serializers.IntegerField(source="report.pk")


class PartnerReports(APIView):
    permission_classes = [asks(Action.REPORT_AS_PARTNER)]

    @extend_schema(
        tags=REPORTS,
        summary="Een melding als professional van een convenantpartner (zoals in het partnerportaal)",
        request=PartnerReportInput,
        responses={201: SubmittedSerializer, **with_body()},
    )
    def post(self, request: Request) -> Response:
        partner = portal.portal_partner(request.user)
        serializer = PartnerReportInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        token = data.pop("submission_token")
        submitted = reports.submit_as_partner(
            reports.partner_report_data(user=request.user, partner=partner, **data),
            actor=request.user,
            submission_token=token,
        )
        return Response(SubmittedSerializer(submitted).data, status=status.HTTP_201_CREATED)


class FormTokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text="Stuur mee met de melding, niet eerder dan na 3 seconden en binnen 24 uur."
    )


class PublicFormToken(APIView):
    authentication_classes: list = []
    permission_classes = [Public]

    @extend_schema(
        tags=REPORTS,
        summary="Een formuliertoken voor een openbare melding",
        auth=[],
        responses={200: FormTokenSerializer, **errors()},
    )
    def get(self, request: Request) -> Response:
        return Response({"token": intake.new_form_token()})


class PublicReportInput(ReportContentInput):
    token = serializers.CharField(max_length=200, help_text="Van /openbaar/formuliertoken/.")
    reporter_type = serializers.ChoiceField(choices=ReporterType.choices)
    reporter_organisation = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )
    anonymous = serializers.BooleanField(required=False, default=False)
    reporter_name = serializers.CharField(
        max_length=150, required=False, default="", allow_blank=True
    )
    reporter_email = serializers.EmailField(required=False, default="", allow_blank=True)
    reporter_phone = serializers.CharField(
        max_length=30, required=False, default="", allow_blank=True
    )
    feedback_preference = serializers.ChoiceField(
        choices=FeedbackPreference.choices, default=FeedbackPreference.FOLLOW_PAGE
    )

    def validate_token(self, token: str) -> uuid.UUID:
        return intake.submission_of(token)  # DRF turns its ValidationError into the field's


def rate_limited() -> Response:
    return Response(
        body(
            "te_veel_verzoeken", _("U heeft te vaak gemeld. Probeer het over tien minuten opnieuw.")
        ),
        status=status.HTTP_429_TOO_MANY_REQUESTS,
    )


class PublicReports(APIView):
    authentication_classes: list = []
    permission_classes = [Public]

    @extend_schema(
        tags=REPORTS,
        summary="Een openbare melding, zonder account (met de beveiliging van het meldformulier)",
        description="Eerst een token ophalen bij /openbaar/formuliertoken/. Per adres gelden "
        "dezelfde grenzen als voor het formulier op de website.",
        auth=[],
        request=PublicReportInput,
        responses={201: SubmittedSerializer, **with_body()},
    )
    def post(self, request: Request) -> Response:
        client = client_ip(request)
        if intake.SUBMISSIONS_PER_ADDRESS.exceeded_by(client):
            return rate_limited()
        serializer = PublicReportInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        token = data.pop("token")
        try:
            submitted = reports.submit_report(
                reports.ReportData(channel=reports.WEB_CHANNEL, **data),
                submission_token=token,
                client=client,
            )
        except intake.TooManyReports:
            return rate_limited()
        return Response(SubmittedSerializer(submitted).data, status=status.HTTP_201_CREATED)
