"""The one place that decides who may do what.

Views, and later the API, ask `may()` or `require()`; none of them look at roles
themselves. A region's users act only on their own region (their account exists
only in its schema); national administrators act only on the platform.
"""

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django_tenants.utils import get_public_schema_name

if TYPE_CHECKING:
    from accounts.models import User

V = TypeVar("V", bound=Any)


class Role(StrEnum):
    MEDEWERKER = "medewerker"
    PROCESREGISSEUR = "procesregisseur"
    SCREENINGSTEAMLID = "screeningsteamlid"
    CASUSCOORDINATOR = "casuscoordinator"
    PARTNERCONTACT = "partnercontact"
    REGIOBEHEERDER = "regiobeheerder"
    ANALIST = "analist"
    PRIVACY_OFFICER = "privacyofficer"  # functionaris gegevensbescherming: sees no case content


class Action(StrEnum):
    VIEW_DASHBOARD = "view_dashboard"
    MANAGE_USERS = "manage_users"
    MANAGE_REGIONS = "manage_regions"
    MANAGE_MAIL = "manage_mail"  # see and resend the e-mail the outbox gave up on
    MANAGE_SIGN_IN = "manage_sign_in"  # the organisations' identity providers (OpenID Connect)
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
    WRITE_JOURNAL = "write_journal"
    ADD_DOCUMENT = "add_document"
    LINK_CASES = "link_cases"
    UPDATE_PLAN_ACTION = "update_plan_action"
    VIEW_MEETINGS = "view_meetings"
    VIEW_MEETING = "view_meeting"
    SCHEDULE_MEETING = "schedule_meeting"
    RECORD_IN_MEETING = "record_in_meeting"
    SUBSCRIBE_TO_MEETINGS = "subscribe_to_meetings"  # one's own meetings in one's calendar
    VIEW_OWN_CASES = "view_own_cases"
    RECORD_REFERRAL = "record_referral"
    CLOSE_CASE = "close_case"
    RECORD_EVALUATION = "record_evaluation"
    COMPLETE_CASE = "complete_case"
    REOPEN_CASE = "reopen_case"
    READ_AUDIT_LOG = "read_audit_log"
    EXPORT_AUDIT_LOG = "export_audit_log"
    REVIEW_ACCESS = "review_access"
    GIVE_ACCESS_OVERVIEW = "give_access_overview"
    CONFIGURE_RETENTION = "configure_retention"
    MANAGE_LEGAL_HOLD = "manage_legal_hold"
    VIEW_DESTRUCTIONS = "view_destructions"
    ERASE_ON_REQUEST = "erase_on_request"
    CORRECT_PERSON = "correct_person"
    USE_PRIVACY_SCREENS = "use_privacy_screens"
    VIEW_STATISTICS = "view_statistics"
    EXPORT_STATISTICS = "export_statistics"
    COMPARE_BENCHMARK = "compare_benchmark"
    VIEW_PREVENTION = "view_prevention"
    RECORD_PREVENTION = "record_prevention"
    VIEW_NATIONAL_BENCHMARK = "view_national_benchmark"
    RECORD_CONSENT = "record_consent"
    REGISTER_WITH_COMENSHA = "register_with_comensha"
    DECIDE_REFERRAL = "decide_referral"
    VIEW_OVERSIGHT = "view_oversight"
    VIEW_MATCH_SIGNALS = "view_match_signals"  # a person known to another meldpunt too
    USE_PARTNER_PORTAL = "use_partner_portal"
    ANSWER_AS_PARTNER = "answer_as_partner"
    DECIDE_REFERRAL_AS_PARTNER = "decide_referral_as_partner"
    REPORT_AS_PARTNER = "report_as_partner"
    USE_API = "use_api"  # make, revoke and sign in with one's own personal API tokens
    PROPOSE_TRANSFER = "propose_transfer"  # a warme overdracht of a case to another region
    DECIDE_TRANSFER = "decide_transfer"  # accept or decline one proposed to this region


