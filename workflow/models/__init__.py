"""The case domain's models, one module per part of the work: cases, reports and their
conversations, records, meetings and plans."""

from workflow.models.cases import CaseLink, Casus, ExternalCoordinator, Recorded, StepTransition
from workflow.models.consent import Consent
from workflow.models.matching import MatchRegistration, MatchSignal
from workflow.models.meetings import AgendaItem, Meeting, MeetingFeed, MeetingGuest
from workflow.models.notifications import NotificationSetting
from workflow.models.plans import PlanAction, PlanOfApproach
from workflow.models.records import (
    CaseDocument,
    Evaluation,
    EvaluationRating,
    InformationRequest,
    JournalEntry,
    LegalBasis,
    PartnerResponse,
    Referral,
    RiskAssessment,
    ScreeningOutcome,
    SharedField,
    SharedWithPartner,
)
from workflow.models.registrations import ComenshaRegistration
from workflow.models.reports import (
    SURNAME_PARTICLES,
    Feedback,
    FeedbackPreference,
    Gender,
    InvolvedPerson,
    PersonRole,
    Report,
    ReporterMessage,
    ReporterType,
    name_part_indexes,
    surname_core,
)

__all__ = [
    "SURNAME_PARTICLES",
    "AgendaItem",
    "CaseDocument",
    "CaseLink",
    "Casus",
    "ComenshaRegistration",
    "Consent",
    "Evaluation",
    "EvaluationRating",
    "ExternalCoordinator",
    "Feedback",
    "FeedbackPreference",
    "Gender",
    "InformationRequest",
    "InvolvedPerson",
    "JournalEntry",
    "LegalBasis",
    "MatchRegistration",
    "MatchSignal",
    "Meeting",
    "MeetingFeed",
    "MeetingGuest",
    "NotificationSetting",
    "PartnerResponse",
    "PersonRole",
    "PlanAction",
    "PlanOfApproach",
    "Recorded",
    "Referral",
    "Report",
    "ReporterMessage",
    "ReporterType",
    "RiskAssessment",
    "ScreeningOutcome",
    "SharedField",
    "SharedWithPartner",
    "StepTransition",
    "name_part_indexes",
    "surname_core",
]
