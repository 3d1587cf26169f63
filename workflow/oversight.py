"""Process oversight (procesregie): named signals, each a condition on open cases that
the case list filters on (`?signaal=<code>`) and the dashboards count, so a count and
the list it opens are the same cases by construction.

Every condition is on Casus alone: columns the engine and the services keep on the case
(its last activity, workflow/activity.py; what it waits on, workflow/waiting.py) or
uncorrelated `pk IN (…)` subqueries over small sets that PostgreSQL hashes once, so
counting all signals is one scan of the open cases whatever their number, and it stays
fast at volume (tests/bench/oversight.py).
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.policy import SEES_EVERY_CASE, visible_cases, waiting_for_screening_team
from configuratie.models import DefinitionStatus, RegionSettings, StepKind, WorkflowStep
from configuratie.version import configuration_version
from meldpunt.cache import KeptInProcess, renew_version, version_of
from workflow.models import (
    Casus,
    InformationRequest,
    PlanAction,
    PlanOfApproach,
    Referral,
)
from workflow.models.bulk import written_in_bulk

# Case changes renew this version (watch_cases); counts are cached under it.
CASES = "casussen"
# How long cached counts may miss what only time changes (a deadline passing).
COUNTS_SECONDS = 60
# How near a deadline or an answer-by date is "near" on a user's list and in reminders.
NEAR_DAYS = 2


@dataclass(frozen=True)
class Signal:
    code: str
    label: Promise
    condition: Callable[[User | None], Q]  # on open cases; some depend on the user


def step_overdue(user: User | None) -> Q:
    return Q(deadline_at__lt=timezone.now())


def unfinished_current_actions() -> QuerySet[PlanAction]:
    """Actions not done or cancelled in each case's current (latest) plan."""
    newer = PlanOfApproach.objects.filter(
        casus=OuterRef("plan__casus"), version__gt=OuterRef("plan__version")
    )
    return PlanAction.objects.exclude(status__in=PlanAction.FINISHED).exclude(Exists(newer))


def plan_actions_overdue(user: User | None) -> Q:
    """An action of the current plan not done or cancelled, past its date: the earliest
    such date is kept on the case (workflow/waiting.py)."""
    return Q(open_action_due_on__lt=timezone.localdate())


def requests_overdue(user: User | None) -> Q:
    late = InformationRequest.objects.filter(
        closed_at__isnull=True, answer_by__lt=timezone.localdate()
    )
    return Q(pk__in=late.values("casus_id"))


def referrals_overdue(user: User | None) -> Q:
    late = Referral.objects.filter(
        status=Referral.Status.PROPOSED, answer_by__lt=timezone.localdate()
    )
    return Q(pk__in=late.values("casus_id"))


def quiet(user: User | None) -> Q:
    """Nothing happened on the case for the region's number of days: its stored last
    activity (workflow/activity.py) is older."""
    since = timezone.now() - timedelta(days=RegionSettings.current().quiet_case_days)
    return Q(last_activity_at__lt=since)


def screened_without_feedback(user: User | None) -> Q:
    """Screened, and a report of the case whose reporter has heard nothing yet (kept on
    the case, workflow/waiting.py)."""
    return Q(awaits_feedback=True)


def reporter_message_unanswered(user: User | None) -> Q:
    """A reporter's message after which the meldpunt wrote nothing on that report (kept
    on the case, workflow/waiting.py)."""
    return Q(reporter_waiting=True)


def to_screen(user: User | None) -> Q:
    return Q(current_step__kind__in=[StepKind.INTAKE, StepKind.SCREENING])


def for_the_screening_team(user: User | None) -> Q:
    """The current step names the screening team (who sees them: accounts.policy)."""
    return waiting_for_screening_team()


def victim_unregistered(user: User | None) -> Q:
    """A (possible) victim of the case not yet registered with CoMensha (kept on the
    case, workflow/waiting.py)."""
    return Q(victim_unregistered=True)


def own_deadlines(user: User | None) -> Q:
    """A step the user's role is responsible for, due within NEAR_DAYS or overdue."""
    roles = user.role_codes() if user is not None else frozenset()
    return Q(
        current_step__responsible_role__in=roles,
        deadline_at__lte=timezone.now() + timedelta(days=NEAR_DAYS),
    )


SIGNALS: dict[str, Signal] = {
    signal.code: signal
    for signal in (
        Signal("termijn_verlopen", gettext_lazy("Stap over de termijn"), step_overdue),
        Signal(
            "acties_verlopen",
            gettext_lazy("Actie uit het plan van aanpak over de datum"),
            plan_actions_overdue,
        ),
        Signal(
            "verzoeken_verlopen",
            gettext_lazy("Informatieverzoek over de antwoorddatum"),
            requests_overdue,
        ),
        Signal(
            "doorverwijzingen_verlopen",
            gettext_lazy("Doorverwijzing zonder besluit na de datum"),
            referrals_overdue,
        ),
        Signal("stil", gettext_lazy("Geen activiteit"), quiet),
        Signal(
            "zonder_terugkoppeling",
            gettext_lazy("Gescreend, melder nog zonder terugkoppeling"),
            screened_without_feedback,
        ),
        Signal(
            "bericht_onbeantwoord",
            gettext_lazy("Bericht van een melder onbeantwoord"),
            reporter_message_unanswered,
        ),
        Signal("te_screenen", gettext_lazy("Nieuwe melding om te screenen"), to_screen),
        Signal(
            "wacht_op_screeningsteam",
            gettext_lazy("Casus die op het screeningsteam wacht"),
            for_the_screening_team,
        ),
        Signal(
            "niet_bij_comensha",
            gettext_lazy("Slachtoffer nog niet bij CoMensha geregistreerd"),
            victim_unregistered,
        ),
        Signal(
            "mijn_termijnen",
            gettext_lazy("Termijn van uw stap binnen twee dagen of verlopen"),
            own_deadlines,
        ),
    )
}
# What the procesregisseur watches; the others are on a medewerker's own list.
OVERSIGHT_SIGNALS = (
    "termijn_verlopen",
    "acties_verlopen",
    "verzoeken_verlopen",
    "doorverwijzingen_verlopen",
    "stil",
    "zonder_terugkoppeling",
    "bericht_onbeantwoord",
)
# What the procesregisseur's home counts in one scan of the open cases: the signals, and
# the cases whose victims CoMensha has not had yet (workflow/services/comensha.py).
OVERSEEN = (*OVERSIGHT_SIGNALS, "niet_bij_comensha")