CASE_STAFF = frozenset(
    {Role.MEDEWERKER, Role.PROCESREGISSEUR, Role.SCREENINGSTEAMLID, Role.CASUSCOORDINATOR}
)
MELDPUNT_STAFF = frozenset({Role.MEDEWERKER, Role.PROCESREGISSEUR})
# Aggregates only, never a person: the analist sees these and nothing with personal data.
STATISTICS_READERS = frozenset({Role.ANALIST, Role.REGIOBEHEERDER, Role.PROCESREGISSEUR})
REGION_RULES: dict[Action, frozenset[Role]] = {
    Action.VIEW_DASHBOARD: frozenset(Role),
    Action.MANAGE_USERS: frozenset({Role.REGIOBEHEERDER}),
    Action.MANAGE_MAIL: frozenset({Role.REGIOBEHEERDER}),
    Action.MANAGE_SIGN_IN: frozenset({Role.REGIOBEHEERDER}),
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
    Action.WRITE_JOURNAL: CASE_STAFF,
    Action.ADD_DOCUMENT: CASE_STAFF,
    Action.LINK_CASES: MELDPUNT_STAFF,
    Action.UPDATE_PLAN_ACTION: MELDPUNT_STAFF | {Role.CASUSCOORDINATOR},
    Action.VIEW_MEETINGS: MELDPUNT_STAFF | {Role.SCREENINGSTEAMLID},
    Action.VIEW_MEETING: MELDPUNT_STAFF | {Role.SCREENINGSTEAMLID},
    Action.SCHEDULE_MEETING: MELDPUNT_STAFF,
    Action.RECORD_IN_MEETING: MELDPUNT_STAFF | {Role.SCREENINGSTEAMLID},
    Action.SUBSCRIBE_TO_MEETINGS: CASE_STAFF,  # whom a meeting can invite
    Action.VIEW_OWN_CASES: frozenset({Role.CASUSCOORDINATOR}),
    Action.RECORD_CONSENT: MELDPUNT_STAFF | {Role.CASUSCOORDINATOR},
    # Whoever may record the consent it rests on: the meldpunt, and a case's coordinator.
    Action.REGISTER_WITH_COMENSHA: MELDPUNT_STAFF | {Role.CASUSCOORDINATOR},
    Action.DECIDE_REFERRAL: MELDPUNT_STAFF,
    Action.VIEW_OVERSIGHT: MELDPUNT_STAFF,
    # Signals that another meldpunt knows a person too go to process oversight only.
    Action.VIEW_MATCH_SIGNALS: frozenset({Role.PROCESREGISSEUR}),
    Action.USE_PARTNER_PORTAL: frozenset({Role.PARTNERCONTACT}),
    Action.ANSWER_AS_PARTNER: frozenset({Role.PARTNERCONTACT}),
    Action.DECIDE_REFERRAL_AS_PARTNER: frozenset({Role.PARTNERCONTACT}),
    Action.REPORT_AS_PARTNER: frozenset({Role.PARTNERCONTACT}),
    Action.RECORD_REFERRAL: CASE_STAFF,
    Action.CLOSE_CASE: CASE_STAFF,
    Action.RECORD_EVALUATION: MELDPUNT_STAFF,
    Action.COMPLETE_CASE: MELDPUNT_STAFF,
    Action.REOPEN_CASE: MELDPUNT_STAFF,
    # Privacy in operation: the log, its review and a person's overview are the privacy
    # officer's; retention is configuration; a legal hold or an erasure request is
    # decided without reading the case, so these need no need-to-know on its content.
    Action.READ_AUDIT_LOG: frozenset({Role.PRIVACY_OFFICER}),
    Action.EXPORT_AUDIT_LOG: frozenset({Role.PRIVACY_OFFICER}),
    Action.REVIEW_ACCESS: frozenset({Role.PRIVACY_OFFICER}),
    Action.GIVE_ACCESS_OVERVIEW: frozenset({Role.PRIVACY_OFFICER}),
    Action.CONFIGURE_RETENTION: frozenset({Role.REGIOBEHEERDER}),
    Action.MANAGE_LEGAL_HOLD: frozenset({Role.REGIOBEHEERDER, Role.PRIVACY_OFFICER}),
    Action.VIEW_DESTRUCTIONS: frozenset({Role.REGIOBEHEERDER, Role.PRIVACY_OFFICER}),
    Action.ERASE_ON_REQUEST: frozenset({Role.PROCESREGISSEUR, Role.PRIVACY_OFFICER}),
    Action.CORRECT_PERSON: MELDPUNT_STAFF,
    Action.USE_PRIVACY_SCREENS: frozenset(
        {Role.PRIVACY_OFFICER, Role.REGIOBEHEERDER, Role.PROCESREGISSEUR}
    ),
    Action.VIEW_STATISTICS: STATISTICS_READERS,
    Action.EXPORT_STATISTICS: STATISTICS_READERS,
    Action.COMPARE_BENCHMARK: STATISTICS_READERS,
    # The registers' free texts (an organisation, an evaluation, an advice) are the
    # meldpunt's own work; their statistics are for STATISTICS_READERS.
    Action.VIEW_PREVENTION: MELDPUNT_STAFF,
    Action.RECORD_PREVENTION: MELDPUNT_STAFF,
    # A token acts as its owner and no further: every endpoint asks this policy again.
    Action.USE_API: frozenset(Role),
    # A warme overdracht is procesregie: the procesregisseur of each side decides.
    Action.PROPOSE_TRANSFER: frozenset({Role.PROCESREGISSEUR}),
    Action.DECIDE_TRANSFER: frozenset({Role.PROCESREGISSEUR}),
}
# What national administrators may do, on the platform only. An action that is also in
# REGION_RULES (the API) is a region's roles' in a region and theirs on the platform.
NATIONAL_ACTIONS: frozenset[Action] = frozenset(
    {
        Action.MANAGE_REGIONS,
        Action.MANAGE_MAIL,
        Action.MANAGE_SIGN_IN,
        Action.VIEW_NATIONAL_BENCHMARK,
        Action.USE_API,
    }
)


