"""What waits for a user ("voor mij"), and telling them by e-mail.

Each role a user holds, where the policy lets them do that role's work, gives a
section of (kind, label, count, url) lines: the medewerker's new reports, reporters'
messages and own deadlines; the screening team member's next agenda; the case
coordinator's cases and actions due; the procesregisseur's oversight signals; the
regiobeheerder's configuration health; the partner contact's open requests and
referrals. Each section costs a fixed number of queries.

E-mail goes through the outbox and never says what the work is about: a count and a
link to the home page (not to a case: its address holds its reference). Each user
chooses (NotificationSetting): a daily overview, also a mail at once when something
new arrives, or none. Partner contacts are reminded once as a request's answer-by date
nears and once when it has passed (`reminded_at`).
"""

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import Role as RoleRow
from accounts.models import User
from accounts.policy import (
    Action,
    Role,
    ScreeningTeamAccess,
    may,
    partner_of,
    require,
    screening_team_access,
)
from accounts.services import link_in_email
from audit.models import AuditAction
from audit.services import record
from configuratie.health import WorkItem, configuration_health
from configuratie.models import PartnerContact
from meldpunt.outbox import queue_templated_email
from workflow.models import (
    Casus,
    InformationRequest,
    Meeting,
    NotificationSetting,
    Referral,
    SharedWithPartner,
)
from workflow.oversight import (
    NEAR_DAYS,
    OVERSIGHT_SIGNALS,
    count_signals,
    unfinished_current_actions,
)

# A coordinator's actions due within this many days are on their list.
ACTIONS_AHEAD_DAYS = 14
MEDEWERKER_SIGNALS = ("te_screenen", "bericht_onbeantwoord", "mijn_termijnen")
Frequency = NotificationSetting.Frequency


@dataclass(frozen=True)
class Section:
    role: str
    title: str
    items: list[WorkItem]

    @property
    def total(self) -> int:
        return sum(item.count for item in self.items)


def signal_items(user: User, codes: tuple[str, ...]) -> list[WorkItem]:
    listing = reverse("cases:list")
    return [
        WorkItem(found.code, found.label, found.count, f"{listing}?signaal={found.code}")
        for found in count_signals(user, codes)
    ]


def medewerker_items(user: User) -> list[WorkItem]:
    return signal_items(user, MEDEWERKER_SIGNALS)


def procesregisseur_items(user: User) -> list[WorkItem]:
    return signal_items(user, OVERSIGHT_SIGNALS)


def screening_items(user: User) -> list[WorkItem]:
    """The cases waiting for the screening team, where the region lets its members find
    them before a meeting, and the agenda of the next meeting the user attends."""
    waiting = (
        signal_items(user, ("wacht_op_screeningsteam",))
        if screening_team_access(user) != ScreeningTeamAccess.AGENDA_ONLY
        else []
    )
    return [*waiting, next_agenda_item(user)]


def next_agenda_item(user: User) -> WorkItem:
    today = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    meeting = (
        Meeting.objects.filter(attendees=user, starts_at__gte=today, closed_at__isnull=True)
        .annotate(agenda=Count("items"))
        .order_by("starts_at", "id")
        .first()
    )
    if meeting is None:
        return WorkItem("agenda", _("Geen overleg gepland"), 0, reverse("meetings:list"))
    when = date_format(timezone.localtime(meeting.starts_at), "j F Y, H:i")
    label = _("Casussen op de agenda van het overleg van %(date)s") % {"date": when}
    return WorkItem("agenda", label, meeting.agenda, reverse("meetings:detail", args=[meeting.pk]))


def coordinator_items(user: User) -> list[WorkItem]:
    own = Casus.objects.filter(coordinator=user, completed_at__isnull=True)
    actions = (
        unfinished_current_actions()
        .filter(
            plan__casus__in=own,
            due_on__lte=timezone.localdate() + timedelta(days=ACTIONS_AHEAD_DAYS),
        )
        .count()
    )
    url = reverse("cases:mine")
    return [
        WorkItem("eigen_casussen", _("Lopende casus waarvan u coördinator bent"), own.count(), url),
        WorkItem(
            "acties_binnenkort",
            _("Actie binnen twee weken of over de datum"),
            actions,
            url,
        ),
    ]


