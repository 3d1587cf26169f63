"""Meetings written through the API with personal tokens, through the meeting screens'
services: planning one, its agenda, what it records per case (with a move through the
engine, all or nothing) and fixing its minutes; a Dutch 400 for bad input, and the
roles the screens refuse refused here too."""

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import tenant_context
from rest_framework.test import APIClient

from accounts.services import create_api_token
from configuratie.models import Partner
from tests.api.test_casework import RISK
from tests.conftest import host_of
from tests.factories import case_in_step
from workflow.models import AgendaItem, Casus, Meeting, PlanOfApproach, RiskAssessment

API = "/api/v1/overleggen/"


def with_token(region, user) -> APIClient:
    """A client of `region` that sends a personal API token of `user` with every request."""
    with tenant_context(region):
        _token, key = create_api_token(
            user, name="Koppeling", expires_at=timezone.now() + timedelta(days=1)
        )
    client = APIClient(HTTP_HOST=host_of(region))
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_plan_a_meeting_put_cases_on_it_record_one_and_close_it(twente, make_user):
    staff_user = make_user(twente, "medewerker")
    screener_user = make_user(twente, "screeningsteamlid")
    coordinator = make_user(twente, "casuscoordinator")
    staff, screener = with_token(twente, staff_user), with_token(twente, screener_user)
    casus = case_in_step(twente, "risicotaxatie", staff_user, name="Mila Peters")
    other = case_in_step(twente, "screening", staff_user, name="Noor Jansen")
    with tenant_context(twente):
        partner = Partner.objects.create(name="Jeugdzorg Oost", kind="zorg")

    planned = staff.post(
        API,
        {
            "kind": "screeningsteam",
            "starts_at": timezone.now().isoformat(),
            "location": "Stadhuis",
            "attendees": [screener_user.pk, staff_user.pk],
            "guests": [{"name": "Jan de Wit", "partner": partner.pk}],
        },
        format="json",
    )
    assert planned.status_code == 201, planned.content
    meeting = planned.json()["id"]
    with tenant_context(twente):
        made = Meeting.objects.get(pk=meeting)
        assert {user.pk for user in made.attendees.all()} == {screener_user.pk, staff_user.pk}
        assert [(g.name, g.partner_id) for g in made.guests.all()] == [("Jan de Wit", partner.pk)]

    agenda = f"{API}{meeting}/agenda/"
    put = staff.post(agenda, {"casus": casus.reference}, format="json")
    assert put.status_code == 201, put.content
    item = put.json()["id"]
    again = staff.post(agenda, {"casus": casus.reference}, format="json")
    assert again.status_code == 400
    assert again.json()["fout"]["velden"] == {
        "algemeen": ["De casus staat al op de agenda van dit overleg."]
    }
    assert staff.post(agenda, {"casus": "ZZ-0000-000"}, format="json").status_code == 404
    second = staff.post(agenda, {"casus": other.reference}, format="json").json()["id"]

    minutes = f"{API}{meeting}/agenda/{item}/verslag/"
    record = {
        "minutes": "Risico en plan besproken.",
        "decision": "Plan van aanpak uitvoeren.",
        "risk_answers": RISK,
        "plan_goals": "Veilig thuis",
        "plan_actions": [{"description": "Gesprek", "owner_name": "Jeugdwerker"}],
        "move_to": "zorgcoordinatie",
    }
    elsewhere = screener.post(minutes, record | {"move_to": "intake"}, format="json")
    assert elsewhere.json()["fout"]["velden"] == {
        "move_to": ["Kies een stap die het overleg kan besluiten."]
    }
    refused = screener.post(minutes, record, format="json")
    assert refused.status_code == 400
    assert refused.json()["fout"]["code"] == "overgang_geweigerd"
    assert "Wijs eerst een casuscoördinator aan." in refused.json()["fout"]["velden"]["algemeen"]
    with tenant_context(twente):  # all or nothing: the refused move undid the records
        assert not RiskAssessment.objects.filter(casus=casus).exists()
        assert not PlanOfApproach.objects.filter(casus=casus).exists()
    done = screener.post(minutes, record | {"coordinator": coordinator.pk}, format="json")
    assert done.status_code == 200, done.content
    assert done.json()["decision"] == "Plan van aanpak uitvoeren."
    with tenant_context(twente):
        moved = Casus.objects.get(pk=casus.pk)
        assert (moved.current_step.code, moved.coordinator_id) == (
            "zorgcoordinatie",
            coordinator.pk,
        )
        assert RiskAssessment.objects.get(casus=casus).agenda_item_id == item
        assert [t.to_step.code for t in moved.transitions.all()][-2:] == [
            "plan_van_aanpak",
            "zorgcoordinatie",
        ]

    discussed = staff.delete(f"{API}{meeting}/agenda/{item}/")
    assert discussed.json()["fout"]["velden"] == {
        "algemeen": ["Een besproken agendapunt blijft in het verslag."]
    }
    assert staff.delete(f"{API}{meeting}/agenda/{second}/").status_code == 204
    with tenant_context(twente):
        assert list(AgendaItem.objects.filter(meeting=meeting).values_list("pk", flat=True)) == [
            item
        ]

    assert screener.post(f"{API}{meeting}/vaststellen/").status_code == 403
    closed = staff.post(f"{API}{meeting}/vaststellen/")
    assert closed.status_code == 200 and closed.json()["closed_at"] is not None
    twice = staff.post(f"{API}{meeting}/vaststellen/")
    assert twice.json()["fout"]["velden"] == {
        "algemeen": ["Het verslag van dit overleg is vastgesteld."]
    }
    late = staff.post(agenda, {"casus": other.reference}, format="json")
    assert late.status_code == 400


