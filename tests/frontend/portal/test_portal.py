"""The partner portal: a contact person sees only what is addressed to their own
organisation and of it only the shared details; their answer and decision count on
the case exactly as staff's would; they file and follow reports."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tenants.utils import tenant_context

from audit.models import AuditAction, AuditEntry
from tests.frontend.portal.world import SHARED_SCHOOL, partner_world
from workflow.guards import GUARDS
from workflow.models import InformationRequest, Referral, Report
from workflow.services import reporters


@pytest.fixture
def world(twente, make_user):
    return partner_world(twente, make_user)


@pytest.fixture
def contact(twente, client_for, world):
    client = client_for(twente)
    with tenant_context(twente):
        client.force_login(world.contact)
    return client


def test_the_inbox_holds_the_organisations_items_only(contact, world):
    page = contact.get(reverse("portal:inbox")).content.decode()
    assert reverse("portal:request", args=[world.request.pk]) in page
    assert reverse("portal:referral", args=[world.referral.pk]) in page
    assert reverse("portal:request", args=[world.other_request.pk]) not in page
    assert reverse("portal:referral", args=[world.other_referral.pk]) not in page
    assert "Noor Bakker" not in page  # no person's details in the list
    assert world.casus.reference not in page  # nor a way to the case


def test_staff_and_the_partner_know_a_request_by_the_same_number_and_subject(
    twente, contact, world, logged_in
):
    known_as = f"Informatieverzoek {world.request.pk}: Bekendheid bij {world.partner.name}"
    assert known_as in contact.get(reverse("portal:inbox")).content.decode()
    page = contact.get(reverse("portal:request", args=[world.request.pk])).content.decode()
    assert f'<h1 class="utrecht-heading-1">{known_as}</h1>' in page
    staff = logged_in(twente, "medewerker")
    case_page = staff.get(reverse("cases:detail", args=[world.casus.reference])).content.decode()
    assert known_as in case_page
    assert f"Doorverwijzing {world.referral.pk} · {world.referral.partner.name}" in case_page


def test_an_answer_in_the_portal_shows_only_what_was_shared_and_makes_the_round_hold(
    twente, contact, world
):
    url = reverse("portal:request", args=[world.request.pk])
    page = contact.get(url).content.decode()
    assert "Noor Bakker" in page and "2010" in page  # shared: name and birth year
    assert SHARED_SCHOOL not in page  # not shared
    assert "Nodig om de veiligheid in te schatten." in page  # the basis and its reason
    refused = contact.post(url, {"answer": ""})
    assert refused.status_code == 400 and "Schrijf uw antwoord." in refused.content.decode()
    assert contact.post(url, {"answer": "Bij ons in zorg sinds 2025."}).status_code == 302
    with tenant_context(twente):
        answered = InformationRequest.objects.get(pk=world.request.pk)
        assert answered.answered_via == "portaal" and answered.answered_by == world.contact
        assert not GUARDS["informatieronde_afgerond"].holds(world.casus, None)  # one still open
        InformationRequest.objects.filter(pk=world.other_request.pk).update(
            closed_at=answered.closed_at
        )
        assert GUARDS["informatieronde_afgerond"].holds(world.casus, None)
        seen = AuditEntry.objects.filter(
            action=AuditAction.VIEW, user_id=str(world.contact.pk), grounds="partnerportaal"
        ).exclude(person_id="")
        assert {line.person_id for line in seen} == {str(world.casus.persons.get().pk)}
    assert contact.post(url, {"answer": "Nog een keer."}).status_code == 400  # answered once


def test_a_referral_is_accepted_or_declined_with_a_reason(twente, contact, world):
    url = reverse("portal:referral", args=[world.referral.pk])
    declined = contact.post(url, {"accepted": "nee", "reason": ""})
    assert declined.status_code == 400
    assert "Geef de reden" in declined.content.decode()
    assert contact.post(url, {"accepted": "ja"}).status_code == 302
    with tenant_context(twente):
        referral = Referral.objects.get(pk=world.referral.pk)
        assert referral.status == "geaccepteerd" and referral.decided_via == "portaal"
        assert GUARDS["doorverwijzing_geaccepteerd"].holds(world.casus, None)


def test_another_organisations_item_is_a_404_and_an_audit_line(twente, contact, world):
    for url in (
        reverse("portal:request", args=[world.other_request.pk]),
        reverse("portal:referral", args=[world.other_referral.pk]),
        reverse("portal:request", args=[world.other_request.pk + 1000]),
    ):
        assert contact.get(url).status_code == 404
        assert contact.post(url, {"answer": "x", "accepted": "ja"}).status_code == 404
    with tenant_context(twente):
        refusals = AuditEntry.objects.filter(
            action=AuditAction.REFUSED, user_id=str(world.contact.pk), grounds="partnerportaal"
        )
        assert refusals.count() == 6
        assert InformationRequest.objects.get(pk=world.other_request.pk).is_open


def test_a_contact_without_a_partner_is_told_to_ask_for_a_link(twente, logged_in):
    unlinked = logged_in(twente, "partnercontact")
    response = unlinked.get(reverse("portal:inbox"))
    assert response.status_code == 403
    assert "nog niet gekoppeld" in response.content.decode()


def test_a_partner_files_a_report_and_reads_the_feedback(twente, contact, world, logged_in):
    form = contact.get(reverse("portal:report_form", args=["meldformulier"]))
    token = form.context["form"]["token"].value()
    time.sleep(3.1)  # the form wants a person's pace
    response = contact.post(
        reverse("portal:report_form", args=["meldformulier"]),
        {
            "token": token,
            "concern": "Een leerling wordt na school opgehaald door een oudere man.",
            "persoon-TOTAL_FORMS": "2",
            "persoon-INITIAL_FORMS": "0",
            "persoon-0-role": "slachtoffer",
            "persoon-0-name": "Iris Jansen",
            "persoon-0-age": "14",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    with tenant_context(twente):
        report = Report.objects.get(recorded_by=world.contact)
        assert report.channel == "via-een-partner"
        assert report.reporter_organisation == world.partner.name
        reporters.record_feedback(
            report.casus,
            actor=world.staff,
            text="Dank u; wij nemen contact op met de school.",
            reports=[report],
        )
    own = contact.get(response["Location"]).content.decode()
    assert "Dank u; wij nemen contact op met de school." in own
    other_contact = logged_in(twente, "partnercontact")
    assert other_contact.get(response["Location"]).status_code in (403, 404)


def test_the_inbox_query_count_does_not_grow_with_its_items(twente, contact, world, make_user):
    contact.get(reverse("portal:inbox"))  # the first request caches the host and 2FA state
    with CaptureQueriesContext(connection) as few:
        assert contact.get(reverse("portal:inbox")).status_code == 200
    with tenant_context(twente):
        for _ in range(3):
            more = partner_world(twente, make_user)
            InformationRequest.objects.filter(pk=more.request.pk).update(partner=world.partner)
            Referral.objects.filter(pk=more.referral.pk).update(partner=world.partner)
    with CaptureQueriesContext(connection) as many:
        page = contact.get(reverse("portal:inbox")).content.decode()
    assert page.count(reverse("portal:request", args=[0]).rstrip("0/")) >= 4
    assert len(many.captured_queries) == len(few.captured_queries)
