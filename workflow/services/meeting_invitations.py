"""Meetings in people's calendars: an iCalendar invitation (RFC 5545; iTIP REQUEST or
CANCEL) to every attendee, staff and guests, through the outbox when a meeting is
planned, moved or cancelled; and each user's own calendar subscription, a secret
address listing the meetings they attend.

One UID per meeting, and its SEQUENCE (raised on every change) tells a calendar which
invitation is the latest. Neither an invitation nor the subscription ever holds
anything of a case on the agenda: only the meeting's kind, time, place, chair and a
link to its page, where the agenda is shown to who may see it after signing in."""

import secrets
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from icalendar import Calendar, Event, vCalAddress

from accounts.models import User
from accounts.policy import Action, may, require
from accounts.services import link_in_email
from audit.models import AuditAction
from audit.services import record
from meldpunt.encryption import keyed_digest
from meldpunt.outbox import Attachment, queue_templated_email
from workflow.models import Meeting, MeetingFeed

# A meeting has a start and no end of its own: calendars show it this long.
MEETING_LENGTH = timedelta(hours=2)
# The subscription lists the meetings from this long ago on, at most FEED_SIZE of them.
FEED_HISTORY = timedelta(days=90)
FEED_SIZE = 500
FEED_KEY_BYTES = 32
FEED_KEY_MAX_LENGTH = 64
FEED_PURPOSE = b"meeting-feed:"
PRODUCT_ID = "-//Meldpunt Loverboyproblematiek//Overleggen//NL"
REQUEST, CANCEL = "REQUEST", "CANCEL"


def meeting_uid(meeting: Meeting) -> str:
    """The same for every invitation of one meeting, and unlike any other region's."""
    return f"overleg-{meeting.pk}@{connection.schema_name}.{settings.BASE_DOMAIN}"


def chair_of(meeting: Meeting) -> User:
    """Who chairs the meeting: the chair named when planning it, else who planned it."""
    return meeting.chair or meeting.created_by


def region_name() -> str:
    return _("Meldpunt Loverboyproblematiek %(region)s") % {"region": connection.tenant.name}


def meeting_page(meeting: Meeting, *, site: str) -> str:
    """The meeting's page on `site` (link_in_email(""), read once per mail or feed)."""
    return site + reverse("meetings:detail", args=[meeting.pk])


def meeting_event(meeting: Meeting, *, site: str, attendee: tuple[str, str] | None = None) -> Event:
    """The meeting as a calendar event: kind, time, place, chair and its page; with the
    invitation's one `attendee` (address, name), never the list of all the others."""
    start = timezone.localtime(meeting.starts_at, ZoneInfo(settings.TIME_ZONE))
    url = meeting_page(meeting, site=site)
    chair = chair_of(meeting)
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", start)
    event.add("dtend", start + MEETING_LENGTH)
    event.add("summary", f"{meeting.get_kind_display()} · {region_name()}")
    if meeting.location:
        event.add("location", meeting.location)
    event.add("url", url)
    lines = [
        _("%(kind)s van %(region)s.")
        % {"kind": meeting.get_kind_display(), "region": region_name()},
        _("Voorzitter: %(chair)s") % {"chair": chair},
        _("De agenda staat na het inloggen op de pagina van het overleg: %(url)s") % {"url": url},
    ]
    event.add("description", "\n".join(lines))
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = region_name()
    event.add("organizer", organizer)
    if attendee is not None:
        address = vCalAddress(f"mailto:{attendee[0]}")
        address.params.update(
            {
                "cn": attendee[1],
                "role": "REQ-PARTICIPANT",
                "partstat": "NEEDS-ACTION",
                "rsvp": "FALSE",  # nothing here reads replies
            }
        )
        event.add("attendee", address)
    event.add("status", "CANCELLED" if meeting.cancelled_at else "CONFIRMED")
    return event


def calendar(events: list[Event], *, method: str = "") -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    for event in events:
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal


def invitation(meeting: Meeting, *, site: str, address: str, name: str) -> str:
    """The iCalendar text of one attendee's invitation: REQUEST, or CANCEL once the
    meeting is cancelled."""
    method = CANCEL if meeting.cancelled_at else REQUEST
    event = meeting_event(meeting, site=site, attendee=(address, name))
    return calendar([event], method=method).to_ical().decode()


@dataclass(frozen=True)
class Invitee:
    address: str
    name: str
    guest: bool = False  # without an account: the meeting's page is not for them


