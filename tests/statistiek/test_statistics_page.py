"""Every figure on the statistics page and the map equals a count made independently, in
Python, from the seeded rows (decrypted where needed); the filters narrow the counts;
who may see the statistics."""

import itertools
import statistics
from collections import Counter, defaultdict
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import tenant_context

from configuratie.gemeenten import name_of
from configuratie.models import CatalogueEntry, CatalogueKind
from statistiek import monthly
from statistiek.figures import AGE_BANDS
from statistiek.tables import formatted
from tests.statistiek.conftest import page_tables
from workflow.models import (
    Casus,
    Evaluation,
    InformationRequest,
    InvolvedPerson,
    Report,
    RiskAssessment,
    ScreeningOutcome,
    StepTransition,
)

START = timezone.localdate() - timedelta(days=800)
END = timezone.localdate()
QUERY = {"van": START.isoformat(), "tot_en_met": END.isoformat(), "indeling": "jaar"}


def in_period(moment) -> bool:
    return moment is not None and START <= timezone.localtime(moment).date() <= END


def names(kind: str) -> dict[str, str]:
    return dict(CatalogueEntry.objects.filter(catalogue=kind).values_list("code", "name"))


def column(table: dict[str, list[str]], index: int) -> dict[str, str]:
    return {label: cells[index] for label, cells in table.items() if label != "Totaal"}


def as_cells(counter: Counter, labels: dict[str, str], empty: str = "") -> dict[str, str]:
    """Expected cells: every configured category (zero too), labelled as the page does."""
    expected = {labels[code]: str(counter.get(code, 0)) for code in labels}
    if empty and counter.get(""):
        expected[empty] = str(counter[""])
    return expected


def latest(model, field: str) -> dict[int, str]:
    found: dict[int, tuple] = {}
    for record in model.objects.all():
        key = (record.recorded_at, record.pk)
        if record.casus_id not in found or key > found[record.casus_id][0]:
            found[record.casus_id] = (key, getattr(record, field))
    return {casus: value for casus, (_key, value) in found.items()}


@pytest.mark.parametrize("counted_by_month", [False, True])
def test_every_figure_equals_an_independent_count(twente, history, logged_in, counted_by_month):
    """In the cases alone, and with the finished months read from the monthly figures."""
    assert history > 200
    if counted_by_month:
        with tenant_context(twente):
            assert monthly.refresh() > 20
    analist = logged_in(twente, "analist")
    html = analist.get(reverse("statistiek:index") + "?" + urlencode(QUERY)).content.decode()
    page = page_tables(html)
    map_page = page_tables(
        analist.get(reverse("statistiek:map") + "?" + urlencode(QUERY)).content.decode()
    )
    with tenant_context(twente):
        reports = [r for r in Report.objects.all() if in_period(r.submitted_at)]
        cases = [c for c in Casus.objects.all() if in_period(c.opened_at)]
        case_ids = {c.pk for c in cases}
        report_ids = {r.pk for r in reports}
        persons = [
            p for p in InvolvedPerson.objects.select_related("report") if p.report_id in report_ids
        ]

        years = Counter(timezone.localtime(r.submitted_at).year for r in reports)
        assert {int(k): int(v) for k, v in column(page["per_periode"], 0).items()} == dict(years)
        opened_years = Counter(timezone.localtime(c.opened_at).year for c in cases)
        assert {int(k): int(v) for k, v in column(page["per_periode"], 1).items()} == dict(
            opened_years
        )
        assert page["per_periode"]["Totaal"] == [str(len(reports)), str(len(cases))]

        channels = Counter(r.channel for r in reports)
        assert column(page["kanaal"], 0) == as_cells(channels, names(CatalogueKind.CHANNEL))
        reporter_types = Counter(r.reporter_type for r in reports)
        assert column(page["melder"], 0) == as_cells(
            reporter_types,
            {code: str(label) for code, label in Report._meta.get_field("reporter_type").choices},
        )
        case_types = Counter(c.case_type for c in cases)
        assert column(page["casustype"], 0) == as_cells(
            case_types, names(CatalogueKind.CASE_TYPE), "nog niet vastgelegd"
        )
        signals = Counter(code for r in reports for code in r.signals)
        assert column(page["signalen"], 0) == as_cells(signals, names(CatalogueKind.SIGNAL))

        outcomes = latest(ScreeningOutcome, "outcome")
        screening = Counter(outcomes.get(c.pk, "") for c in cases)
        assert column(page["screening"], 0) == as_cells(
            screening,
            {code: str(label) for code, label in ScreeningOutcome.Outcome.choices},
            "nog geen uitkomst",
        )
        levels = latest(RiskAssessment, "level")
        risk = Counter(levels.get(c.pk, "") for c in cases)
        assert column(page["risiconiveau"], 0) == as_cells(
            risk, {level: level for level in ("laag", "verhoogd", "hoog")}, "geen risicotaxatie"
        )
        closed = Counter(c.closing_reason for c in Casus.objects.all() if in_period(c.closed_at))
        assert column(page["afsluitreden"], 0) == as_cells(
            closed, names(CatalogueKind.CLOSING_REASON), "geen reden vastgelegd"
        )

        def band(person) -> str:
            age = person.age
            if age is None and person.birth_year:
                age = timezone.localtime(person.report.submitted_at).year - person.birth_year
            if age is None:
                return ""
            return next(
                code
                for code, upper in (
                    ("0-11", 12),
                    ("12-15", 16),
                    ("16-17", 18),
                    ("18-22", 23),
                    ("23+", 999),
                )
                if age < upper
            )

        bands = Counter(band(p) for p in persons)
        assert column(page["leeftijd"], 3) == as_cells(
            bands, {code: str(label) for code, label in AGE_BANDS}, "onbekend"
        )
        victims_by_gender = Counter(p.gender for p in persons if p.role == "slachtoffer")
        assert column(page["gender"], 0) == as_cells(
            victims_by_gender,
            {"v": "vrouw of meisje", "m": "man of jongen", "x": "anders"},
            "onbekend",
        )
        by_municipality = Counter(p.municipality for p in persons)
        shown = column(page["gemeente"], 3)
        for code, count in by_municipality.items():
            if code:
                assert shown[name_of(code)] == str(count)
        assert page["gemeente"]["Totaal"][3] == str(len(persons))

        cases_per_municipality = defaultdict(set)
        for p in InvolvedPerson.objects.filter(casus_id__in=case_ids):
            cases_per_municipality[p.municipality].add(p.casus_id)
        for label, cells in map_page["kaart"].items():
            code = (
                next(c for c in cases_per_municipality if c and name_of(c) == label)
                if any(c and name_of(c) == label for c in cases_per_municipality)
                else None
            )
            assert cells[0] == str(len(cases_per_municipality[code]) if code else 0)

        stays = defaultdict(list)
        transitions = list(
            StepTransition.objects.select_related("to_step").order_by("casus_id", "at", "id")
        )
        for current, following in itertools.pairwise(transitions):
            if current.casus_id == following.casus_id and in_period(following.at):
                stays[current.to_step.name].append(
                    (following.at - current.at).total_seconds() / 86400
                )
        for name, durations in stays.items():
            assert page["stappen"][name][0] == str(len(durations))
            assert page["stappen"][name][1] == formatted(round(statistics.median(durations), 1))

        requests = [
            r
            for r in InformationRequest.objects.select_related("partner")
            if in_period(r.recorded_at)
        ]
        per_partner = defaultdict(list)
        for request in requests:
            per_partner[request.partner.name].append(request)
        for partner, sent in per_partner.items():
            answered = [
                (r.closed_at - r.recorded_at).total_seconds() / 86400 for r in sent if r.closed_at
            ]
            cells = page["informatieverzoeken"][partner]
            assert cells[:3] == [str(len(sent)), str(len(answered)), str(len(sent) - len(answered))]
            assert cells[3] == formatted(round(statistics.median(answered), 1))

        ratings = defaultdict(Counter)
        for evaluation in Evaluation.objects.all():
            if in_period(evaluation.recorded_at):
                for question, rating in evaluation.ratings.items():
                    ratings[question][rating] += 1
        questions = names(CatalogueKind.EVALUATION_QUESTION)
        for code, counter in ratings.items():
            cells = page["evaluatie"][questions[code]]
            expected = [str(counter[r]) for r in ("ja", "deels", "nee", "onbekend")]
            assert cells == [*expected, str(sum(counter.values()))]


