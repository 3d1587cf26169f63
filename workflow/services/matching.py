"""A person known in two regions, without sharing content (docs/matching.md).

When a region that takes part registers or changes a person (a name with a birth year),
the platform keeps a keyed digest of that identity with a random token of the region's
(matching.services). When another region holds the same digest, each region's
procesregisseurs get a signal on their home page: a person of case X is known to
meldpunt Y too, with Y's contact details, and nothing of Y's case. Each signal is an
audit line in the region that receives it; each region records its own, in its own
schema, when it notices the signal (right away in the region that registered, through a
task queued in the other region's schema for the other one, and hourly in every region).
"""

import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from celery import current_app
from django.db import connection, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.policy import Action, require
from audit.models import AuditAction
from audit.services import record, record_each
from configuratie.models import RegionSettings
from matching import services as platform
from tenants.models import Region
from workflow.models import Casus, InvolvedPerson, MatchRegistration, MatchSignal

logger = logging.getLogger(__name__)
NOTICE_TASK = "workflow.tasks.notice_match_signals"
GROUNDS = "landelijke signalering (docs/matching.md)"


def takes_part() -> bool:
    return RegionSettings.current().matching_enabled


def new_token() -> str:
    return secrets.token_urlsafe(32)


def register_persons(persons: Iterable[InvolvedPerson]) -> None:
    """After persons were registered or changed on a case: their digests in the platform's
    table (or out of it, when a name or birth year is missing now). Nothing while the
    region does not take part."""
    if not takes_part():
        return
    region: Region = connection.tenant
    dropped = []
    for person in persons:
        digest = platform.identity_digest(person.name, person.birth_year)
        registration = MatchRegistration.objects.filter(person=person).first()
        if not digest:
            if registration is not None:
                dropped.append(registration)
            continue
        if registration is None:
            registration = MatchRegistration.objects.create(
                person=person, casus_id=person.casus_id, token=new_token()
            )
        platform.store(region, registration.token, digest)
    if dropped:
        forget_registrations(dropped)
    notice_signals()


def forget_persons(persons: Iterable[InvolvedPerson]) -> None:
    """The persons' digests leave the platform's table (their case is anonymised, or they
    were erased); the signals about them go in both regions."""
    registrations = list(MatchRegistration.objects.filter(person__in=list(persons)))
    if registrations:
        forget_registrations(registrations)


def forget_registrations(registrations: list[MatchRegistration]) -> None:
    region: Region = connection.tenant
    tokens = {registration.token for registration in registrations}
    others = {other for token, other in platform.matches_of(region) if token in tokens}
    platform.forget(region, tokens)
    notice_signals()
    MatchRegistration.objects.filter(pk__in=[r.pk for r in registrations]).delete()
    ask_regions_to_notice(others)


def ask_regions_to_notice(region_ids: Iterable[int]) -> None:
    """After the commit, each of these regions brings its own signals up to date, in its
    own schema, by a task; the hourly run catches up if the broker is down."""
    wanted = set(region_ids)
    if not wanted:
        return
    schemas = list(Region.objects.filter(pk__in=wanted).values_list("schema_name", flat=True))
    for schema in schemas:
        transaction.on_commit(partial(queue_notice, schema))


def queue_notice(schema: str) -> None:
    try:
        current_app.send_task(NOTICE_TASK, retry=False, headers={"_schema_name": schema})
    except Exception:  # the broker being unreachable must never fail the request
        logger.warning("Broker unreachable; match signals wait for the hourly run")


def notice_signals() -> list[MatchSignal]:
    """Bring this region's signals in line with the platform's table: a new match becomes
    a signal with its audit line, a match that is gone takes its signal along (with a
    line too). Read first without a lock; only a difference takes the lock."""
    signals = list(MatchSignal.objects.select_related("registration", "casus"))
    if {signal_key(signal) for signal in signals} == current_matches():
        return signals
    return bring_in_line()


def current_matches() -> set[tuple[str, int]]:
    if not takes_part():
        return set()
    return set(platform.matches_of(connection.tenant))


