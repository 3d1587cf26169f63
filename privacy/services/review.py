"""The weekly log review: unusual access in last week's audit lines, stored as
findings the privacy officer checks off with a note.

What counts as unusual (NEN 7513 asks that someone looks; these make the looking
feasible):
- many cases: a user opened at least MANY_CASES_FACTOR times the median number of
  cases opened per user that week, and at least MANY_CASES_MARGIN more;
- outside working hours: a case page opened before WORKDAY_START or from WORKDAY_END
  (Amsterdam time), or in a weekend;
- not linked: a case page opened by a user who, at that moment, was not its
  coordinator, did not hold the role responsible for the step the case was in, is not
  the process director (who oversees every case), and never recorded anything on it;
- a search without follow-up: a search on a person's name or school that found
  cases, none of which the same user opened within FOLLOW_UP of the search.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.policy import Action, Role, require
from accounts.services import site_url
from audit.models import AuditAction, AuditEntry
from audit.services import record
from meldpunt.outbox import queue_templated_email
from privacy.models import AccessReview, FindingKind, ReviewFinding
from workflow.models import Casus, StepTransition

MANY_CASES_FACTOR = 2
MANY_CASES_MARGIN = 10
WORKDAY_START = time(7, 0)
WORKDAY_END = time(19, 0)
FOLLOW_UP = timedelta(hours=1)
CASE_PAGE = "workflow.Casus"
PERSON_SEARCH = "persoon of school"


@dataclass(frozen=True)
class Opened:
    """A user's first opening of a case page in the period."""

    user_id: int
    user_email: str
    role: str
    case_id: str
    at: datetime


def openings(lines: list[AuditEntry]) -> list[Opened]:
    first: dict[tuple[int, str], Opened] = {}
    for line in lines:
        if line.action == AuditAction.VIEW and line.object_type == CASE_PAGE and line.user_id:
            key = (line.user_id, line.case_id)
            if key not in first:
                first[key] = Opened(line.user_id, line.user_email, line.role, line.case_id, line.at)
    return list(first.values())


def outside_working_hours(moment: datetime) -> bool:
    local = timezone.localtime(moment)
    return local.weekday() >= 5 or not WORKDAY_START <= local.time() < WORKDAY_END


def many_cases(opened: list[Opened]) -> list[dict]:
    per_user: dict[int, list[Opened]] = defaultdict(list)
    for item in opened:
        per_user[item.user_id].append(item)
    if len(per_user) < 2:
        return []
    median = statistics.median(len(items) for items in per_user.values())
    return [
        {"item": items[0], "count": len(items), "median": median}
        for items in per_user.values()
        if len(items) >= MANY_CASES_FACTOR * median and len(items) - median >= MANY_CASES_MARGIN
    ]


def step_role_at(transitions: list[StepTransition], moment: datetime) -> str:
    role = ""
    for transition in transitions:  # oldest first
        if transition.at > moment:
            break
        role = transition.to_step.responsible_role
    return role


def not_linked(opened: list[Opened]) -> list[Opened]:
    references = {item.case_id for item in opened}
    cases = {
        casus.reference: casus
        for casus in Casus.objects.filter(reference__in=references).only("reference", "coordinator")
    }
    transitions: dict[int, list[StepTransition]] = defaultdict(list)
    for transition in StepTransition.objects.filter(casus__reference__in=references).select_related(
        "to_step"
    ):
        transitions[transition.casus_id].append(transition)
    worked_on = set(
        AuditEntry.objects.filter(
            case_id__in=references, action__in=[AuditAction.CREATE, AuditAction.CHANGE]
        )
        .exclude(user_id=None)
        .values_list("user_id", "case_id")
    )
    found = []
    for item in opened:
        casus = cases.get(item.case_id)
        if casus is None:
            continue
        roles = {role.strip() for role in item.role.split(",")}
        linked = (
            casus.coordinator_id == item.user_id
            or Role.PROCESREGISSEUR in roles
            or step_role_at(transitions[casus.pk], item.at) in roles
            or (item.user_id, item.case_id) in worked_on
        )
        if not linked:
            found.append(item)
    return found


