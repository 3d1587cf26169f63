"""The case list with plain filters is read in one statement compiled once (its rows,
their report counts and the paginator's count), and shows what the ordinary path shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tenants.utils import tenant_context

from accounts.models import User
from tests.factories import reported_case
from workflow import selectors
from workflow.selectors import NeighbourhoodPaginator, list_cases

PLAIN_LISTS = [
    {},
    {"pagina": "2"},
    {"order": "-casus"},
    {"status": "alle", "order": "in_stap", "pagina": "3"},
    {"status": "afgerond"},
    {"pagina": "9"},  # past the last page: the paginator's last page
    {"pagina": "0"},
    {"pagina": "100000000000000000000000000"},  # past bigint: the last page too
]


def shown(listing) -> tuple:
    page = listing.page
    return (
        page.number,
        page.paginator.count,
        page.paginator.exact,
        [
            (
                casus.reference,
                casus.is_overdue,
                str(casus.coordinator),
                casus.current_step.code,
                listing.report_counts.get(casus.pk, 0),
            )
            for casus in page.object_list
        ],
    )


@pytest.mark.parametrize("params", PLAIN_LISTS)
def test_a_plain_list_shows_what_the_ordinary_path_shows(twente, make_user, monkeypatch, params):
    monkeypatch.setattr(NeighbourhoodPaginator, "COUNT_AT_LEAST", 3)
    monkeypatch.setattr(NeighbourhoodPaginator, "PAGES_AHEAD", 0)
    monkeypatch.setattr(selectors, "CASE_PAGE_SIZE", 2)
    staff = make_user(twente, "medewerker")
    with tenant_context(twente):
        for number in range(7):
            reported_case(f"Kind {number}")
        plain = shown(list_cases(User.objects.get(pk=staff.pk), params, params.get("pagina", 1)))
        monkeypatch.setattr(selectors, "plain_choice", lambda *_args: None)
        ordinary = shown(list_cases(User.objects.get(pk=staff.pk), params, params.get("pagina", 1)))
    assert plain == ordinary


def test_the_default_list_reads_its_cases_in_one_statement(twente, logged_in):
    staff = logged_in(twente, "medewerker")
    with tenant_context(twente):
        reported_case("Eerste")
    staff.get(reverse("cases:list"))  # the first request caches the host's region
    with CaptureQueriesContext(connection) as read:
        assert staff.get(reverse("cases:list")).status_code == 200
    on_cases = [query for query in read.captured_queries if '"workflow_casus"' in query["sql"]]
    assert len(on_cases) == 1  # the rows, their report counts and how many match


def test_a_page_number_past_postgresqls_bigint_shows_the_last_page(twente, logged_in):
    staff = logged_in(twente, "medewerker")
    with tenant_context(twente):
        reported_case("Eerste")
    for search in ("", "&q=Eerste", "&status=alle"):
        answer = staff.get(f"{reverse('cases:list')}?pagina=100000000000000000000000000{search}")
        assert answer.status_code == 200


def test_a_row_makes_the_instance_from_db_makes(twente):
    """instance_maker's instance has the values where Model.__init__ would put them, and leaves the rest deferred;
    with an init receiver it takes from_db's way, whatever the order of the names."""
    from django.db.models.signals import post_init

    from workflow.models import Casus
    from workflow.selectors import instance_maker

    with tenant_context(twente):
        casus = reported_case("Rij")
        names = ("reference", "id", "case_type")
        values = (casus.reference, casus.pk, casus.case_type)
        fast = instance_maker(Casus, names)(values)
        seen = []
        uid = "test-from-row"
        post_init.connect(
            lambda instance, **_: seen.append(instance), sender=Casus, weak=False, dispatch_uid=uid
        )
        try:
            slow = instance_maker(Casus, names)(values)
        finally:
            post_init.disconnect(sender=Casus, dispatch_uid=uid)
    assert seen == [slow]
    for made in (fast, slow):
        assert (made.pk, made.reference, made.case_type) == (
            casus.pk,
            casus.reference,
            casus.case_type,
        )
        assert "opened_at" in made.get_deferred_fields()
        assert not made._state.adding