def signal_key(signal: MatchSignal) -> tuple[str, int]:
    return signal.registration.token, signal.other_region_id


@transaction.atomic
def bring_in_line() -> list[MatchSignal]:
    """Under the region settings' row lock, so that two at once write nothing twice."""
    RegionSettings.objects.select_for_update().filter(pk=RegionSettings.current().pk).get()
    signals = list(MatchSignal.objects.select_related("registration", "casus"))
    found = current_matches()
    gone = [signal for signal in signals if signal_key(signal) not in found]
    added = found - {signal_key(signal) for signal in signals}
    if gone:
        MatchSignal.objects.filter(pk__in=[signal.pk for signal in gone]).delete()
        record_each(AuditAction.DESTROY, [signal_line(signal) for signal in gone], grounds=GROUNDS)
    registrations = {
        registration.token: registration
        for registration in MatchRegistration.objects.filter(
            token__in={token for token, _other in added}
        ).select_related("casus")
    }
    made = MatchSignal.objects.bulk_create(
        MatchSignal(
            registration=registrations[token],
            casus=registrations[token].casus,
            other_region_id=other,
        )
        for token, other in sorted(added)
        if token in registrations
    )
    if made:
        record_each(AuditAction.CREATE, [signal_line(signal) for signal in made], grounds=GROUNDS)
        ask_regions_to_notice(signal.other_region_id for signal in made)
    return [signal for signal in signals if signal not in gone] + made


def signal_line(signal: MatchSignal) -> dict:
    """What the audit line of a signal says: which case and person, which other region;
    nothing of that region's case, which this region never learns."""
    return {
        "target": signal,
        "case_id": signal.casus.reference,
        "person_id": str(signal.registration.person_id),
        "detail": {"signaal": "ook bekend bij", "regio_id": signal.other_region_id},
    }


@dataclass(frozen=True)
class Signal:
    """One signal as the procesregisseur reads it."""

    casus: Casus
    region: Region  # the other meldpunt, for its name and contact details
    noticed_at: datetime

    @property
    def text(self) -> str:
        return _(
            "Een persoon in casus %(reference)s is ook bekend bij meldpunt %(region)s; "
            "neem contact op."
        ) % {"reference": self.casus.reference, "region": self.region.name}


def signals_for(user: User) -> list[Signal]:
    """The region's current signals for a procesregisseur, brought up to date first."""
    require(user, Action.VIEW_MATCH_SIGNALS)
    signals = notice_signals()
    regions = Region.objects.in_bulk({signal.other_region_id for signal in signals})
    return sorted(
        (
            Signal(signal.casus, regions[signal.other_region_id], signal.noticed_at)
            for signal in signals
            if signal.other_region_id in regions
        ),
        key=lambda signal: (signal.noticed_at, signal.casus.reference),
        reverse=True,
    )


@transaction.atomic
def set_taking_part(enabled: bool, *, actor: User) -> None:
    """Switch matching on (every person with a name and birth year of the region's cases
    is registered) or off (every digest of the region leaves the platform's table, and
    every signal goes)."""
    require(actor, Action.CONFIGURE_REGION)
    region_settings = RegionSettings.objects.select_for_update().get(pk=RegionSettings.current().pk)
    if region_settings.matching_enabled == enabled:
        return
    others = {other for _token, other in platform.matches_of(connection.tenant)}
    if not enabled:
        platform.forget_region(connection.tenant)
    region_settings.matching_enabled = enabled
    region_settings.save(update_fields=["matching_enabled"])
    record(
        AuditAction.CHANGE,
        user=actor,
        target=region_settings,
        detail={"landelijke_signalering": "aan" if enabled else "uit"},
    )
    if enabled:
        register_persons(
            InvolvedPerson.objects.exclude(name_index="").filter(birth_year__isnull=False)
        )
    else:
        notice_signals()
        MatchRegistration.objects.all().delete()
        ask_regions_to_notice(others)
