"""Meetings of the screening team and case conferences: planned by the meldpunt with
their attendees and an agenda of cases; walked in the meeting, where per case the risk
assessment, the plan, the coordinator, the minutes and the decision are recorded and
the case moves on through the engine, all at once or not at all."""

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.policy import Action, require
from audit.models import AuditAction
from audit.services import record
from configuratie.models import Partner, WorkflowStep
from workflow import engine
from workflow.models import AgendaItem, Casus, Meeting, MeetingGuest
from workflow.services import meeting_invitations, plans, risk


@dataclass
class GuestData:
    name: str
    partner: Partner
    email: str = ""  # where the calendar invitation goes


@transaction.atomic
def plan_meeting(
    *,
    actor: User,
    kind: str,
    starts_at: datetime,
    location: str = "",
    title: str = "",
    chair: User | None = None,
    attendees: list[User],
    guests: list[GuestData] = (),
) -> Meeting:
    """The chair attends: they are added to the attendees when not among them."""
    require(actor, Action.SCHEDULE_MEETING)
    if kind not in Meeting.Kind.values:
        raise ValidationError(_("Kies de soort overleg."))
    meeting = Meeting.objects.create(
        kind=kind,
        title=title.strip(),
        starts_at=starts_at,
        location=location.strip(),
        chair=chair,
        created_by=actor,
    )
    meeting.attendees.set([*attendees, *([chair] if chair else [])])
    MeetingGuest.objects.bulk_create(
        MeetingGuest(
            meeting=meeting,
            name=guest.name.strip(),
            partner=guest.partner,
            email=guest.email.strip(),
        )
        for guest in guests
        if guest.name.strip()
    )
    record(
        AuditAction.CREATE,
        user=actor,
        target=meeting,
        detail={"deelnemers": sorted(user.pk for user in attendees)},
    )
    meeting_invitations.send_invitations(meeting)
    return meeting


def open_meeting(meeting: Meeting) -> None:
    if meeting.cancelled_at is not None:
        raise ValidationError(_("Dit overleg is afgezegd."))
    if meeting.closed_at is not None:
        raise ValidationError(_("Het verslag van dit overleg is vastgesteld."))


@transaction.atomic
def put_on_agenda(casus: Casus, *, actor: User, meeting: Meeting) -> AgendaItem:
    require(actor, Action.SCHEDULE_MEETING, casus)
    open_meeting(meeting)
    if meeting.items.filter(casus=casus).exists():
        raise ValidationError(_("De casus staat al op de agenda van dit overleg."))
    position = (meeting.items.aggregate(last=Max("position"))["last"] or 0) + 1
    item = AgendaItem.objects.create(meeting=meeting, casus=casus, position=position)
    record(
        AuditAction.CREATE,
        user=actor,
        target=item,
        case_id=casus.reference,
        detail={"overleg": meeting.pk},
    )
    return item


@transaction.atomic
def remove_from_agenda(item: AgendaItem, *, actor: User) -> None:
    require(actor, Action.SCHEDULE_MEETING, item.casus)
    open_meeting(item.meeting)
    if item.discussed_at is not None:
        raise ValidationError(_("Een besproken agendapunt blijft in het verslag."))
    record(
        AuditAction.CHANGE,
        user=actor,
        target=item.meeting,
        case_id=item.casus.reference,
        detail={"van_agenda": item.casus.reference},
    )
    item.delete()


def path_to(casus: Casus, destination: str) -> list[WorkflowStep]:
    """The shortest way from the case's step to `destination` in its own version."""
    start = casus.current_step
    steps = {step.pk: step for step in casus.definition.steps.prefetch_related("next_steps")}
    came_from: dict[int, int | None] = {start.pk: None}
    queue = deque([start.pk])
    while queue:
        current = queue.popleft()
        if steps[current].code == destination and current != start.pk:
            path = []
            while current != start.pk:
                path.append(steps[current])
                current = came_from[current]
            return path[::-1]
        for following in steps[current].next_steps.all():
            if following.pk not in came_from:
                came_from[following.pk] = current
                queue.append(following.pk)
    raise ValidationError(_("Die stap is vanuit de huidige stap niet te bereiken."))


