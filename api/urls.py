"""The API of a region's domain, under /api/v1/ (included by meldpunt.urls_tenant).

The schema describes exactly the patterns of this module (its own urlconf), so the
region's schema never lists the platform's endpoints and the other way round."""

from django.urls import path, re_path, register_converter

from api import (
    case_records,
    cases,
    casework,
    comensha,
    configuration,
    matching,
    meetings,
    partner,
    prevention,
    reports,
    statistics,
    transfers,
)
from api.docs import docs_urls
from api.errors import unknown_endpoint

API = "api/v1/"


class RecordId:
    """A record's number as PostgreSQL's bigint holds it: a longer one names nothing
    (a 404), instead of a database error."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(RecordId, "id")

urlpatterns = [
    path(f"{API}meldingen/", reports.PartnerReports.as_view(), name="api-partner-reports"),
    path(
        f"{API}openbaar/formuliertoken/",
        reports.PublicFormToken.as_view(),
        name="api-public-form-token",
    ),
    path(f"{API}openbaar/meldingen/", reports.PublicReports.as_view(), name="api-public-reports"),
    path(f"{API}casussen/", cases.CaseList.as_view(), name="api-cases"),
    path(f"{API}landelijke-signalen/", matching.MatchSignals.as_view(), name="api-match-signals"),
    path(f"{API}casussen/<str:reference>/", cases.CaseDetail.as_view(), name="api-case"),
    path(f"{API}casussen/<str:reference>/stap/", cases.CaseMove.as_view(), name="api-case-move"),
    path(
        f"{API}casussen/<str:reference>/screening/",
        cases.ScreeningOutcomes.as_view(),
        name="api-case-screening",
    ),
    path(
        f"{API}casussen/<str:reference>/informatieverzoeken/",
        cases.InformationRequests.as_view(),
        name="api-case-requests",
    ),
    path(
        f"{API}casussen/<str:reference>/informatieverzoeken/<id:pk>/antwoord/",
        cases.InformationRequestAnswer.as_view(),
        name="api-case-request-answer",
    ),
    path(
        f"{API}casussen/<str:reference>/informatieverzoeken/<id:pk>/sluiten/",
        cases.InformationRequestClose.as_view(),
        name="api-case-request-close",
    ),
    path(
        f"{API}casussen/<str:reference>/doorverwijzingen/",
        cases.Referrals.as_view(),
        name="api-case-referrals",
    ),
    path(
        f"{API}casussen/<str:reference>/doorverwijzingen/<id:pk>/besluit/",
        cases.ReferralDecision.as_view(),
        name="api-case-referral-decision",
    ),
    path(
        f"{API}casussen/<str:reference>/betrokkenen/",
        casework.Persons.as_view(),
        name="api-case-persons",
    ),
    path(
        f"{API}casussen/<str:reference>/risicotaxaties/",
        casework.RiskAssessments.as_view(),
        name="api-case-risk",
    ),
    path(
        f"{API}casussen/<str:reference>/terugkoppeling/",
        casework.FeedbackToReporter.as_view(),
        name="api-case-feedback",
    ),
    path(f"{API}casussen/<str:reference>/plan/", casework.Plan.as_view(), name="api-case-plan"),
    path(
        f"{API}casussen/<str:reference>/plan/acties/<id:pk>/",
        casework.PlanActionUpdate.as_view(),
        name="api-case-plan-action",
    ),
    path(
        f"{API}casussen/<str:reference>/overdracht/",
        transfers.Propose.as_view(),
        name="api-case-transfer",
    ),
    path(f"{API}overdrachten/", transfers.Transfers.as_view(), name="api-transfers"),
    path(
        f"{API}overdrachten/<id:pk>/besluit/",
        transfers.Decision.as_view(),
        name="api-transfer-decision",
    ),
    path(
        f"{API}casussen/<str:reference>/toestemmingen/",
        case_records.Consents.as_view(),
        name="api-case-consents",
    ),
    path(
        f"{API}casussen/<str:reference>/toestemmingen/<id:pk>/intrekken/",
        case_records.ConsentWithdrawal.as_view(),
        name="api-case-consent-withdraw",
    ),
    path(
        f"{API}casussen/<str:reference>/evaluatie/",
        case_records.Evaluations.as_view(),
        name="api-case-evaluation",
    ),
    path(
        f"{API}casussen/<str:reference>/koppelingen/",
        case_records.CaseLinks.as_view(),
        name="api-case-links",
    ),
    path(
        f"{API}casussen/<str:reference>/documenten/",
        case_records.Documents.as_view(),
        name="api-case-documents",
    ),
    path(
        f"{API}casussen/<str:reference>/documenten/<id:pk>/",
        case_records.DocumentDownload.as_view(),
        name="api-case-document",
    ),
    path(
        f"{API}casussen/<str:reference>/comensha/",
        comensha.Registrations.as_view(),
        name="api-case-comensha",
    ),
    path(
        f"{API}casussen/<str:reference>/comensha/<id:pk>/",
        comensha.RegistrationFile.as_view(),
        name="api-case-comensha-file",
    ),
    path(
        f"{API}casussen/<str:reference>/comensha/<id:pk>/verstuurd/",
        comensha.RegistrationSent.as_view(),
        name="api-case-comensha-sent",
    ),
    path(f"{API}overleggen/", meetings.Meetings.as_view(), name="api-meetings"),
    path(f"{API}overleggen/<id:pk>/", meetings.MeetingDetail.as_view(), name="api-meeting"),
    path(f"{API}overleggen/<id:pk>/agenda/", meetings.Agenda.as_view(), name="api-meeting-agenda"),
    path(
        f"{API}overleggen/<id:pk>/agenda/<id:item>/",
        meetings.AgendaItemDetail.as_view(),
        name="api-meeting-item",
    ),
    path(
        f"{API}overleggen/<id:pk>/agenda/<id:item>/verslag/",
        meetings.AgendaItemRecord.as_view(),
        name="api-meeting-item-record",
    ),
    path(
        f"{API}overleggen/<id:pk>/vaststellen/",
        meetings.MeetingClose.as_view(),
        name="api-meeting-close",
    ),
    path(f"{API}preventie/", prevention.Activities.as_view(), name="api-prevention"),
    path(f"{API}adviesvragen/", prevention.AdviceRequests.as_view(), name="api-advice"),
    path(f"{API}partner/inbox/", partner.Inbox.as_view(), name="api-partner-inbox"),
    path(
        f"{API}partner/informatieverzoeken/<id:pk>/",
        partner.PortalRequest.as_view(),
        name="api-partner-request",
    ),
    path(
        f"{API}partner/informatieverzoeken/<id:pk>/antwoord/",
        partner.PortalRequestAnswer.as_view(),
        name="api-partner-request-answer",
    ),
    path(
        f"{API}partner/doorverwijzingen/<id:pk>/",
        partner.PortalReferral.as_view(),
        name="api-partner-referral",
    ),
    path(
        f"{API}partner/doorverwijzingen/<id:pk>/besluit/",
        partner.PortalReferralDecision.as_view(),
        name="api-partner-referral-decision",
    ),
    path(f"{API}statistiek/", statistics.Statistics.as_view(), name="api-statistics"),
    path(f"{API}configuratie/stappen/", configuration.Steps.as_view(), name="api-steps"),
    path(f"{API}configuratie/partners/", configuration.Partners.as_view(), name="api-partners"),
    path(f"{API}configuratie/lijsten/", configuration.Catalogues.as_view(), name="api-catalogues"),
    *docs_urls(API, urlconf=__name__),
    re_path(r"^api/", unknown_endpoint),
]
