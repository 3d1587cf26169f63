"""Meetings in people's calendars: planning, moving and cancelling a meeting sends each
attendee, staff and guests, one iCalendar invitation through the outbox (RFC 5545,
the same UID, a rising SEQUENCE, REQUEST then CANCEL), and none holds anything of the
cases on its agenda; each user's own subscription lists only the meetings they attend."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_tenants.utils import tenant_context
from icalendar import Calendar

from configuratie.models import Partner
from meldpunt.models import OutboxMessage
from meldpunt.outbox import deliver_pending
from tests.factories import intake_case, person
from tests.serving import OwnSmtpServer
from workflow.models import AgendaItem, MeetingFeed
from workflow.services import meeting_invitations, meetings

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
GUEST = "gast.veiligheidshuis@example.org"


def invitations_to(address: str) -> list[OutboxMessage]:
    return [m for m in OutboxMessage.objects.order_by("id") if m.to == address]


def parsed(message: OutboxMessage):
    """The invitation's one event, parsed as RFC 5545, and its calendar's METHOD."""
    cal = Calendar.from_ical(message.attachment)
    (event,) = cal.events
    return cal["method"], event


def a_meeting_with_a_case_on_its_agenda(twente, make_user):
    actor = make_user(twente, "medewerker")
    screener = make_user(twente, "screeningsteamlid")
    with tenant_context(twente):
        casus = intake_case(
            actor, person("Roos Vermeulen", birth_year=2009), concern="Zorg om Roos."
        )
        meeting = meetings.plan_meeting(
            actor=actor,
            kind="screeningsteam",
            starts_at=datetime(2026, 12, 14, 10, 0, tzinfo=AMSTERDAM),
            location="Veiligheidshuis Hengelo, zaal 2",
            attendees=[actor, screener],
            guests=[
                meetings.GuestData(
                    "Gerrit Gast", Partner.objects.order_by("pk").first(), email=GUEST
                ),
                meetings.GuestData("Zonder Adres", Partner.objects.order_by("pk").first()),
            ],
        )
        meetings.put_on_agenda(casus, actor=actor, meeting=meeting)
    return actor, screener, casus, meeting


def test_planned_moved_and_cancelled_meeting_reach_every_attendee_once_per_change(
    twente, make_user
):
    actor, screener, casus, meeting = a_meeting_with_a_case_on_its_agenda(twente, make_user)
    with tenant_context(twente):
        meetings.move_meeting(
            meeting,
            actor=actor,
            starts_at=datetime(2026, 12, 15, 14, 30, tzinfo=AMSTERDAM),
            location="https://video.example.org/overleg-123",
        )
        meetings.cancel_meeting(meeting, actor=actor)

        addresses = (actor.email, screener.email, GUEST)
        forbidden = [casus.reference, "Roos", "Vermeulen", "Zorg om"]
        for address in addresses:
            sent = invitations_to(address)
            assert [m.attachment_type for m in sent] == [
                "text/calendar; method=REQUEST",
                "text/calendar; method=REQUEST",
                "text/calendar; method=CANCEL",
            ]
            events = [parsed(message) for message in sent]
            assert [method for method, _event in events] == ["REQUEST", "REQUEST", "CANCEL"]
            assert len({str(event["uid"]) for _method, event in events}) == 1
            assert [event["sequence"] for _method, event in events] == [0, 1, 2]
            assert [event["status"] for _method, event in events] == [
                "CONFIRMED",
                "CONFIRMED",
                "CANCELLED",
            ]
            for message in sent:
                text = f"{message.subject}\n{message.body}\n{message.attachment}"
                assert [word for word in forbidden if word in text] == []
        # One invitation per attendee and change; the guest without an address gets none.
        assert OutboxMessage.objects.filter(attachment_name="overleg.ics").count() == 9

        _method, planned = parsed(invitations_to(screener.email)[0])
        assert planned["dtstart"].dt == datetime(2026, 12, 14, 10, 0, tzinfo=AMSTERDAM)
        assert planned["dtstart"].params["TZID"] == "Europe/Amsterdam"
        assert str(planned["location"]) == "Veiligheidshuis Hengelo, zaal 2"
        assert f"/overleggen/{meeting.pk}/" in str(planned["url"])
        assert str(actor) in str(planned["description"])  # the chair
        assert str(planned["attendee"]) == f"mailto:{screener.email}"  # only its own
        _method, moved = parsed(invitations_to(screener.email)[1])
        assert moved["dtstart"].dt.utcoffset() == timedelta(hours=1)  # winter time
        assert str(moved["location"]) == "https://video.example.org/overleg-123"
        assert "gewijzigd" in invitations_to(screener.email)[1].body
        assert "gaat niet door" in invitations_to(screener.email)[2].body
        assert not AgendaItem.objects.filter(meeting=meeting).exists()  # free for another


def test_the_invitation_arrives_as_a_calendar_part_of_the_mail(twente, make_user, settings):
    server = OwnSmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 5
    try:
        _actor, screener, _casus, _meeting = a_meeting_with_a_case_on_its_agenda(twente, make_user)
        with tenant_context(twente):
            assert deliver_pending() == 3
        (received,) = server.received_by(screener.email)
    finally:
        server.stop()
    ((name, content_type, content),) = received.attachments
    assert name == "overleg.ics"
    assert content_type.startswith("text/calendar;") and 'method="REQUEST"' in content_type
    assert Calendar.from_ical(content).events[0]["sequence"] == 0


def test_a_meeting_that_discussed_a_case_cannot_be_moved_or_cancelled(twente, make_user):
    actor, _screener, _casus, meeting = a_meeting_with_a_case_on_its_agenda(twente, make_user)
    with tenant_context(twente):
        item = meeting.items.get()
        meetings.record_agenda_item(
            item, actor=actor, data=meetings.ItemRecord(minutes="Besproken.")
        )
        before = OutboxMessage.objects.count()
        with pytest.raises(ValidationError):
            meetings.cancel_meeting(meeting, actor=actor)
        with pytest.raises(ValidationError):
            meetings.move_meeting(meeting, actor=actor, starts_at=timezone.now(), location="Elders")
        assert OutboxMessage.objects.count() == before


def test_only_the_meldpunt_staff_move_or_cancel_a_meeting(twente, make_user):
    _actor, screener, _casus, meeting = a_meeting_with_a_case_on_its_agenda(twente, make_user)
    with tenant_context(twente):
        with pytest.raises(PermissionDenied):
            meetings.cancel_meeting(meeting, actor=screener)
        with pytest.raises(PermissionDenied):
            meetings.move_meeting(meeting, actor=screener, starts_at=timezone.now(), location="")


def test_a_cancelled_meeting_takes_no_case_on_its_agenda(twente, make_user):
    actor, _screener, casus, meeting = a_meeting_with_a_case_on_its_agenda(twente, make_user)
    with tenant_context(twente):
        meeting = meetings.cancel_meeting(meeting, actor=actor)
        with pytest.raises(ValidationError):
            meetings.put_on_agenda(casus, actor=actor, meeting=meeting)
        with pytest.raises(ValidationError):
            meetings.cancel_meeting(meeting, actor=actor)


def test_the_subscription_lists_only_the_users_own_meetings_without_case_data(
    twente, limburg, make_user
):
    actor, screener, casus, attended = a_meeting_with_a_case_on_its_agenda(twente, make_user)
    with tenant_context(twente):
        other = meetings.plan_meeting(
            actor=actor,
            kind="casusoverleg",
            starts_at=timezone.now() + timedelta(days=3),
            attendees=[actor],
        )
        key = meeting_invitations.make_feed(screener)
        assert MeetingFeed.objects.get(user=screener).key_digest != key  # only a digest
        assert meeting_invitations.feed_owner(key) == screener
        feed = meeting_invitations.feed_calendar(screener).decode()
        events = Calendar.from_ical(feed).events
        assert [str(event["uid"]) for event in events] == [
            meeting_invitations.meeting_uid(attended)
        ]
        assert meeting_invitations.meeting_uid(other) not in feed
        assert "ATTENDEE" not in feed
        for word in (casus.reference, "Roos", "Vermeulen"):
            assert word not in feed

        again = meeting_invitations.make_feed(screener)
        assert meeting_invitations.feed_owner(key) is None  # the old address opens nothing
        assert meeting_invitations.feed_owner(again) == screener
    with tenant_context(limburg):
        assert meeting_invitations.feed_owner(again) is None  # nor in another region
    with tenant_context(twente):
        assert meeting_invitations.revoke_feed(screener) is True
        assert meeting_invitations.feed_owner(again) is None


def test_a_deactivated_account_has_no_subscription(twente, make_user):
    user = make_user(twente, "screeningsteamlid")
    with tenant_context(twente):
        key = meeting_invitations.make_feed(user)
        user.is_active = False
        user.save()
        assert meeting_invitations.feed_owner(key) is None


def test_an_analist_attends_no_meeting_and_gets_no_subscription(twente, make_user):
    analist = make_user(twente, "analist")
    with tenant_context(twente), pytest.raises(PermissionDenied):
        meeting_invitations.make_feed(analist)
