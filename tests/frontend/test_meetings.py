"""Meetings as the meldpunt tells them apart and keeps their minutes: the agenda choice
names each meeting by its time, name or place and chair; who was present is recorded
through the meeting screen and shown in the minutes and their PDF; fixing the minutes
with cases not discussed, or before the meeting's day, asks first and names the cases,
which then leave the meeting to wait for another."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import tenant_context

from audit.models import AuditEntry
from configuratie.models import Partner
from tests.api.test_meetings import API, with_token
from tests.factories import case_in_step
from tests.frontend.cases.test_words_not_codes import pdf_text
from workflow.models import AgendaItem, Meeting, MeetingGuest
from workflow.services import meetings as meeting_service


def plan(region, actor, *, days: int = 1, **fields) -> Meeting:
    with tenant_context(region):
        return meeting_service.plan_meeting(
            actor=actor,
            kind="screeningsteam",
            starts_at=timezone.now() + timedelta(days=days),
            attendees=fields.pop("attendees", [actor]),
            **fields,
        )


def test_the_agenda_choice_names_each_meeting_by_time_name_place_and_chair(
    twente, logged_in, make_user
):
    staff = logged_in(twente, "medewerker")
    with tenant_context(twente):
        staff.user.full_name = "Petra Planner"
        staff.user.save()
    chair = make_user(twente, "procesregisseur")
    with tenant_context(twente):
        chair.full_name = "Carla Voorzitter"
        chair.save()
    casus = case_in_step(twente, "screening", staff.user)
    morning = plan(twente, staff.user, title="Screeningsteam Hengelo", location="Stadhuis")
    afternoon = plan(twente, staff.user, location="Veiligheidshuis Almelo", chair=chair)
    with tenant_context(twente):
        assert chair in afternoon.attendees.all()  # the chair attends

    page = staff.get(reverse("cases:task", args=[casus.reference, "agenderen"])).content.decode()
    for meeting in (morning, afternoon):
        when = timezone.localtime(meeting.starts_at)
        assert f'value="{meeting.pk}"' in page
        assert f"{when:%H:%M}" in page
    assert "Screeningsteam Hengelo, Stadhuis" in page
    assert "Veiligheidshuis Almelo · voorzitter Carla Voorzitter" in page


def test_who_was_present_is_recorded_and_shown_in_the_minutes_and_their_pdf(
    twente, logged_in, make_user
):
    staff = logged_in(twente, "medewerker")
    absent = make_user(twente, "screeningsteamlid", email="afwezig@twente.test")
    there = make_user(twente, "screeningsteamlid", email="aanwezig@twente.test")
    meeting = plan(twente, staff.user, days=0, attendees=[absent, there])
    with tenant_context(twente):
        partner = Partner.objects.first()
        guest = MeetingGuest.objects.create(meeting=meeting, name="Jan de Wit", partner=partner)
    detail = reverse("meetings:detail", args=[meeting.pk])
    assert "nog niet vastgelegd" in staff.get(detail).content.decode()

    url = reverse("meetings:attendance", args=[meeting.pk])
    form = staff.get(url).content.decode()
    assert "afwezig@twente.test" in form and "Jan de Wit" in form
    assert staff.post(url, {"present": [there.pk], "guests_present": [guest.pk]}).status_code == 302

    page = staff.get(detail).content.decode()
    present = page.split('id="aanwezig"')[1].split("</dd>")[0]
    assert "aanwezig@twente.test" in present and "Jan de Wit" in present
    assert "afwezig@twente.test" not in present
    minutes = pdf_text(staff.get(reverse("meetings:minutes_pdf", args=[meeting.pk])).content)
    assert f"Aanwezig: aanwezig@twente.test, Jan de Wit ({partner.name})" in minutes
    with tenant_context(twente):
        assert AuditEntry.objects.filter(detail__aanwezig=[there.pk]).exists()


def test_only_those_invited_can_be_recorded_present(twente, make_user):
    staff = make_user(twente, "medewerker")
    outsider = make_user(twente, "screeningsteamlid")
    meeting = plan(twente, staff)
    with tenant_context(twente), pytest.raises(ValidationError):
        meeting_service.record_attendance(
            meeting, actor=staff, present=[outsider], guests_present=[]
        )


def test_a_screening_team_member_cannot_record_attendance(twente, logged_in, make_user):
    member = logged_in(twente, "screeningsteamlid")
    meeting = plan(twente, make_user(twente, "medewerker"), attendees=[member.user])
    assert member.get(reverse("meetings:attendance", args=[meeting.pk])).status_code == 403


def test_fixing_minutes_with_a_case_not_discussed_asks_first_and_the_case_waits_again(
    twente, logged_in
):
    staff = logged_in(twente, "medewerker")
    discussed = case_in_step(twente, "screening", staff.user, name="Besproken Kind")
    waiting = case_in_step(twente, "screening", staff.user, name="Wachtend Kind")
    meeting = plan(twente, staff.user, days=0)
    with tenant_context(twente):
        done = meeting_service.put_on_agenda(discussed, actor=staff.user, meeting=meeting)
        meeting_service.put_on_agenda(waiting, actor=staff.user, meeting=meeting)
        AgendaItem.objects.filter(pk=done.pk).update(
            discussed_at=timezone.now(), minutes="Besproken."
        )
    close = reverse("meetings:close", args=[meeting.pk])

    asked = staff.post(close)
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "Verslag toch vaststellen" in page
    assert f"Casus {waiting.reference}" in page and discussed.reference not in page
    with tenant_context(twente):
        assert Meeting.objects.get(pk=meeting.pk).closed_at is None

    assert staff.post(close, {"bevestigd": "1"}).status_code == 302
    with tenant_context(twente):
        assert Meeting.objects.get(pk=meeting.pk).closed_at is not None
        assert list(AgendaItem.objects.filter(meeting=meeting).values_list("casus", flat=True)) == [
            discussed.pk
        ]
        assert AuditEntry.objects.filter(
            case_id=waiting.reference, detail__niet_besproken=True
        ).exists()
    case_page = staff.get(reverse("cases:detail", args=[waiting.reference])).content.decode()
    assert "Niet besproken in een overleg." in case_page
    later = plan(twente, staff.user, days=7)
    with tenant_context(twente):  # waiting for a meeting again: it can go on the next one
        meeting_service.put_on_agenda(waiting, actor=staff.user, meeting=later)


def test_fixing_minutes_before_the_meetings_day_asks_first(twente, logged_in):
    staff = logged_in(twente, "medewerker")
    meeting = plan(twente, staff.user, days=3)
    close = reverse("meetings:close", args=[meeting.pk])
    page = staff.post(close).content.decode()
    assert "Het overleg is pas op" in page
    with tenant_context(twente):
        assert Meeting.objects.get(pk=meeting.pk).closed_at is None
    staff.post(close, {"bevestigd": "1"})
    with tenant_context(twente):
        assert Meeting.objects.get(pk=meeting.pk).closed_at is not None


def test_a_meeting_on_its_day_with_everything_discussed_is_fixed_at_once(twente, logged_in):
    staff = logged_in(twente, "medewerker")
    meeting = plan(twente, staff.user, days=0)
    assert staff.post(reverse("meetings:close", args=[meeting.pk])).status_code == 302
    with tenant_context(twente):
        assert Meeting.objects.get(pk=meeting.pk).closed_at is not None


def test_the_api_fixes_minutes_with_an_undiscussed_case_only_when_confirmed(twente, make_user):
    staff_user = make_user(twente, "medewerker")
    casus = case_in_step(twente, "screening", staff_user)
    meeting = plan(twente, staff_user, days=0)
    with tenant_context(twente):
        meeting_service.put_on_agenda(casus, actor=staff_user, meeting=meeting)
    staff = with_token(twente, staff_user)
    refused = staff.post(f"{API}{meeting.pk}/vaststellen/", {}, format="json")
    assert refused.status_code == 400
    assert casus.reference in refused.json()["fout"]["velden"]["algemeen"][0]
    closed = staff.post(f"{API}{meeting.pk}/vaststellen/", {"confirmed": True}, format="json")
    assert closed.status_code == 200 and closed.json()["closed_at"] is not None
    with tenant_context(twente):
        assert not AgendaItem.objects.filter(meeting=meeting).exists()