@dataclass(frozen=True)
class RegionFacts:
    """What the policy weighs about the current region that the region's configuration
    holds. The configuration sits above the platform: configuratie hands these in when
    Django starts (configuratie.apps), so that the policy never imports it."""

    # The partner organisation whose contact person the account is, if any.
    partner_of: Callable[[object], int | None]
    # How many days before and after a meeting its attendees see the cases on its agenda.
    meeting_access_days: Callable[[], tuple[int, int]]
    # What a screening team member sees of the cases waiting for the team before a
    # meeting puts them on an agenda (a ScreeningTeamAccess value).
    screening_team_access: Callable[[], str]


class ScreeningTeamAccess(StrEnum):
    """The region's choice of what a screening team member sees of a case whose current
    step names the screening team, before it is on the agenda of a meeting they attend."""

    AGENDA_ONLY = "alleen_agenda"  # nothing: the case is seen from the agenda only
    WITHOUT_REPORTER = "zonder_melder"  # the case, without the reporter's identity
    FULL = "volledig"  # the whole case


region_facts: RegionFacts | None = None


def use_region_facts(facts: RegionFacts) -> None:
    global region_facts  # set once, when the apps are ready
    region_facts = facts


def on_platform() -> bool:
    return connection.schema_name == get_public_schema_name()


def mfa_satisfied(user) -> bool:
    """True when the user has set up TOTP (or is a demo account on a demo machine)."""
    if not user.is_authenticated:
        return False
    if settings.DEBUG and settings.DEMO_MODE and user.is_demo:
        return True
    if not hasattr(user, "_mfa_satisfied"):
        read_access(user)
    return user._mfa_satisfied


def access_facts() -> dict[str, Any]:
    """What the policy asks of every signed-in user on every request: whether they set
    up an authenticator (as allauth's is_mfa_enabled asks it), and their role codes."""
    from accounts.models import Role  # the models import this module

    return {
        "mfa": Exists(
            Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
        ),
        "codes": ArraySubquery(Role.objects.filter(users=OuterRef("pk")).order_by().values("code")),
    }