def partner_items(user: User) -> list[WorkItem]:
    """Open requests and referrals of the contact's organisation, by how near their
    answer-by date is: overdue, within NEAR_DAYS, and the rest (disjoint)."""
    partner = partner_of(user)  # the policy let them use the portal: they have one
    today = timezone.localdate()
    soon = today + timedelta(days=NEAR_DAYS)
    buckets = {
        "verlopen": Q(answer_by__lt=today),
        "binnenkort": Q(answer_by__gte=today, answer_by__lte=soon),
        "open": Q(answer_by__isnull=True) | Q(answer_by__gt=soon),
    }
    url = reverse("portal:inbox")
    requests = InformationRequest.objects.filter(partner=partner, closed_at__isnull=True)
    referrals = Referral.objects.filter(partner=partner, status=Referral.Status.PROPOSED)
    labels = {
        "verzoeken": {
            "verlopen": _("Informatieverzoek over de antwoorddatum"),
            "binnenkort": _("Informatieverzoek met antwoorddatum binnen twee dagen"),
            "open": _("Informatieverzoek met meer tijd"),
        },
        "doorverwijzingen": {
            "verlopen": _("Doorverwijzing over de besluitdatum"),
            "binnenkort": _("Doorverwijzing met besluitdatum binnen twee dagen"),
            "open": _("Doorverwijzing met meer tijd"),
        },
    }
    items = []
    for name, items_of_kind in (("verzoeken", requests), ("doorverwijzingen", referrals)):
        counts = items_of_kind.aggregate(
            **{bucket: Count("pk", filter=condition) for bucket, condition in buckets.items()}
        )
        items += [
            WorkItem(f"{name}_{bucket}", labels[name][bucket], counts[bucket], url)
            for bucket in buckets
        ]
    return items


def regiobeheerder_items(user: User) -> list[WorkItem]:
    return configuration_health()


# (role, the action that role's work needs, what waits): the policy is asked per user.
SECTIONS: tuple[tuple[str, Action, Callable[[User], list[WorkItem]]], ...] = (
    (Role.MEDEWERKER, Action.OPEN_CASE, medewerker_items),
    (Role.PROCESREGISSEUR, Action.VIEW_OVERSIGHT, procesregisseur_items),
    (Role.SCREENINGSTEAMLID, Action.VIEW_MEETINGS, screening_items),
    (Role.CASUSCOORDINATOR, Action.VIEW_OWN_CASES, coordinator_items),
    (Role.PARTNERCONTACT, Action.USE_PARTNER_PORTAL, partner_items),
    (Role.REGIOBEHEERDER, Action.CONFIGURE_REGION, regiobeheerder_items),
)


@functools.lru_cache(maxsize=64)
def role_table(schema: str) -> dict[str, RoleRow]:
    """Every role of region `schema` by code, in their order, read once per process: the
    rows come from migrations only (data/roles.json), and what a user holds is read
    with their access facts (user.role_codes()), so the home page needs no query for
    the roles. Shared by every request: read them, never change them."""
    return {role.code: role for role in RoleRow.objects.all()}


def roles_held(user: User) -> list[RoleRow]:
    """The roles `user` holds, in the roles' own order (by Dutch name)."""
    held = user.role_codes()
    return [role for code, role in role_table(connection.schema_name).items() if code in held]


def waiting_for(user: User) -> list[Section]:
    """The user's "voor mij" list: a section per role of theirs whose work they may do."""
    roles = {role.code: role.name for role in roles_held(user)}
    return [
        Section(role, roles[role], build(user))
        for role, action, build in SECTIONS
        if role in roles and may(user, action)
    ]


def frequency_of(user: User) -> str:
    setting = NotificationSetting.objects.filter(user=user).first()
    return setting.frequency if setting else Frequency.DAILY


@transaction.atomic
def set_frequency(user: User, *, actor: User, frequency: str) -> NotificationSetting:
    """A user chooses how they hear of waiting work; only for themselves."""
    require(actor, Action.VIEW_DASHBOARD)
    if actor.pk != user.pk:
        raise ValidationError(_("U kiest alleen uw eigen meldingsvoorkeur."))
    if frequency not in Frequency.values:
        raise ValidationError(_("Kies hoe vaak u e-mail wilt krijgen."))
    setting, _created = NotificationSetting.objects.update_or_create(
        user=user, defaults={"frequency": frequency}
    )
    record(AuditAction.CHANGE, user=actor, target=setting, detail={"frequentie": frequency})
    return setting