def signal_choices() -> list[tuple[str, str]]:
    return [(signal.code, signal.label) for signal in SIGNALS.values()]


def open_cases(user: User) -> QuerySet[Casus]:
    return visible_cases(user, Casus.objects.filter(completed_at__isnull=True))


def signal_condition(code: str, user: User | None) -> Q:
    return Q(completed_at__isnull=True) & SIGNALS[code].condition(user)


@dataclass(frozen=True)
class SignalCount:
    code: str
    label: str
    count: int


def count_signals(user: User, codes: tuple[str, ...] = OVERSIGHT_SIGNALS) -> list[SignalCount]:
    """How many of the cases `user` may see each signal holds for: one query, or none
    while the counts for the user's roles are in the cache (see cached_counts). The
    home's signals all come from its one count (OVERSEEN)."""
    per_step = counts_per_step(user, OVERSEEN if set(codes) <= set(OVERSEEN) else codes)
    return [
        SignalCount(code, label_of(code), sum(counts[code] for counts in per_step.values()))
        for code in codes
    ]


def counts_per_step(user: User, codes: tuple[str, ...]) -> dict[int, dict[str, int]]:
    """Per current step (by id) of the open cases `user` may see: how many there are
    ("open") and how many each signal in `codes` holds for. One scan of the open cases
    answers both the signals and the steps of the procesregisseur's home."""

    def count() -> dict[int, dict[str, int]]:
        grouped = (
            open_cases(user)
            .order_by()
            .values("current_step_id")
            .annotate(
                open=Count("pk"),
                **{code: Count("pk", filter=SIGNALS[code].condition(user)) for code in codes},
            )
        )
        return {row.pop("current_step_id"): row for row in grouped}

    return cached_counts(user, f"signalen-per-stap:{','.join(codes)}", count)


# Counts this process read lately, by their cache key: (when they were made, counts).
RECENT_COUNTS = KeptInProcess(most=64)


def cached_counts(user: User, name: str, count: Callable[[], dict]) -> dict:
    """Counts over the open cases, for a user who sees every case, cached per region,
    role set, case version and configuration version: a home page costs no scan of every
    open case, and any change to a case or its records (a new case version) counts
    again. What only time changes (a deadline passing) shows within COUNTS_SECONDS.
    The process keeps what it read too, with when it was made, for the rest of those
    seconds (a round trip to Redis less per home page)."""
    roles = user.role_codes()
    if not roles & SEES_EVERY_CASE:
        return count()
    # "geteld": the entries are (when made, counts), no longer the counts alone.
    parts = [name, version_of(CASES), configuration_version(), ",".join(sorted(roles))]
    key = ":".join(["geteld", *parts])
    kept_as = f"{connection.schema_name}:{key}"
    now = time.time()
    made = RECENT_COUNTS.get(kept_as)
    if made is None or now - made[0] >= COUNTS_SECONDS:
        made = cache.get(key)
        if made is None or now - made[0] >= COUNTS_SECONDS:
            made = (now, count())
            cache.set(key, made, COUNTS_SECONDS)
        RECENT_COUNTS.keep(kept_as, made)
    return made[1]


def cases_changed(**_signal: Any) -> None:
    renew_version(CASES)


def watch_cases() -> None:
    """Every save and delete of a case or anything on it, and every write of records in
    bulk, is a new case version."""
    for model in apps.get_app_config("workflow").get_models():
        for signal in (post_save, post_delete):
            signal.connect(cases_changed, sender=model, dispatch_uid=f"casussen-{model}")
    written_in_bulk.connect(cases_changed, dispatch_uid="casussen-bulk")


def label_of(code: str) -> str:
    if code == "stil":
        days = RegionSettings.current().quiet_case_days
        return _("Geen activiteit in %(days)d dagen") % {"days": days}
    return str(SIGNALS[code].label)


@dataclass(frozen=True)
class StepCount:
    code: str
    name: str
    count: int
    in_active_process: bool  # only these can be chosen in the case list's step filter


def open_cases_by_step(user: User) -> list[StepCount]:
    """Open cases per step (by code, as the case list filters) in the active process's
    order; steps only older versions have come last. The counts come with the oversight
    signals' (counts_per_step); one more query for the steps."""
    per_code: dict[str, int] = {}
    steps = list(WorkflowStep.objects.select_related("definition"))
    code_of = {step.pk: step.code for step in steps}
    for step_id, counts in counts_per_step(user, OVERSEEN).items():
        per_code[code_of[step_id]] = per_code.get(code_of[step_id], 0) + counts["open"]
    active = [step for step in steps if step.definition.status == DefinitionStatus.ACTIVE]
    shown = [StepCount(step.code, step.name, per_code.pop(step.code, 0), True) for step in active]
    return shown + [StepCount(code, code, count, False) for code, count in per_code.items()]