@functools.cache
def access_query() -> tuple[str, tuple]:
    """The one statement that reads the access facts of a user already read; compiled
    once per process. Its SQL and its parameters but the last, the user's key."""
    from accounts.models import User  # the models import this module

    facts = User.objects.filter(pk=0).values(**access_facts()).order_by()
    sql, params = facts.query.sql_with_params()
    return sql, params[:-1]


def read_access(user) -> None:
    """Reads whether `user` has set up TOTP and their role codes in one statement (two
    before), and keeps both on the user object for the rest of the request."""
    sql, params = access_query()
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, user.pk])
        row = cursor.fetchone()
    mfa, codes = row if row is not None else (False, [])
    user._mfa_satisfied = mfa
    if not hasattr(user, "_role_codes"):
        user._role_codes = frozenset(codes)


@functools.cache
def user_with_access_query() -> tuple[str, tuple, tuple[str, ...]]:
    """The statement that reads a signed-in user's row with the access facts, compiled
    once per process: every signed-in request read the user, then the facts, each
    compiled anew. Its SQL, its parameters but the last (the user's key), and the
    user's columns in the order it reads them."""
    from accounts.models import User  # the models import this module

    columns = tuple(field.attname for field in User._meta.concrete_fields)
    row = User.objects.filter(pk=0).annotate(**access_facts()).values_list(*columns, "mfa", "codes")
    sql, params = row.order_by().query.sql_with_params()
    return sql, params[:-1], columns


def user_with_access(user_id: object) -> "User | None":
    """The user with key `user_id` (as the session keeps it) and their access facts,
    in one statement; None when there is no such user. (The user's fields need no
    conversion from the database: no encrypted or JSON field among them.)"""
    from accounts.models import User  # the models import this module

    sql, params, columns = user_with_access_query()
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, User._meta.pk.to_python(user_id)])
        row = cursor.fetchone()
    if row is None:
        return None
    user = User.from_db(connection.alias, columns, row[:-2])
    user._mfa_satisfied, user._role_codes = row[-2], frozenset(row[-1])
    return user


def may(user, action: Action, obj: object | None = None) -> bool:
    if not (user.is_authenticated and user.is_active and mfa_satisfied(user)):
        return False
    return may_signed_in(user, action, obj, on_platform())


def allowed_actions(user, actions: Iterable[Action]) -> frozenset[Action]:
    """Those of `actions` that `user` may take (as may() without an object answers):
    every page's menu asks a dozen, and asked who the user is and where each time."""
    if not (user.is_authenticated and user.is_active and mfa_satisfied(user)):
        return frozenset()
    platform = on_platform()
    return frozenset(
        action for action in set(actions) if may_signed_in(user, action, None, platform)
    )


def may_signed_in(user, action: Action, obj: object | None, platform: bool) -> bool:
    """may() for a user signed in with their second factor, on the platform or not."""
    if platform:
        return action in NATIONAL_ACTIONS and user.is_national_admin
    # A national administrator's account is the platform's: in a region it is nobody.
    if action not in REGION_RULES or user.is_national_admin:
        return False
    roles = user.role_codes()
    if not REGION_RULES[action] & roles:
        return False
    if action in PARTNER_ACTIONS:
        partner = partner_of(user)
        return partner is not None and (obj is None or obj.partner_id == partner)
    if obj is not None and action in MEETING_ACTIONS:
        return bool(roles & SEES_EVERY_CASE) or obj.attendees.filter(pk=user.pk).exists()
    if obj is not None and action in CASE_ACTIONS:
        return may_work_on_case(user, roles, action, obj)
    return True


# Actions of a partner's contact person: only with an account linked to a partner, and
# only on what is addressed to that partner (an information request, a referral).
PARTNER_ACTIONS = frozenset(
    {
        Action.USE_PARTNER_PORTAL,
        Action.ANSWER_AS_PARTNER,
        Action.DECIDE_REFERRAL_AS_PARTNER,
        Action.REPORT_AS_PARTNER,
    }
)


def partner_of(user) -> int | None:
    """The partner organisation whose contact person `user` is, if any (read once per user)."""
    if not hasattr(user, "_partner_id"):
        user._partner_id = region_facts.partner_of(user)
    return user._partner_id


