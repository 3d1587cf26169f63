"""The transfer screens answer in Dutch and never 500: the proposal form with the case's
counts, a refused proposal, the list (its query count does not grow), a proposal's page
with the decision, and the sender cannot decide on its own proposal."""

from django.urls import reverse
from django_tenants.utils import tenant_context

from national import transfers
from tests.frontend.cases.test_case_screens import report_in

LEGAL = {"basis": "wettelijke_taak", "basis_text": "Wettelijke taak.", "reason": "Verhuisd."}


def proposal_post(region, **fields) -> dict:
    return {"target": region.pk, "parts": ["betrokkenen", "meldingen"], **LEGAL, **fields}


def test_the_proposal_form_offers_other_regions_and_the_parts_with_their_counts(
    twente, limburg, logged_in
):
    sender = logged_in(twente, "procesregisseur")
    case = report_in(twente, name="Formulier")
    body = sender.get(reverse("cases:transfer_propose", args=[case.reference])).content.decode()
    assert "betrokkenen (1)" in body and "Limburg</option>" in body
    assert "Twente</option>" not in body
    refused = sender.post(
        reverse("cases:transfer_propose", args=[case.reference]),
        proposal_post(limburg, basis_text=""),
    )
    assert refused.status_code == 400
    assert "schrijf de reden" in refused.content.decode()


def test_a_medewerker_cannot_propose(twente, logged_in):
    staff = logged_in(twente, "medewerker")
    case = report_in(twente, name="Medewerker")
    assert staff.get(reverse("cases:transfer_propose", args=[case.reference])).status_code == 403


def test_the_receiver_lists_reads_and_accepts_a_proposal(
    twente, limburg, logged_in, django_assert_max_num_queries
):
    sender = logged_in(twente, "procesregisseur")
    receiver = logged_in(limburg, "procesregisseur")
    case = report_in(twente, name="Lijst Overdracht")
    proposed = sender.post(
        reverse("cases:transfer_propose", args=[case.reference]), proposal_post(limburg)
    )
    assert proposed.status_code == 302
    with tenant_context(twente):
        pk = transfers.transfers_here(sender.user)[0].pk
    assert "wacht op uw besluit" in receiver.get("/").content.decode()
    receiver.get(reverse("cases:transfers"))
    with django_assert_max_num_queries(12):
        listing = receiver.get(reverse("cases:transfers"))
    assert f'href="/overdrachten/{pk}/"' in listing.content.decode()
    page = receiver.get(reverse("cases:transfer", args=[pk])).content.decode()
    assert "Verhuisd." in page and "Lijst Overdracht" not in page
    empty = receiver.post(reverse("cases:transfer", args=[pk]), {"reason": ""})
    assert empty.status_code == 400
    accepted = receiver.post(reverse("cases:transfer_accept", args=[pk]))
    assert accepted.status_code == 302
    new_case = receiver.get(accepted["Location"]).content.decode()
    assert "overgedragen uit regio Twente" in new_case and "Lijst Overdracht" in new_case
    # The sending case names its closing reason in words, though no region configures it.
    closed = sender.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "overgedragen aan een ander meldpunt" in closed
    again = receiver.post(reverse("cases:transfer_accept", args=[pk]), follow=True)
    assert "Over dit voorstel is al besloten." in again.content.decode()


def test_the_sender_reads_its_proposal_but_cannot_accept_it(twente, limburg, logged_in):
    sender = logged_in(twente, "procesregisseur")
    case = report_in(twente, name="Eigen voorstel")
    sender.post(reverse("cases:transfer_propose", args=[case.reference]), proposal_post(limburg))
    with tenant_context(twente):
        pk = transfers.transfers_here(sender.user)[0].pk
    page = sender.get(reverse("cases:transfer", args=[pk])).content.decode()
    assert case.reference in page and "Overdracht aanvaarden" not in page
    assert sender.post(reverse("cases:transfer_accept", args=[pk])).status_code == 404
    assert sender.get(reverse("cases:transfer", args=[pk + 1000])).status_code == 404
