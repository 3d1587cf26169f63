"""The screens of meetings in calendars: moving and cancelling a meeting (the meldpunt's
staff only), and one's own calendar subscription, whose secret address a calendar
program fetches without a session, rate-limited, listing only one's own meetings."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django_tenants.utils import tenant_context
from icalendar import Calendar

from meldpunt.models import OutboxMessage
from tests.factories import intake_case, person
from workflow.models import Meeting, MeetingFeed
from workflow.services import meeting_invitations, meetings

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def planned(twente, logged_in, make_user):
    staff = logged_in(twente, "medewerker")
    screener = logged_in(twente, "screeningsteamlid")
    with tenant_context(twente):
        casus = intake_case(staff.user, person("Mila Hendriks"), concern="Zorg om Mila.")
        meeting = meetings.plan_meeting(
            actor=staff.user,
            kind="casusoverleg",
            starts_at=datetime(2026, 12, 21, 9, 0, tzinfo=AMSTERDAM),
            location="Stadhuis",
            attendees=[staff.user, screener.user],
        )
        meetings.put_on_agenda(casus, actor=staff.user, meeting=meeting)
    return staff, screener, casus, meeting


def test_staff_move_a_meeting_and_its_attendees_get_the_new_invitation(twente, planned):
    staff, screener, _casus, meeting = planned
    url = reverse("meetings:move", args=[meeting.pk])
    assert staff.get(url).status_code == 200
    answer = staff.post(url, {"starts_at": "2026-12-22T13:30", "location": "Online"})
    assert answer.status_code == 302
    with tenant_context(twente):
        meeting.refresh_from_db()
        assert (meeting.sequence, meeting.location) == (1, "Online")
        assert meeting.starts_at == datetime(2026, 12, 22, 13, 30, tzinfo=AMSTERDAM)
        latest = [m for m in OutboxMessage.objects.order_by("id") if m.to == screener.user.email]
        assert Calendar.from_ical(latest[-1].attachment).events[0]["sequence"] == 1
    refused = staff.post(url, {"starts_at": "2026-12-22T13:30", "location": "Online"})
    assert refused.status_code == 400
    assert "niet veranderd" in refused.content.decode()


def test_staff_cancel_a_meeting_after_a_confirmation(twente, planned):
    staff, _screener, casus, meeting = planned
    url = reverse("meetings:cancel", args=[meeting.pk])
    confirmation = staff.get(url).content.decode()
    assert casus.reference in confirmation  # which cases leave the agenda
    assert staff.post(url).status_code == 302
    with tenant_context(twente):
        meeting.refresh_from_db()
        assert meeting.cancelled_at is not None and meeting.sequence == 1
    page = staff.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "afgezegd" in page
    assert reverse("meetings:move", args=[meeting.pk]) not in page


def test_a_screening_team_member_neither_moves_nor_cancels(twente, planned):
    _staff, screener, _casus, meeting = planned
    assert screener.get(reverse("meetings:move", args=[meeting.pk])).status_code == 403
    assert screener.post(reverse("meetings:cancel", args=[meeting.pk])).status_code == 403
    with tenant_context(twente):
        assert Meeting.objects.get(pk=meeting.pk).cancelled_at is None


def new_feed_address(user_client) -> str:
    page = user_client.post(reverse("meetings:subscription"), {"actie": "nieuw"}).content.decode()
    start = page.index('id="abonnementsadres">') + len('id="abonnementsadres">')
    return page[start : page.index("</code>", start)]


def test_a_subscription_lists_ones_own_meetings_without_a_session_and_no_case_data(
    twente, planned, client_for, django_assert_max_num_queries
):
    staff, screener, casus, meeting = planned
    address = new_feed_address(screener)
    assert address.startswith("http") and "/agenda/" in address
    path = address[address.index("/agenda/") :]
    with tenant_context(twente):
        assert MeetingFeed.objects.get(user=screener.user).key_digest not in address
        meetings.plan_meeting(
            actor=staff.user,
            kind="screeningsteam",
            starts_at=datetime(2026, 12, 23, 9, 0, tzinfo=AMSTERDAM),
            attendees=[staff.user],
        )
        attended_too = [
            meetings.plan_meeting(
                actor=staff.user,
                kind="screeningsteam",
                starts_at=datetime(2027, 1, day, 9, 0, tzinfo=AMSTERDAM),
                attendees=[screener.user],
            )
            for day in range(4, 9)
        ]
    calendar_program = client_for(twente)  # no session
    with django_assert_max_num_queries(8):
        answer = calendar_program.get(path)
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/calendar")
    text = answer.content.decode()
    events = Calendar.from_ical(text).events
    with tenant_context(twente):
        assert [str(e["uid"]) for e in events] == [
            meeting_invitations.meeting_uid(m) for m in [meeting, *attended_too]
        ]
    for word in (casus.reference, "Mila", "Hendriks", "Zorg om"):
        assert word not in text
    # The screen no longer shows the address; a new one replaces it.
    assert address not in screener.get(reverse("meetings:subscription")).content.decode()
    replaced = new_feed_address(screener)
    assert calendar_program.get(path).status_code == 404
    assert calendar_program.get(replaced[replaced.index("/agenda/") :]).status_code == 200
    screener.post(reverse("meetings:subscription"), {"actie": "intrekken"})
    assert calendar_program.get(replaced[replaced.index("/agenda/") :]).status_code == 404


def test_guessing_subscription_addresses_is_rate_limited(twente, client_for):
    guesser = client_for(twente)
    answers = [
        guesser.get(reverse("meetings:feed", args=[f"geraden-{n}"])).status_code for n in range(305)
    ]
    assert set(answers[:300]) == {404}
    assert answers[-1] == 429


def test_one_address_is_fetched_at_most_so_often(twente, planned, client_for):
    _staff, screener, _casus, _meeting = planned
    address = new_feed_address(screener)
    path = address[address.index("/agenda/") :]
    program = client_for(twente)
    answers = [program.get(path).status_code for _n in range(31)]
    assert answers[:30] == [200] * 30 and answers[30] == 429


def test_an_analist_has_no_subscription_screen(twente, logged_in):
    analist = logged_in(twente, "analist")
    assert analist.get(reverse("meetings:subscription")).status_code == 403


def test_a_subscription_of_one_region_opens_nothing_in_another(
    twente, limburg, planned, client_for
):
    _staff, screener, _casus, _meeting = planned
    address = new_feed_address(screener)
    path = address[address.index("/agenda/") :]
    assert client_for(limburg).get(path).status_code == 404