def test_bad_input_is_a_dutch_400_with_the_fields(twente, make_user):
    staff_user = make_user(twente, "medewerker")
    outsider = make_user(twente, "analist")
    staff = with_token(twente, staff_user)
    bad = staff.post(
        API,
        {"kind": "borrel", "starts_at": "morgen", "attendees": [outsider.pk]},
        format="json",
    )
    assert bad.status_code == 400
    error = bad.json()["fout"]
    assert error["code"] == "ongeldig"
    assert error["melding"] == "De gegevens zijn niet in orde. Zie de velden."
    assert set(error["velden"]) == {"kind", "starts_at", "attendees"}
    assert "bestaat niet" in error["velden"]["attendees"][0]  # an analist is no staff
    nobody = staff.post(
        API,
        {"kind": "casusoverleg", "starts_at": timezone.now().isoformat(), "attendees": []},
        format="json",
    )
    assert nobody.json()["fout"]["velden"] == {"attendees": ["Kies minstens één deelnemer."]}
    with tenant_context(twente):
        assert not Meeting.objects.exists()


def test_roles_the_meeting_screens_refuse_are_refused(twente, make_user):
    staff_user = make_user(twente, "medewerker")
    casus = case_in_step(twente, "screening", staff_user)
    with tenant_context(twente):
        meeting = Meeting.objects.create(
            kind="screeningsteam", starts_at=timezone.now(), created_by=staff_user
        )
        item = AgendaItem.objects.create(meeting=meeting, casus=casus, position=1)
    screener_user = make_user(twente, "screeningsteamlid")
    with tenant_context(twente):
        meeting.attendees.set([screener_user, staff_user])
    screener = with_token(twente, screener_user)
    coordinator = with_token(twente, make_user(twente, "casuscoordinator"))
    new = {"kind": "casusoverleg", "starts_at": timezone.now().isoformat()}
    new |= {"attendees": [staff_user.pk]}
    base = f"{API}{meeting.pk}/"
    # An attendee of the screening team may record, not plan, add, remove or close.
    assert screener.post(API, new, format="json").status_code == 403
    add = screener.post(base + "agenda/", {"casus": casus.reference}, format="json")
    assert add.status_code == 403
    assert screener.delete(f"{base}agenda/{item.pk}/").status_code == 403
    assert screener.post(base + "vaststellen/").status_code == 403
    # A case coordinator sees no meeting at all.
    assert coordinator.post(API, new, format="json").status_code == 403
    assert coordinator.post(base + "vaststellen/").status_code == 404
    assert coordinator.delete(f"{base}agenda/{item.pk}/").status_code == 404
    record = coordinator.post(f"{base}agenda/{item.pk}/verslag/", {"minutes": "x"}, format="json")
    assert record.status_code == 404
    with tenant_context(twente):
        assert AgendaItem.objects.filter(pk=item.pk, discussed_at=None).exists()
        assert Meeting.objects.filter(closed_at=None).count() == 1
