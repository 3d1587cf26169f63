"""What a partner's contact person sees in the partner portal: only what is addressed
to their own organisation, and of the persons only the details shared with it. Every
detail shown is an audit line per person; anything else, guessed or not, is a 404 and
an audit line of the refusal. The contact never reaches a case page."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from accounts.policy import Action, partner_of, require
from audit.models import AuditAction
from audit.services import record, record_many
from configuratie.models import Partner
from workflow.models import InformationRequest, Referral, Report, SharedWithPartner
from workflow.services.consent import shared_details
from workflow.services.reports import follow_up_view

PORTAL = "partnerportaal"
# Handled requests and referrals stay in the inbox this long, for reference; the most
# recent of them, so that a large partner's inbox stays one page.
HANDLED_SHOWN_DAYS = 90
HANDLED_SHOWN = 50


@dataclass(frozen=True)
class Inbox:
    partner: Partner
    open_requests: list[InformationRequest]
    open_referrals: list[Referral]
    handled_requests: list[InformationRequest]
    handled_referrals: list[Referral]
    reports: list[Report]


def portal_partner(user: User) -> Partner:
    require(user, Action.USE_PARTNER_PORTAL)
    return Partner.objects.get(pk=partner_of(user))


def addressed_requests(partner: Partner) -> QuerySet[InformationRequest]:
    return InformationRequest.objects.filter(partner=partner)


def addressed_referrals(partner: Partner) -> QuerySet[Referral]:
    return Referral.objects.filter(partner=partner)


def partner_inbox(user: User) -> Inbox:
    """The organisation's open and recently handled requests and referrals, and the
    reports this contact filed; no person's details (those are on each item's page)."""
    partner = portal_partner(user)
    since = timezone.now() - timedelta(days=HANDLED_SHOWN_DAYS)
    requests = addressed_requests(partner).order_by("answer_by", "recorded_at")
    referrals = addressed_referrals(partner).order_by("answer_by", "recorded_at")
    inbox = Inbox(
        partner=partner,
        open_requests=list(requests.filter(closed_at__isnull=True)),
        open_referrals=list(referrals.filter(status=Referral.Status.PROPOSED)),
        handled_requests=list(
            requests.filter(closed_at__gte=since).order_by("-closed_at")[:HANDLED_SHOWN]
        ),
        handled_referrals=list(
            referrals.exclude(status=Referral.Status.PROPOSED)
            .filter(decided_at__gte=since)
            .order_by("-decided_at")[:HANDLED_SHOWN]
        ),
        reports=list(
            Report.objects.filter(recorded_by=user)
            .select_related("casus__current_step")
            .order_by("-submitted_at")
        ),
    )
    record(AuditAction.VIEW, user=user, target=partner, grounds=PORTAL)
    return inbox


def refused(user: User, kind: str, pk: int) -> Http404:
    record(AuditAction.REFUSED, user=user, grounds=PORTAL, detail={"reden": "404", kind: pk})
    return Http404()


def shown(user: User, item: SharedWithPartner) -> list[dict[str, str]]:
    """The shared details of `item`, with one audit line per person shown."""
    persons = list(item.persons.all())
    record_many(
        AuditAction.VIEW,
        person_ids=[str(person.pk) for person in persons],
        user=user,
        target=item,
        case_id=item.casus.reference,
        grounds=PORTAL,
    )
    return shared_details(item)


def addressed_item(user: User, kind: str, pk: int) -> SharedWithPartner:
    """A request or referral addressed to the user's organisation, or a 404."""
    partner = portal_partner(user)
    items = addressed_requests(partner) if kind == "verzoek" else addressed_referrals(partner)
    item = (
        items.filter(pk=pk)
        .select_related("casus", "partner")
        .prefetch_related("persons", "consents__person")
        .first()
    )
    if item is None:
        raise refused(user, kind, pk)
    return item


def own_report(user: User, pk: int) -> tuple[Report, dict]:
    """A report this contact filed, with what a reporter may see of it, or a 404."""
    require(user, Action.REPORT_AS_PARTNER)
    report = (
        Report.objects.filter(pk=pk, recorded_by=user).select_related("casus__current_step").first()
    )
    if report is None:
        raise refused(user, "melding", pk)
    record(
        AuditAction.VIEW, user=user, target=report, case_id=report.casus.reference, grounds=PORTAL
    )
    return report, follow_up_view(report)