# Actions on one meeting: the meldpunt's staff, and those who attend it.
MEETING_ACTIONS = frozenset({Action.VIEW_MEETING})
# Actions on one case: with a case given, need-to-know decides too.
CASE_ACTIONS = (
    frozenset(REGION_RULES)
    - MEETING_ACTIONS
    - {
        Action.VIEW_DASHBOARD,
        Action.MANAGE_USERS,
        Action.MANAGE_SIGN_IN,
        Action.CONFIGURE_REGION,
        Action.VIEW_CASES,
        Action.OPEN_CASE,
        Action.VIEW_MEETINGS,
        Action.SUBSCRIBE_TO_MEETINGS,
        Action.VIEW_OWN_CASES,
        Action.READ_AUDIT_LOG,
        Action.EXPORT_AUDIT_LOG,
        Action.REVIEW_ACCESS,
        Action.GIVE_ACCESS_OVERVIEW,
        Action.CONFIGURE_RETENTION,
        Action.MANAGE_LEGAL_HOLD,
        Action.VIEW_DESTRUCTIONS,
        Action.ERASE_ON_REQUEST,
        Action.USE_PRIVACY_SCREENS,
        Action.VIEW_STATISTICS,
        Action.EXPORT_STATISTICS,
        Action.COMPARE_BENCHMARK,
        Action.VIEW_PREVENTION,
        Action.RECORD_PREVENTION,
        Action.VIEW_OVERSIGHT,
        Action.VIEW_MATCH_SIGNALS,
        Action.USE_API,
        Action.DECIDE_TRANSFER,
    }
    - PARTNER_ACTIONS
)
# Staff of the meldpunt itself follow every case (procesregie); others need a reason.
SEES_EVERY_CASE = frozenset({Role.MEDEWERKER, Role.PROCESREGISSEUR})


def may_work_on_case(user, roles: frozenset[str], action: Action, casus) -> bool:
    """Need to know: the meldpunt's own staff see every case; a screening team member
    the cases on the agenda of a meeting they attend, from some days before it until
    some days after (the region sets the days), and, where the region chooses so, the
    open cases whose current step names the screening team; a case coordinator only
    their own cases. A case moves on by the role its current step names, or by the
    process director's oversight."""
    if not (roles & SEES_EVERY_CASE or casus_matches(user, roles, casus)):
        return False
    if action == Action.MOVE_CASE:
        return bool({casus.current_step.responsible_role, Role.PROCESREGISSEUR} & roles)
    return True


def casus_matches(user, roles: frozenset[str], casus) -> bool:
    return (
        (Role.CASUSCOORDINATOR in roles and casus.coordinator_id == user.pk)
        or (Role.SCREENINGSTEAMLID in roles and on_attended_agenda(user, casus))
        or (
            Role.SCREENINGSTEAMLID in roles
            and screening_team_access(user) != ScreeningTeamAccess.AGENDA_ONLY
            and waits_for_screening_team(casus)
        )
    )


def on_attended_agenda(user, casus) -> bool:
    return casus.agenda_items.filter(agenda_window(user, prefix="meeting__")).exists()


def screening_team_access(user) -> ScreeningTeamAccess:
    """The region's choice, read once per user and request."""
    if not hasattr(user, "_screening_team_access"):
        user._screening_team_access = ScreeningTeamAccess(region_facts.screening_team_access())
    return user._screening_team_access


def waiting_for_screening_team() -> Q:
    """Open cases whose current step the screening team is responsible for."""
    return Q(completed_at__isnull=True, current_step__responsible_role=Role.SCREENINGSTEAMLID)


def waits_for_screening_team(casus) -> bool:
    return casus.completed_at is None and (
        casus.current_step.responsible_role == Role.SCREENINGSTEAMLID
    )


def screening_team_reach(user) -> ScreeningTeamAccess | None:
    """For a screening team member who does not see every case: what they find of the
    cases waiting for the team (the region's choice), so that screens can say so."""
    roles = user.role_codes()
    if Role.SCREENINGSTEAMLID not in roles or roles & SEES_EVERY_CASE:
        return None
    return screening_team_access(user)


