"""The registers a regiobeheerder keeps: partners with covenants and contacts, priorities,
lists, the risk instrument and the region's settings."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tenants.utils import tenant_context

from configuratie.models import CatalogueEntry, Partner, Priority, RegionSettings
from workflow import engine

PARTNER = {
    "name": "Kinderopvang De Vlinder",
    "kind": "jeugd",
    "covenant_status": "getekend",
    "covenant_signed_on": "2025-03-01",
    "covenant_ends_on": "",
    "participates_in": ["informatieronde"],
    "contacts-TOTAL_FORMS": "1",
    "contacts-INITIAL_FORMS": "0",
    "contacts-MIN_NUM_FORMS": "0",
    "contacts-MAX_NUM_FORMS": "1000",
    "contacts-0-name": "Fatima el Amrani",
    "contacts-0-function": "Aandachtsfunctionaris",
    "contacts-0-email": "f.elamrani@devlinder.example",
    "contacts-0-phone": "",
}


def test_a_partner_with_a_signed_covenant_and_a_contact(twente, logged_in):
    admin = logged_in(twente, "regiobeheerder")
    response = admin.post(reverse("beheer:register_new", args=["partners"]), PARTNER)
    assert response.status_code == 302
    with tenant_context(twente):
        partner = Partner.objects.get(name="Kinderopvang De Vlinder")
        assert partner.has_current_covenant()
        assert [contact.name for contact in partner.contacts.all()] == ["Fatima el Amrani"]
    listing = admin.get(reverse("beheer:register", args=["partners"])).content.decode()
    assert "getekend (geldig)" in listing


def test_a_signed_covenant_needs_its_date_and_input_is_kept(twente, logged_in):
    admin = logged_in(twente, "regiobeheerder")
    data = PARTNER | {"covenant_signed_on": "", "covenant_ends_on": "2020-01-01"}
    response = admin.post(reverse("beheer:register_new", args=["partners"]), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Vul in wanneer het convenant is getekend." in body
    assert 'value="Kinderopvang De Vlinder"' in body and 'value="Fatima el Amrani"' in body


def test_the_partner_list_query_count_does_not_grow(twente, logged_in):
    admin = logged_in(twente, "regiobeheerder")
    url = reverse("beheer:register", args=["partners"])
    admin.get(url)  # the first request caches the host's region
    with CaptureQueriesContext(connection) as few:
        admin.get(url)
    with tenant_context(twente):
        for number in range(5):
            Partner.objects.create(name=f"Extra partner {number}", kind="overig")
    with CaptureQueriesContext(connection) as many:
        admin.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_priority_in_use_cannot_be_deleted(twente, logged_in, make_user):
    admin = logged_in(twente, "regiobeheerder")
    staff = make_user(twente, "medewerker")
    with tenant_context(twente):
        acuut = Priority.objects.get(code="acuut")
        engine.open_case(actor=staff, priority=acuut)
    response = admin.post(
        reverse("beheer:register_edit", args=["prioriteiten", acuut.pk]),
        {"delete": "1"},
        follow=True,
    )
    assert "in gebruik in casussen" in response.content.decode()
    with tenant_context(twente):
        assert Priority.objects.filter(code="acuut").exists()


def test_a_new_list_entry_gets_a_code_of_its_own(twente, logged_in):
    admin = logged_in(twente, "regiobeheerder")
    for _ in range(2):
        admin.post(
            reverse("beheer:register_new", args=["afsluitredenen"]),
            {"name": "Verhuisd naar het buitenland", "position": "9", "is_active": "on"},
        )
    with tenant_context(twente):
        codes = set(
            CatalogueEntry.objects.filter(name="Verhuisd naar het buitenland").values_list(
                "code", flat=True
            )
        )
    assert codes == {"verhuisd-naar-het-buitenland", "verhuisd-naar-het-buitenland-2"}


SETTINGS_FORM = {
    "retention_months": "84",
    "benchmark_opt_in": "on",
    "screening_team_access": "alleen_agenda",
    "meeting_access_days_before": "5",
    "meeting_access_days_after": "10",
    "consent_alone_from_age": "18",
    "consent_together_from_age": "14",
    "quiet_case_days": "30",
}


def test_settings_are_saved(twente, logged_in):
    admin = logged_in(twente, "regiobeheerder")
    response = admin.post(reverse("beheer:settings"), SETTINGS_FORM)
    assert response.status_code == 302
    with tenant_context(twente):
        current = RegionSettings.current()
        saved = (
            current.retention_months,
            current.benchmark_opt_in,
            current.screening_team_access,
            current.meeting_access_days_before,
            current.meeting_access_days_after,
            current.consent_alone_from_age,
            current.consent_together_from_age,
            current.quiet_case_days,
        )
    assert saved == (84, True, "alleen_agenda", 5, 10, 18, 14, 30)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"consent_alone_from_age": "21"}, "consent_alone_from_age", "12 tot en met 18 jaar"),
        ({"consent_together_from_age": "17", "consent_alone_from_age": "16"},
         "consent_together_from_age", "niet hoger"),
        ({"quiet_case_days": "0"}, "quiet_case_days", "ten minste één dag"),
    ],
)  # fmt: skip
def test_settings_refuse_impossible_age_rules(twente, logged_in, changes, field, message):
    admin = logged_in(twente, "regiobeheerder")
    response = admin.post(reverse("beheer:settings"), {**SETTINGS_FORM, **changes})
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    with tenant_context(twente):
        assert RegionSettings.current().consent_alone_from_age == 16


def test_unknown_registers_and_other_roles_are_refused(twente, logged_in):
    admin = logged_in(twente, "regiobeheerder")
    assert admin.get("/beheer/bestaat-niet/").status_code == 404
    staff = logged_in(twente, "medewerker")
    assert staff.get(reverse("beheer:register", args=["partners"])).status_code == 403
    assert staff.get(reverse("beheer:index")).status_code == 403