def destinations(item: AgendaItem) -> list[tuple[str, str]]:
    """Steps within two moves of the case's step: a meeting may decide on both the risk
    assessment and the plan and move the case through both. A step reached directly is
    offered as such, even when another path leads there too."""
    current = item.casus.current_step
    following = list(current.next_steps.prefetch_related("next_steps"))
    offered = {step.code: _("'%(step)s'") % {"step": step.name} for step in following}
    for first in following:
        for second in first.next_steps.all():
            if second.code not in offered and second.code != current.code:
                offered[second.code] = _("'%(step)s' (via '%(via)s')") % {
                    "step": second.name,
                    "via": first.name,
                }
    return list(offered.items())


@dataclass
class ItemRecord:
    """What a meeting records about one case on its agenda."""

    minutes: str = ""
    decision: str = ""
    risk_answers: dict[str, str] = field(default_factory=dict)
    risk_level: str = ""
    risk_deviation_reason: str = ""
    plan_goals: str = ""
    plan_actions: list[plans.ActionData] = field(default_factory=list)
    plan_revision_reason: str = ""
    coordinator: User | None = None
    move_to: str = ""


@transaction.atomic
def record_agenda_item(item: AgendaItem, *, actor: User, data: ItemRecord) -> AgendaItem:
    """Everything at once, in the order the work goes: the risk assessment, the plan and
    the coordinator, then the moves (each move checks its step's conditions). A refused
    move undoes it all, so the meeting can correct and try again."""
    require(actor, Action.RECORD_IN_MEETING, item.casus)
    require(actor, Action.VIEW_MEETING, item.meeting)
    open_meeting(item.meeting)
    if not (data.minutes.strip() or data.decision.strip()):
        raise ValidationError(_("Schrijf het verslag of het besluit van dit agendapunt."))
    casus = engine.locked(item.casus)
    if data.risk_answers:
        risk.record_risk_assessment(
            casus,
            actor=actor,
            answers=data.risk_answers,
            level=data.risk_level,
            deviation_reason=data.risk_deviation_reason,
            agenda_item=item,
        )
    if data.plan_goals.strip() or data.plan_actions:
        plans.write_plan(
            casus,
            actor=actor,
            goals=data.plan_goals,
            actions=data.plan_actions,
            revision_reason=data.plan_revision_reason,
        )
    if data.coordinator is not None:
        engine.appoint_coordinator(casus, actor=actor, coordinator=data.coordinator)
    item.minutes, item.decision = data.minutes.strip(), data.decision.strip()
    item.discussed_at, item.discussed_by = timezone.now(), actor
    item.save(update_fields=["minutes", "decision", "discussed_at", "discussed_by"])
    record(AuditAction.CHANGE, user=actor, target=item, case_id=casus.reference)
    if data.move_to:
        for step in path_to(casus, data.move_to):
            engine.move(casus, step.code, actor=actor, reason=_("Besluit in overleg"))
            casus = engine.locked(casus)
    return item


@transaction.atomic
def record_attendance(
    meeting: Meeting, *, actor: User, present: list[User], guests_present: list[MeetingGuest]
) -> Meeting:
    """Who of those invited (attendees and guests) was there; recorded again replaces it."""
    require(actor, Action.SCHEDULE_MEETING)
    open_meeting(meeting)
    invited = set(meeting.attendees.values_list("pk", flat=True))
    guests = set(meeting.guests.values_list("pk", flat=True))
    if (
        not {user.pk for user in present} <= invited
        or not {guest.pk for guest in guests_present} <= guests
    ):
        raise ValidationError(_("Kies aanwezigen uit de deelnemers en gasten van dit overleg."))
    meeting.present.set(present)
    meeting.guests.update(present=False)
    meeting.guests.filter(pk__in=[guest.pk for guest in guests_present]).update(present=True)
    meeting.attendance_recorded_at = timezone.now()
    meeting.save(update_fields=["attendance_recorded_at"])
    record(
        AuditAction.CHANGE,
        user=actor,
        target=meeting,
        detail={
            "aanwezig": sorted(user.pk for user in present),
            "gasten_aanwezig": sorted(guest.pk for guest in guests_present),
        },
    )
    return meeting


@dataclass(frozen=True)
class ClosingConcerns:
    """What the one fixing the minutes confirms first: agenda items not discussed (their
    cases leave the meeting and wait for another), and a meeting whose day is still to come."""

    undiscussed: list[AgendaItem]
    before_the_day: bool

    def __bool__(self) -> bool:
        return bool(self.undiscussed) or self.before_the_day


