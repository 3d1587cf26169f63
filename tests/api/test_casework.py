"""The rest of the work on a case through the API, through the task pages' services:
a risk assessment, feedback to the reporter, a plan and its actions, the persons, the
meetings and the prevention register."""

import json

from django.test import Client
from django_tenants.utils import tenant_context

from audit.models import AuditAction, AuditEntry
from statistiek.models import PreventionActivity
from tests.factories import case_in_step, meeting_with
from workflow.models import Feedback, PlanAction, RiskAssessment

RISK = {"contact_dader": "ja", "minderjarig": "ja", "uitbuiting": "nee"}
RISK |= {"vermist": "nee", "netwerk": "onbekend"}


def signed_in(region, user, client_for) -> Client:
    client = client_for(region)
    with tenant_context(region):
        client.force_login(user)
    return client


def post(client: Client, url: str, data: dict):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_risk_feedback_plan_and_actions_through_the_api(twente, client_for, make_user):
    staff_user = make_user(twente, "medewerker")
    casus = case_in_step(twente, "risicotaxatie", staff_user, name="Mila Peters")
    staff = signed_in(twente, staff_user, client_for)
    url = f"/api/v1/casussen/{casus.reference}/"

    deviating = post(staff, url + "risicotaxaties/", {"answers": RISK, "level": "hoog"})
    assert deviating.status_code == 400
    assert "geef de reden" in deviating.json()["fout"]["velden"]["algemeen"][0]
    assessed = post(staff, url + "risicotaxaties/", {"answers": RISK})
    assert assessed.status_code == 201, assessed.content
    assert (assessed.json()["score"], assessed.json()["level"]) == (5, "verhoogd")

    with tenant_context(twente):
        report = casus.reports.get()
    given = post(
        staff, url + "terugkoppeling/", {"text": "Wij zijn ermee bezig.", "reports": [report.pk]}
    )
    assert given.status_code == 201, given.content
    elsewhere = post(staff, url + "terugkoppeling/", {"text": "x", "reports": [report.pk + 999]})
    assert elsewhere.status_code == 400

    empty_plan = post(staff, url + "plan/", {"goals": "Veilig", "actions": []})
    assert empty_plan.json()["fout"]["velden"] == {
        "algemeen": ["Een plan van aanpak heeft minstens één actie."]
    }
    written = post(
        staff,
        url + "plan/",
        {
            "goals": "Veilig thuis",
            "actions": [{"description": "Gesprek", "owner_name": "Jeugdwerker"}],
        },
    )
    assert written.status_code == 201, written.content
    action = written.json()["actions"][0]
    assert action["chain"] == "zorg"
    unfinished = post(staff, url + f"plan/acties/{action['id']}/", {"status": "gereed"})
    assert unfinished.status_code == 400
    done = post(
        staff, url + f"plan/acties/{action['id']}/", {"status": "gereed", "outcome": "Gesproken."}
    )
    assert done.status_code == 200 and done.json()["status"] == "gereed"

    with tenant_context(twente):
        assert RiskAssessment.objects.get(casus=casus).computed_level == "verhoogd"
        assert Feedback.objects.get(casus=casus).text == "Wij zijn ermee bezig."
        assert PlanAction.objects.get(pk=action["id"]).outcome == "Gesproken."


def test_reading_the_persons_is_an_audit_line_per_person(twente, client_for, make_user):
    staff_user = make_user(twente, "medewerker")
    casus = case_in_step(twente, "melding", staff_user, name="Jens Bos")
    persons = signed_in(twente, staff_user, client_for).get(
        f"/api/v1/casussen/{casus.reference}/betrokkenen/"
    )
    assert [person["name"] for person in persons.json()] == ["Jens Bos"]
    with tenant_context(twente):
        assert AuditEntry.objects.filter(
            action=AuditAction.VIEW,
            user_id=staff_user.pk,
            person_id=str(persons.json()[0]["id"]),
        ).exists()


def test_a_meeting_shows_only_the_cases_the_reader_may_see(twente, client_for, make_user):
    staff_user = make_user(twente, "medewerker")
    screener = make_user(twente, "screeningsteamlid")
    shown = case_in_step(twente, "screening", staff_user, name="Lina Kok")
    item = meeting_with(twente, shown, [screener], "screeningsteam")
    reader = signed_in(twente, screener, client_for)
    listed = reader.get("/api/v1/overleggen/").json()
    assert [meeting["id"] for meeting in listed["resultaten"]] == [item.meeting_id]
    agenda = reader.get(f"/api/v1/overleggen/{item.meeting_id}/").json()
    assert agenda["entries"][0]["casus"] == shown.reference
    assert [person["name"] for person in agenda["entries"][0]["persons"]] == ["Lina Kok"]


def test_prevention_activities_are_recorded_and_listed(twente, client_for, make_user):
    staff = signed_in(twente, make_user(twente, "medewerker"), client_for)
    activity = {
        "held_on": "2026-10-01",
        "kind": "voorlichting",
        "target_groups": ["meiden", "ouders"],
        "people_reached": 40,
        "organisation": "Het Stedelijk Lyceum",
    }
    assert post(staff, "/api/v1/preventie/", activity | {"target_groups": []}).status_code == 400
    made = post(staff, "/api/v1/preventie/", activity)
    assert made.status_code == 201, made.content
    listed = staff.get("/api/v1/preventie/", {"kind": "voorlichting"}).json()
    assert [row["id"] for row in listed["resultaten"]] == [made.json()["id"]]
    assert staff.get("/api/v1/preventie/", {"kind": "kleur"}).status_code == 400
    with tenant_context(twente):
        assert PreventionActivity.objects.get().people_reached == 40