def may_see_reporter_identity(user, casus) -> bool:
    """Whether `user` sees who reported (name, organisation, e-mail, phone) on a case
    they may see: not a screening team member who sees it only because it waits for
    the team, where the region chose to keep the reporter out of view until a meeting."""
    roles = user.role_codes()
    if (
        roles & SEES_EVERY_CASE
        or screening_team_access(user) != ScreeningTeamAccess.WITHOUT_REPORTER
    ):
        return True
    return (Role.CASUSCOORDINATOR in roles and casus.coordinator_id == user.pk) or (
        Role.SCREENINGSTEAMLID in roles and on_attended_agenda(user, casus)
    )


def agenda_window(user, prefix: str = "") -> Q:
    """Meetings `user` attends that are near enough to today to see their agenda."""
    if not hasattr(user, "_agenda_window"):
        days_before, days_after = region_facts.meeting_access_days()
        today = timezone.localdate()
        user._agenda_window = (
            today - timedelta(days=days_after),
            today + timedelta(days=days_before),
        )
    first, last = user._agenda_window
    return Q(
        **{
            f"{prefix}attendees": user,
            f"{prefix}starts_at__date__gte": first,
            f"{prefix}starts_at__date__lte": last,
        }
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
        agenda = cases.model._meta.get_field("agenda_items").related_model
        allowed |= Q(
            Exists(
                agenda.objects.filter(agenda_window(user, prefix="meeting__"), casus=OuterRef("pk"))
            )
        )
        if screening_team_access(user) != ScreeningTeamAccess.AGENDA_ONLY:
            allowed |= waiting_for_screening_team()
    return cases.filter(allowed)


def require(user, action: Action, obj: object | None = None) -> None:
    if not may(user, action, obj):
        raise PermissionDenied


# Roles granted only when a second administrator confirms: they read cases, or what
# is shared with a partner (partnercontact), or (regiobeheerder) confirm such grants,
# so that one administrator with a second account of their own cannot play both parts.
ROLES_NEEDING_CONFIRMATION = CASE_STAFF | {Role.REGIOBEHEERDER, Role.PARTNERCONTACT}


def may_change_roles_of(user, account) -> bool:
    """Administrators change the roles of others, never their own."""
    return may(user, Action.MANAGE_USERS) and account.pk != user.pk


def confirmers_of(grant):
    """The region's accounts that could confirm `grant`: active regiobeheerders other
    than the one who asked and the one who is to get the role."""
    from accounts.models import User

    return User.objects.filter(is_active=True, roles__code=Role.REGIOBEHEERDER).exclude(
        pk__in=[grant.requested_by_id, grant.account_id]
    )


def may_decide_role_grant(user, grant, *, confirm: bool, nationally: bool = False) -> bool:
    """Withdrawing an open grant takes nothing from anyone: any administrator may.
    Confirming needs a second pair of eyes: a regiobeheerder other than the asker and
    the account; the national administrator only where the region has no such person.
    `nationally` is passed by national.services alone, after it required
    Action.MANAGE_REGIONS on the platform: in the region's schema the national
    administrator's account does not exist, so only the region's state is asked here."""
    if nationally:
        return not confirm or not confirmers_of(grant).exists()
    if not may(user, Action.MANAGE_USERS):
        return False
    return not confirm or user.pk not in {grant.requested_by_id, grant.account_id}


# A view shows whom it lets in, for tests/accounts/test_every_view_asks_the_policy.py,
# which fails on any URL whose view does not: `asks_policy` holds the actions the view
# asks before it runs (frontend.access.allowed, api.permissions.asks), or PUBLIC.
PUBLIC = "public"


def marked(view: V, asked: tuple[Action, ...] | str) -> V:
    view.asks_policy = asked
    return view


def public(view: V) -> V:
    """Declares a view open to anyone: it shows or takes nobody's data but the visitor's
    own (the report form, the follow-up by code, signing in, the API's description)."""
    return marked(view, PUBLIC)
