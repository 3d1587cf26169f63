"""The prevention register and the advice log: recording and changing through the
screens (policy, audit line with the changes), a wrong entry is a 400 that keeps what
was typed, an advice points to the case it became, and the lists' query counts stay
the same as they grow."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tenants.utils import tenant_context

from audit.models import AuditAction, AuditEntry
from statistiek.models import AdviceRequest, PreventionActivity
from statistiek.services import save_activity
from tests.factories import reported_case

ACTIVITY = {
    "held_on": "2026-03-12",
    "kind": "voorlichting",
    "target_groups": ["meiden", "scholen"],
    "municipality": "GM0153",
    "organisation": "Fictief Lyceum",
    "people_reached": "64",
    "evaluation": "Goede vragen.",
}


def test_a_medewerker_records_and_changes_an_activity_with_audit_lines(twente, logged_in):
    staff = logged_in(twente, "medewerker")
    assert staff.post(reverse("preventie:activity_new"), ACTIVITY).status_code == 302
    with tenant_context(twente):
        activity = PreventionActivity.objects.get()
        assert activity.target_groups == ["meiden", "scholen"]
    changed = ACTIVITY | {"people_reached": "70"}
    staff.post(reverse("preventie:activity_edit", args=[activity.pk]), changed)
    with tenant_context(twente):
        activity.refresh_from_db()
        assert activity.people_reached == 70
        lines = AuditEntry.objects.filter(object_type="statistiek.PreventionActivity")
        assert sorted(line.action for line in lines) == [AuditAction.CHANGE, AuditAction.CREATE]
        assert lines.get(action=AuditAction.CHANGE).changes == {"people_reached": ["64", "70"]}


def test_a_wrong_activity_is_a_400_that_keeps_what_was_typed(twente, logged_in):
    staff = logged_in(twente, "medewerker")
    response = staff.post(reverse("preventie:activity_new"), ACTIVITY | {"target_groups": []})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Kies minstens één doelgroep." in body and "Fictief Lyceum" in body


def test_an_advice_that_became_a_report_points_to_its_case(twente, logged_in):
    staff = logged_in(twente, "medewerker")
    with tenant_context(twente):
        casus = reported_case("Iemand")
    advice = {
        "given_on": "2026-03-13",
        "asker_kind": "onderwijs",
        "topic": "signalen",
        "advice": "Signalen besproken.",
        "minutes_spent": "30",
    }
    wrong = staff.post(reverse("preventie:advice_new"), advice | {"case_reference": "2020-99999"})
    assert wrong.status_code == 400
    assert "Er is geen casus met die code die u mag zien." in wrong.content.decode()
    staff.post(reverse("preventie:advice_new"), advice | {"case_reference": casus.reference})
    with tenant_context(twente):
        saved = AdviceRequest.objects.get()
        assert saved.casus_id == casus.pk and saved.became_report


def test_only_meldpunt_staff_keep_the_registers(twente, logged_in):
    for role, status in (("procesregisseur", 200), ("analist", 403), ("regiobeheerder", 403)):
        assert logged_in(twente, role).get(reverse("preventie:activities")).status_code == status


def test_the_activity_list_query_count_does_not_grow(twente, logged_in):
    staff = logged_in(twente, "medewerker")

    def add(number: int) -> None:
        with tenant_context(twente):
            for _ in range(number):
                save_activity(
                    actor=staff.user,
                    data={
                        "held_on": date(2026, 3, 1),
                        "kind": "training",
                        "target_groups": ["ouders"],
                        "people_reached": 20,
                        "partners": [],
                    },
                )

    add(1)
    staff.get(reverse("preventie:activities"))  # the first request caches the host and 2FA state
    with CaptureQueriesContext(connection) as few:
        staff.get(reverse("preventie:activities"))
    add(12)
    with CaptureQueriesContext(connection) as many:
        staff.get(reverse("preventie:activities"))
    assert len(many.captured_queries) == len(few.captured_queries)