def searches_without_follow_up(lines: list[AuditEntry], until: datetime) -> list[AuditEntry]:
    views: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    for line in lines:
        if line.action == AuditAction.VIEW and line.object_type == CASE_PAGE:
            views[line.user_id].append((line.at, line.case_id))
    later = AuditEntry.objects.filter(
        action=AuditAction.VIEW, object_type=CASE_PAGE, at__gte=until, at__lt=until + FOLLOW_UP
    ).values_list("user_id", "at", "case_id")
    for user_id, at, case_id in later:  # a search late on Sunday, followed up on Monday
        views[user_id].append((at, case_id))
    found = []
    for line in lines:
        if line.action != AuditAction.SEARCH or line.detail.get("zoekopdracht") != PERSON_SEARCH:
            continue
        results = set(line.detail.get("casussen") or [])
        followed = any(
            line.at <= at <= line.at + FOLLOW_UP and case_id in results
            for at, case_id in views[line.user_id]
        )
        if results and not followed:
            found.append(line)
    return found


@transaction.atomic
def build_review(start: datetime, end: datetime) -> AccessReview:
    """The review of [start, end): one row, and a finding per unusual access."""
    review, created = AccessReview.objects.get_or_create(
        period_start=start, defaults={"period_end": end}
    )
    if not created:
        return review
    lines = list(
        AuditEntry.objects.filter(
            at__gte=start, at__lt=end, action__in=[AuditAction.VIEW, AuditAction.SEARCH]
        ).order_by("at", "id")
    )
    opened = openings(lines)
    findings = [
        ReviewFinding(
            review=review,
            kind=FindingKind.MANY_CASES,
            user_id=hit["item"].user_id,
            user_email=hit["item"].user_email,
            role=hit["item"].role,
            detail={"casussen": hit["count"], "mediaan": hit["median"]},
        )
        for hit in many_cases(opened)
    ]
    findings += [
        ReviewFinding(
            review=review,
            kind=kind,
            user_id=item.user_id,
            user_email=item.user_email,
            role=item.role,
            case_id=item.case_id,
            at=item.at,
        )
        for kind, items in (
            (FindingKind.OUTSIDE_HOURS, [o for o in opened if outside_working_hours(o.at)]),
            (FindingKind.NOT_LINKED, not_linked(opened)),
        )
        for item in items
    ]
    findings += [
        ReviewFinding(
            review=review,
            kind=FindingKind.SEARCH_WITHOUT_FOLLOW_UP,
            user_id=line.user_id,
            user_email=line.user_email,
            role=line.role,
            at=line.at,
            detail={"gevonden": len(line.detail.get("casussen") or [])},
        )
        for line in searches_without_follow_up(lines, end)
    ]
    ReviewFinding.objects.bulk_create(findings)
    record(
        AuditAction.CREATE,
        target=review,
        on_behalf_of="logcontrole (wekelijkse taak)",
        detail={"bevindingen": len(findings)},
    )
    return review


def last_week(now: datetime | None = None) -> tuple[datetime, datetime]:
    """Monday 00:00 to Monday 00:00 (Amsterdam time) of the week before `now`'s."""
    today = timezone.localdate(now or timezone.now())
    monday = today - timedelta(days=today.weekday())
    end = timezone.make_aware(datetime.combine(monday, time()))
    start = timezone.make_aware(datetime.combine(monday - timedelta(days=7), time()))
    return start, end


def weekly_review(now: datetime | None = None) -> AccessReview:
    """Last week's review; each privacy officer gets an e-mail with only a link."""
    start, end = last_week(now)
    is_new = not AccessReview.objects.filter(period_start=start).exists()
    review = build_review(start, end)
    if is_new:
        notify_privacy_officers(review)
    return review


def notify_privacy_officers(review: AccessReview) -> None:
    domain = connection.tenant.get_primary_domain().domain
    link = site_url(domain, reverse("privacy:review", kwargs={"pk": review.pk}))
    officers = User.objects.filter(roles__code=Role.PRIVACY_OFFICER, is_active=True)
    for officer in officers:
        queue_templated_email(
            officer.email,
            "privacy/email/review_ready",
            {"link": link, "organisation": connection.tenant.name},
        )


@transaction.atomic
def check_finding(finding: ReviewFinding, *, actor: User, note: str) -> ReviewFinding:
    require(actor, Action.REVIEW_ACCESS)
    if not note.strip():
        raise ValidationError(_("Schrijf in de notitie wat u heeft nagegaan."))
    finding = ReviewFinding.objects.select_for_update().get(pk=finding.pk)
    old = finding.note
    finding.checked_at, finding.checked_by, finding.note = timezone.now(), actor, note.strip()
    finding.save(update_fields=["checked_at", "checked_by", "note"])
    record(
        AuditAction.CHANGE,
        user=actor,
        target=finding,
        case_id=finding.case_id,
        detail={"gecontroleerd": True, "soort": finding.kind},
        changes={"notitie": (old, finding.note)},
    )
    return finding