def test_a_municipality_filter_counts_only_reports_about_people_living_there(
    twente, history, logged_in
):
    analist = logged_in(twente, "analist")
    query = QUERY | {"gemeente": "GM0153"}
    page = page_tables(
        analist.get(reverse("statistiek:index") + "?" + urlencode(query)).content.decode()
    )
    with tenant_context(twente):
        reports = {
            p.report_id
            for p in InvolvedPerson.objects.filter(municipality="GM0153").select_related("report")
            if in_period(p.report.submitted_at)
        }
    assert page["kanaal"]["Totaal"] == [str(len(reports))]


def test_a_wrong_period_is_a_clear_400_that_keeps_what_was_typed(twente, logged_in):
    analist = logged_in(twente, "analist")
    response = analist.get(
        reverse("statistiek:index"),
        {"van": "2025-05-01", "tot_en_met": "2025-01-01", "indeling": "maand"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Kies een einddatum op of na de begindatum." in body
    assert 'value="2025-05-01"' in body


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("analist", True),
        ("regiobeheerder", True),
        ("procesregisseur", True),
        ("medewerker", False),
        ("casuscoordinator", False),
        ("partnercontact", False),
    ],
)
def test_statistics_are_for_the_analist_regiobeheerder_and_procesregisseur(
    twente, logged_in, role, allowed
):
    client = logged_in(twente, role)
    assert client.get(reverse("statistiek:index")).status_code == (200 if allowed else 403)
    assert client.get(reverse("statistiek:map")).status_code == (200 if allowed else 403)


def test_the_statistics_page_query_count_does_not_grow_with_the_data(twente, logged_in, make_user):
    analist = logged_in(twente, "analist")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    analist.get(reverse("statistiek:index"))  # the first request caches the host and 2FA state
    with CaptureQueriesContext(connection) as empty:
        analist.get(reverse("statistiek:index"))
    make_user(twente, "procesregisseur", email="procesregisseur@twente.demo")
    make_user(twente, "casuscoordinator", email="casuscoordinator@twente.demo")
    with tenant_context(twente):
        from statistiek.demo import seed_history

        seed_history("twente")
    with CaptureQueriesContext(connection) as full:
        analist.get(reverse("statistiek:index"))
    assert len(full.captured_queries) == len(empty.captured_queries)
