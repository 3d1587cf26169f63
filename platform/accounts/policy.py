"""The one place that decides who may do what.

Views, and later the API, ask `may()` or `require()`; none of them look at roles
themselves. A region's users act only on their own region (their account exists
only in its schema); national administrators act only on the platform.
"""

from enum import StrEnum

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q
from django_tenants.utils import get_public_schema_name


class Role(StrEnum):
    MEDEWERKER = "medewerker"
    PROCESREGISSEUR = "procesregisseur"
    SCREENINGSTEAMLID = "screeningsteamlid"
    CASUSCOORDINATOR = "casuscoordinator"
    PARTNERCONTACT = "partnercontact"
    REGIOBEHEERDER = "regiobeheerder"
    ANALIST = "analist"


class Action(StrEnum):
    VIEW_DASHBOARD = "view_dashboard"
    MANAGE_USERS = "manage_users"
    MANAGE_REGIONS = "manage_regions"
    CONFIGURE_REGION = "configure_region"
    VIEW_CASES = "view_cases"
    VIEW_CASE = "view_case"
    OPEN_CASE = "open_case"
    ADD_REPORT_TO_CASE = "add_report_to_case"
    MOVE_CASE = "move_case"
    CHANGE_CASE_DETAILS = "change_case_details"
    RECORD_SCREENING = "record_screening"
    CONTACT_REPORTER = "contact_reporter"
    REQUEST_INFORMATION = "request_information"
    ANSWER_INFORMATION_REQUEST = "answer_information_request"
    RECORD_RISK_ASSESSMENT = "record_risk_assessment"
    WRITE_PLAN = "write_plan"
    APPOINT_COORDINATOR = "appoint_coordinator"
    RECORD_CASE_CONFERENCE = "record_case_conference"
    RECORD_REFERRAL = "record_referral"
    CLOSE_CASE = "close_case"
    RECORD_EVALUATION = "record_evaluation"
    COMPLETE_CASE = "complete_case"
    REOPEN_CASE = "reopen_case"
    VIEW_STATISTICS = "view_statistics"
    EXPORT_STATISTICS = "export_statistics"
    COMPARE_BENCHMARK = "compare_benchmark"
    VIEW_PREVENTION = "view_prevention"
    RECORD_PREVENTION = "record_prevention"
    VIEW_NATIONAL_BENCHMARK = "view_national_benchmark"


CASE_STAFF = frozenset(
    {Role.MEDEWERKER, Role.PROCESREGISSEUR, Role.SCREENINGSTEAMLID, Role.CASUSCOORDINATOR}
)
MELDPUNT_STAFF = frozenset({Role.MEDEWERKER, Role.PROCESREGISSEUR})
# Aggregates only, never a person: the analist sees these and nothing with personal data.
STATISTICS_READERS = frozenset({Role.ANALIST, Role.REGIOBEHEERDER, Role.PROCESREGISSEUR})
REGION_RULES: dict[Action, frozenset[Role]] = {
    Action.VIEW_DASHBOARD: frozenset(Role),
    Action.MANAGE_USERS: frozenset({Role.REGIOBEHEERDER}),
    Action.CONFIGURE_REGION: frozenset({Role.REGIOBEHEERDER}),
    Action.VIEW_CASES: CASE_STAFF,
    Action.VIEW_CASE: CASE_STAFF,
    Action.OPEN_CASE: MELDPUNT_STAFF,
    Action.ADD_REPORT_TO_CASE: MELDPUNT_STAFF,
    Action.MOVE_CASE: CASE_STAFF,
    Action.CHANGE_CASE_DETAILS: MELDPUNT_STAFF | {Role.SCREENINGSTEAMLID},
    Action.RECORD_SCREENING: MELDPUNT_STAFF | {Role.SCREENINGSTEAMLID},
    Action.CONTACT_REPORTER: CASE_STAFF,
    Action.REQUEST_INFORMATION: MELDPUNT_STAFF,
    Action.ANSWER_INFORMATION_REQUEST: MELDPUNT_STAFF,
    Action.RECORD_RISK_ASSESSMENT: MELDPUNT_STAFF | {Role.SCREENINGSTEAMLID},
    Action.WRITE_PLAN: CASE_STAFF,
    Action.APPOINT_COORDINATOR: MELDPUNT_STAFF | {Role.SCREENINGSTEAMLID},
    Action.RECORD_CASE_CONFERENCE: MELDPUNT_STAFF | {Role.SCREENINGSTEAMLID},
    Action.RECORD_REFERRAL: CASE_STAFF,
    Action.CLOSE_CASE: CASE_STAFF,
    Action.RECORD_EVALUATION: MELDPUNT_STAFF,
    Action.COMPLETE_CASE: MELDPUNT_STAFF,
    Action.REOPEN_CASE: MELDPUNT_STAFF,
    Action.VIEW_STATISTICS: STATISTICS_READERS,
    Action.EXPORT_STATISTICS: STATISTICS_READERS,
    Action.COMPARE_BENCHMARK: STATISTICS_READERS,
    # The registers' free texts (an organisation, an evaluation, an advice) are the
    # meldpunt's own work; their statistics are for STATISTICS_READERS.
    Action.VIEW_PREVENTION: MELDPUNT_STAFF,
    Action.RECORD_PREVENTION: MELDPUNT_STAFF,
}
NATIONAL_ACTIONS: frozenset[Action] = frozenset(
    {Action.MANAGE_REGIONS, Action.VIEW_NATIONAL_BENCHMARK}
)


