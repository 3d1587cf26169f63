"""'Melding opnemen' asks what the region's public form asks (its warning signs and risk
questions, by the rules of workflow.intake), so that a report taken by phone counts in
the statistics like one through the form."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_tenants.utils import tenant_context

from configuratie.models import CatalogueEntry, CatalogueKind, RiskQuestion
from tests.factories import public_report
from tests.statistiek.conftest import page_tables
from workflow.models import Report

PHONE_REPORT = {
    "channel": "telefoon",
    "reporter_type": "ouder",
    "concern": "Mijn dochter is vaak weg en heeft dure spullen.",
    "persoon-TOTAL_FORMS": "1",
    "persoon-INITIAL_FORMS": "0",
    "persoon-MIN_NUM_FORMS": "0",
    "persoon-MAX_NUM_FORMS": "5",
    "persoon-0-role": "slachtoffer",
}
TODAY = timezone.localdate().isoformat()
PERIOD = urlencode({"van": TODAY, "tot_en_met": TODAY, "indeling": "jaar"})


def signals_of(region) -> dict[str, str]:
    with tenant_context(region):
        entries = CatalogueEntry.objects.filter(catalogue=CatalogueKind.SIGNAL, is_active=True)
        return dict(entries.values_list("code", "name")[:2])


def signal_counts(analist, names: dict[str, str]) -> dict[str, str]:
    html = analist.get(reverse("statistiek:index") + "?" + PERIOD).content.decode()
    table = page_tables(html)["signalen"]
    return {name: table[name][0] for name in names.values()}


def test_a_phone_report_with_two_signals_counts_like_a_public_one(twente, logged_in):
    staff, analist = logged_in(twente, "medewerker"), logged_in(twente, "analist")
    signals = signals_of(twente)
    before = signal_counts(analist, signals)

    form = staff.get(reverse("cases:intake")).content.decode()
    assert all(escape(name) in form for name in signals.values()), signals
    response = staff.post(reverse("cases:intake"), PHONE_REPORT | {"signals": list(signals)})
    assert response.status_code == 302, response.content.decode()[:2000]
    after_phone = signal_counts(analist, signals)

    with tenant_context(twente):
        public_report(signals=list(signals))
    after_public = signal_counts(analist, signals)

    for name in signals.values():
        assert int(after_phone[name]) == int(before[name]) + 1
        assert int(after_public[name]) == int(after_phone[name]) + 1
    with tenant_context(twente):
        taken = Report.objects.filter(channel="telefoon").latest("submitted_at")
        assert (taken.form_code, sorted(taken.signals)) == ("meldformulier", sorted(signals))


def test_limburg_first_asks_which_form_and_then_its_risk_questions(limburg, logged_in):
    staff = logged_in(limburg, "medewerker")
    choice = staff.get(reverse("cases:intake")).content.decode()
    assert "?formulier=risicotaxatieformulier" in choice and "?formulier=contactformulier" in choice
    contact = staff.get(reverse("cases:intake") + "?formulier=contactformulier").content.decode()
    assert 'name="signals"' not in contact and 'name="risk_' not in contact

    url = reverse("cases:intake") + "?formulier=risicotaxatieformulier"
    with tenant_context(limburg):
        questions = list(RiskQuestion.objects.values_list("code", "text"))
    page = staff.get(url).content.decode()
    assert all(escape(text) in page for _code, text in questions)
    answers = {f"risk_{code}": "ja" for code, _text in questions[:2]}
    assert staff.post(url, PHONE_REPORT | answers).status_code == 302
    with tenant_context(limburg):
        taken = Report.objects.filter(channel="telefoon").latest("submitted_at")
        assert taken.form_code == "risicotaxatieformulier"
        assert taken.risk_answers == {code: "ja" for code, _text in questions[:2]}


def test_a_signal_not_on_the_regions_list_is_refused_and_what_was_typed_stays(twente, logged_in):
    staff = logged_in(twente, "medewerker")
    response = staff.post(reverse("cases:intake"), PHONE_REPORT | {"signals": ["verzonnen"]})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Kies signalen uit de lijst van de regio." in body
    assert PHONE_REPORT["concern"] in body