def mail_work_waiting(user: User, count: int, *, new: bool) -> None:
    """The one e-mail about work: a count and a link, in Dutch (the platform's language)."""
    with override("nl"):
        queue_templated_email(
            user.email,
            "workflow/email/work_waiting",
            {"count": count, "new": new, "url": link_in_email(reverse("home:dashboard"))},
        )


def start_of_today() -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(), time.min))


@transaction.atomic
def send_daily_digests() -> int:
    """Once a day, to each active user who did not choose "nooit": how much waits for
    them, if anything. A second run on the same day sends nothing. Returns the number
    of e-mails queued."""
    sent = 0
    users = (
        User.objects.filter(is_active=True)
        .exclude(notification_setting__frequency=Frequency.NEVER)
        .exclude(notification_setting__last_sent_at__gte=start_of_today())
    )
    for user in users:
        total = sum(section.total for section in waiting_for(user))
        if total == 0:
            continue
        mail_work_waiting(user, total, new=False)
        NotificationSetting.objects.update_or_create(
            user=user, defaults={"last_sent_at": timezone.now()}
        )
        sent += 1
    return sent


def notify_at_once(users: Iterable[User | None], *, may_see: Casus | None = None) -> int:
    """Something new arrived for `users` (e.g. a partner answered, a reporter wrote): a
    mail at once to those who chose it and may still see the case. Inside the caller's
    transaction, so the mail is committed with what caused it."""
    chosen = {user.pk: user for user in users if user is not None and user.is_active}
    if not chosen:
        return 0
    at_once = User.objects.filter(
        pk__in=chosen, notification_setting__frequency=Frequency.AT_ONCE
    ).prefetch_related("roles")
    sent = 0
    for user in at_once:
        if may_see is not None and not may(user, Action.VIEW_CASE, may_see):
            continue
        mail_work_waiting(user, 1, new=True)
        sent += 1
    return sent


def partner_decided(item: SharedWithPartner) -> int:
    """Whoever sent a request or referral hears that the partner answered in the portal."""
    return notify_at_once([item.recorded_by], may_see=item.casus)


def reporter_wrote(casus: Casus) -> int:
    """The meldpunt's staff and the case's coordinator hear that a reporter wrote."""
    staff = User.objects.active_with_roles(Role.MEDEWERKER)
    return notify_at_once([*staff, casus.coordinator], may_see=casus)


def report_arrived(casus: Casus, *, by: User | None = None) -> int:
    """The meldpunt's staff hear that a new report came in (not who filed it themselves)."""
    staff = User.objects.active_with_roles(Role.MEDEWERKER)
    return notify_at_once([user for user in staff if user != by], may_see=casus)


def due_for_reminder(model: type[SharedWithPartner]) -> Q:
    """Open, with an answer-by date, and not yet reminded at this stage: a first
    reminder when the date is NEAR_DAYS away (or already passed), a second once it has
    passed if the first came before."""
    today = timezone.localdate()
    open_items = (
        Q(closed_at__isnull=True)
        if model is InformationRequest
        else Q(status=Referral.Status.PROPOSED)
    )
    return open_items & (
        Q(answer_by__lte=today + timedelta(days=NEAR_DAYS), reminded_at__isnull=True)
        | Q(answer_by__lt=today, reminded_at__date__lte=F("answer_by"))
    )


@transaction.atomic
def remind_partners() -> int:
    """Remind the linked contact persons of each partner whose requests or referrals
    near or pass their answer-by date; an item is reminded once per stage, and only
    marked when a mail went out. Returns the number of e-mails queued."""
    due: dict[int, list[SharedWithPartner]] = {}
    for model in (InformationRequest, Referral):
        for item in model.objects.select_for_update(skip_locked=True).filter(
            due_for_reminder(model)
        ):
            due.setdefault(item.partner_id, []).append(item)
    sent = 0
    contacts = PartnerContact.objects.filter(
        partner__in=due, account__is_active=True
    ).select_related("account")
    reached: set[int] = set()
    for contact in contacts:
        account = contact.account
        if frequency_of(account) == Frequency.NEVER or not may(account, Action.USE_PARTNER_PORTAL):
            continue
        with override("nl"):
            queue_templated_email(
                account.email,
                "workflow/email/partner_reminder",
                {
                    "count": len(due[contact.partner_id]),
                    "url": link_in_email(reverse("portal:inbox")),
                },
            )
        reached.add(contact.partner_id)
        sent += 1
    now = timezone.now()
    for partner_id in reached:
        for item in due[partner_id]:
            type(item).objects.filter(pk=item.pk).update(reminded_at=now)
    return sent