def on_platform() -> bool:
    return connection.schema_name == get_public_schema_name()


def mfa_satisfied(user) -> bool:
    """True when the user has set up TOTP (or is a demo account on a demo machine)."""
    if not user.is_authenticated:
        return False
    if settings.DEBUG and settings.DEMO_MODE and user.is_demo:
        return True
    if not hasattr(user, "_mfa_satisfied"):
        user._mfa_satisfied = is_mfa_enabled(user, [Authenticator.Type.TOTP])
    return user._mfa_satisfied


def may(user, action: Action, obj: object | None = None) -> bool:
    if not (user.is_authenticated and user.is_active and mfa_satisfied(user)):
        return False
    if action in NATIONAL_ACTIONS:
        return on_platform() and user.is_national_admin
    if on_platform():
        return False
    roles = user.role_codes()
    if not REGION_RULES[action] & roles:
        return False
    if obj is not None and action in CASE_ACTIONS:
        return may_work_on_case(user, roles, action, obj)
    return True


# Actions on one case: with a case given, need-to-know decides too.
CASE_ACTIONS = frozenset(REGION_RULES) - {
    Action.VIEW_DASHBOARD,
    Action.MANAGE_USERS,
    Action.CONFIGURE_REGION,
    Action.VIEW_CASES,
    Action.OPEN_CASE,
    Action.VIEW_STATISTICS,
    Action.EXPORT_STATISTICS,
    Action.COMPARE_BENCHMARK,
    Action.VIEW_PREVENTION,
    Action.RECORD_PREVENTION,
}
# Staff of the meldpunt itself follow every case (procesregie); others need a reason.
SEES_EVERY_CASE = frozenset({Role.MEDEWERKER, Role.PROCESREGISSEUR})


def may_work_on_case(user, roles: frozenset[str], action: Action, casus) -> bool:
    """Need to know: the meldpunt's own staff see every case; a screening team member
    the cases whose current step is the screening team's; a case coordinator only
    their own cases. A case moves on by the role its current step names, or by the
    process director's oversight."""
    if not (roles & SEES_EVERY_CASE or casus_matches(user, roles, casus)):
        return False
    if action == Action.MOVE_CASE:
        return bool({casus.current_step.responsible_role, Role.PROCESREGISSEUR} & roles)
    return True


def casus_matches(user, roles: frozenset[str], casus) -> bool:
    return (Role.CASUSCOORDINATOR in roles and casus.coordinator_id == user.pk) or (
        Role.SCREENINGSTEAMLID in roles
        and casus.current_step.responsible_role == Role.SCREENINGSTEAMLID
    )


def visible_cases(user, cases):
    """The cases of `cases` (a Casus queryset) that `user` may see: the same rule as
    may_work_on_case, as a database filter for lists."""
    if not may(user, Action.VIEW_CASES):
        return cases.none()
    roles = user.role_codes()
    if roles & SEES_EVERY_CASE:
        return cases
    allowed = Q(pk__in=[])
    if Role.CASUSCOORDINATOR in roles:
        allowed |= Q(coordinator_id=user.pk)
    if Role.SCREENINGSTEAMLID in roles:
        allowed |= Q(current_step__responsible_role=Role.SCREENINGSTEAMLID)
    return cases.filter(allowed)


def require(user, action: Action, obj: object | None = None) -> None:
    if not may(user, action, obj):
        raise PermissionDenied