def invitees(meeting: Meeting) -> list[Invitee]:
    """Every attendee with an e-mail address, staff and guests, each address once."""
    found: dict[str, Invitee] = {}
    for user in meeting.attendees.filter(is_active=True).order_by("pk"):
        found.setdefault(user.email.lower(), Invitee(user.email, str(user)))
    for guest in meeting.guests.order_by("pk"):
        if guest.email:
            found.setdefault(guest.email.lower(), Invitee(guest.email, guest.name, guest=True))
    return list(found.values())


def send_invitations(meeting: Meeting) -> int:
    """Queue an invitation (or, for a cancelled meeting, its cancellation) to every
    attendee, in the caller's transaction; returns how many. In Dutch, the platform's
    language, like every other mail."""
    cancelled = meeting.cancelled_at is not None
    site = link_in_email("")
    with override("nl"):
        context = {
            "meeting": meeting,
            "region": region_name(),
            "changed": meeting.sequence > 0,
            "cancelled": cancelled,
            "url": meeting_page(meeting, site=site),
        }
        mimetype = f"text/calendar; method={CANCEL if cancelled else REQUEST}"
        invited = invitees(meeting)
        for invitee in invited:
            content = invitation(meeting, site=site, address=invitee.address, name=invitee.name)
            queue_templated_email(
                invitee.address,
                "workflow/email/meeting_invitation",
                context | {"guest": invitee.guest},
                Attachment("overleg.ics", mimetype, content),
            )
    return len(invited)


def feed_digest(key: str) -> str:
    """What is stored of a subscription's secret: HMAC-SHA256 under the region's own
    index key, so a secret of one region opens nothing in another."""
    return keyed_digest(key, purpose=FEED_PURPOSE)


@transaction.atomic
def make_feed(user: User) -> str:
    """A new secret address for `user`'s own meetings, replacing any earlier one (which
    from now on opens nothing); returns the secret, which is shown once and stored
    nowhere."""
    require(user, Action.SUBSCRIBE_TO_MEETINGS)
    key = secrets.token_urlsafe(FEED_KEY_BYTES)
    feed, created = MeetingFeed.objects.update_or_create(
        user=user,
        defaults={
            "key_digest": feed_digest(key),
            "created_at": timezone.now(),
            "last_used_at": None,
        },
    )
    record(
        AuditAction.CREATE if created else AuditAction.CHANGE,
        user=user,
        target=feed,
        detail={"agenda_abonnement": "nieuw adres"},
    )
    return key


@transaction.atomic
def revoke_feed(user: User) -> bool:
    """Revoke `user`'s subscription: its address opens nothing any more. False when
    there was none."""
    require(user, Action.SUBSCRIBE_TO_MEETINGS)
    feed = MeetingFeed.objects.select_for_update().filter(user=user).first()
    if feed is None:
        return False
    record(AuditAction.CHANGE, user=user, target=feed, detail={"agenda_abonnement": "ingetrokken"})
    feed.delete()
    return True


def feed_url(key: str) -> str:
    """The subscription's address, on the region's configured domain."""
    return link_in_email(reverse("meetings:feed", args=[key]))


def feed_owner(key: str) -> User | None:
    """The user whose subscription `key` opens; None for every key that opens none:
    unknown here (another region's too), revoked, of a deactivated account or one no
    longer allowed it, or in a suspended region. The caller cannot tell these apart."""
    if not key or len(key) > FEED_KEY_MAX_LENGTH:
        return None
    feed = MeetingFeed.objects.select_related("user").filter(key_digest=feed_digest(key)).first()
    if (
        feed is None
        or getattr(connection.tenant, "is_suspended", False)
        or not may(feed.user, Action.SUBSCRIBE_TO_MEETINGS)
    ):
        return None
    now = timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at >= timedelta(hours=1):
        MeetingFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    return feed.user


def attended_meetings(user: User) -> QuerySet[Meeting]:
    """The meetings in `user`'s subscription: those they attend, from FEED_HISTORY ago."""
    since = timezone.now() - FEED_HISTORY
    return (
        Meeting.objects.filter(attendees=user, starts_at__gte=since)
        .select_related("created_by")
        .order_by("starts_at", "pk")[:FEED_SIZE]
    )


def feed_calendar(user: User) -> bytes:
    """The subscription's iCalendar text: the meetings `user` attends, cancelled ones
    marked so, each with the kind, time, place, chair and link of its invitations."""
    with override("nl"):
        site = link_in_email("")
        events = [meeting_event(meeting, site=site) for meeting in attended_meetings(user)]
        cal = calendar(events)
        cal.add("x-wr-calname", _("Overleggen · %(region)s") % {"region": region_name()})
        cal.add("x-wr-timezone", settings.TIME_ZONE)
    return cal.to_ical()