def closing_concerns(meeting: Meeting) -> ClosingConcerns:
    return ClosingConcerns(
        undiscussed=list(meeting.items.filter(discussed_at__isnull=True).select_related("casus")),
        before_the_day=timezone.localdate(meeting.starts_at) > timezone.localdate(),
    )


class ClosingNeedsConfirmation(ValidationError):
    def __init__(self, concerns: ClosingConcerns) -> None:
        self.concerns = concerns
        reasons = []
        if concerns.before_the_day:
            reasons.append(_("Het overleg is nog niet geweest."))
        if concerns.undiscussed:
            reasons.append(
                _(
                    "Niet besproken: %(cases)s. Deze casussen gaan van de agenda en wachten weer op een overleg."
                )
                % {"cases": ", ".join(item.casus.reference for item in concerns.undiscussed)}
            )
        reasons.append(_("Bevestig dat u het verslag toch vaststelt."))
        super().__init__(" ".join(reasons), code="bevestigen")


@transaction.atomic
def close_meeting(meeting: Meeting, *, actor: User, confirmed: bool = False) -> Meeting:
    """The minutes are final: nothing more is recorded in this meeting. With agenda items
    not discussed, or before the meeting's day, only when confirmed; the cases not
    discussed leave its agenda, to wait for another meeting."""
    require(actor, Action.SCHEDULE_MEETING)
    open_meeting(meeting)
    concerns = closing_concerns(meeting)
    if concerns and not confirmed:
        raise ClosingNeedsConfirmation(concerns)
    for item in concerns.undiscussed:
        record(
            AuditAction.CHANGE,
            user=actor,
            target=meeting,
            case_id=item.casus.reference,
            detail={"van_agenda": item.casus.reference, "niet_besproken": True},
        )
        item.delete()
    meeting.closed_at = timezone.now()
    meeting.save(update_fields=["closed_at"])
    record(AuditAction.CHANGE, user=actor, target=meeting, detail={"verslag_vastgesteld": True})
    return meeting


def not_yet_held(meeting: Meeting) -> Meeting:
    """The meeting locked, refused once it is cancelled, fixed or has discussed a case."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    open_meeting(meeting)
    if meeting.items.filter(discussed_at__isnull=False).exists():
        raise ValidationError(_("In dit overleg is al een casus besproken."))
    return meeting


@transaction.atomic
def move_meeting(meeting: Meeting, *, actor: User, starts_at: datetime, location: str) -> Meeting:
    """Another time or place: every attendee gets the changed invitation."""
    require(actor, Action.SCHEDULE_MEETING)
    meeting = not_yet_held(meeting)
    location = location.strip()
    if starts_at == meeting.starts_at and location == meeting.location:
        raise ValidationError(_("Tijd en plaats zijn niet veranderd."))
    detail = {
        "tijd_was": meeting.starts_at.isoformat(),
        "tijd": starts_at.isoformat(),
        "plaats_gewijzigd": location != meeting.location,
    }
    meeting.starts_at, meeting.location = starts_at, location
    meeting.sequence += 1
    meeting.save(update_fields=["starts_at", "location", "sequence"])
    record(AuditAction.CHANGE, user=actor, target=meeting, detail=detail)
    meeting_invitations.send_invitations(meeting)
    return meeting


@transaction.atomic
def cancel_meeting(meeting: Meeting, *, actor: User) -> Meeting:
    """The meeting does not take place: its cases leave the agenda (free for another
    meeting) and every attendee gets the cancellation."""
    require(actor, Action.SCHEDULE_MEETING)
    meeting = not_yet_held(meeting)
    for item in meeting.items.select_related("casus"):
        reference = item.casus.reference
        record(
            AuditAction.CHANGE,
            user=actor,
            target=meeting,
            case_id=reference,
            detail={"van_agenda": reference},
        )
        item.delete()
    meeting.cancelled_at = timezone.now()
    meeting.sequence += 1
    meeting.save(update_fields=["cancelled_at", "sequence"])
    record(AuditAction.CHANGE, user=actor, target=meeting, detail={"afgezegd": True})
    meeting_invitations.send_invitations(meeting)
    return meeting
