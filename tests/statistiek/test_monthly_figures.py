"""The statistics' monthly figures (statistiek/monthly.py) equal a fresh count in the
cases: once counted, after changes to cases of earlier months and of today, and when a
change lands while a month is being counted."""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from statistiek import monthly
from statistiek.figures import CHANGED, COUNTED, Counts, Selection, counted_in_cases
from statistiek.models import MonthlyFigure
from workflow import engine
from workflow.models import Casus, InvolvedPerson
from workflow.services.records import record_screening_outcome

TODAY = timezone.localdate()
START = TODAY - timedelta(days=800)


def selections() -> list[Selection]:
    """Whole months by month, a period begun mid-month by quarter, one municipality."""
    first = (TODAY - timedelta(days=400)).replace(day=1)
    return [
        Selection(first, TODAY, "maand", ""),
        Selection(START, TODAY, "kwartaal", ""),
        Selection(START, TODAY - timedelta(days=40), "jaar", "GM0153"),
    ]


def totals(tallies) -> Counter:
    found: Counter = Counter()
    for figure, period, code, part, n in tallies:
        found[figure, period, code or "", part or ""] += n
    return +found


def assert_equal_to_a_fresh_count() -> None:
    for selection in selections():
        fresh = counted_in_cases(selection, [(selection.since, selection.until)])
        assert totals(Counts(selection).tallies) == totals(fresh), selection


def months_ago(n: int):
    return timezone.now() - timedelta(days=31 * n)


def test_the_monthly_figures_equal_a_fresh_count(twente, history):
    with tenant_context(twente):
        assert monthly.refresh() >= 24
        assert monthly.months_to_count() == []
        counts = Counts(selections()[0])
        assert counts.tallies
        assert counts.counted_at is not None  # read from the monthly figures
        assert_equal_to_a_fresh_count()
        # Counts only: a month, a municipality, a category and a number.
        assert not MonthlyFigure.objects.filter(month__gte=TODAY.replace(day=1)).exists()


def test_the_monthly_figures_equal_a_fresh_count_after_case_changes(
    twente, history, make_user, django_capture_on_commit_callbacks
):
    staff = make_user(twente, "medewerker")
    with tenant_context(twente):
        monthly.refresh()
        old_open = Casus.objects.filter(
            opened_at__lt=months_ago(3), completed_at__isnull=True, closed_at__isnull=True
        ).first()
        old_closed = Casus.objects.filter(closed_at__lt=months_ago(4)).first()
        person = InvolvedPerson.objects.filter(report__submitted_at__lt=months_ago(5)).first()
        removed = Casus.objects.filter(opened_at__lt=months_ago(6)).last()
        with django_capture_on_commit_callbacks(execute=True):
            record_screening_outcome(old_open, actor=staff, outcome="nee")
            engine.set_case_details(
                old_open, actor=staff, case_type="dader", priority=old_open.priority
            )
            engine.reopen(old_closed, actor=staff, reason="Een nieuwe melding.")
            person.municipality = "GM0164" if person.municipality != "GM0164" else "GM0153"
            person.save()
            removed.delete()
            engine.open_case(actor=staff, case_type="slachtoffer")  # today
        changed = set(MonthlyFigure.objects.filter(figure=CHANGED).values_list("month", flat=True))
        assert monthly.month_of(old_closed.closed_at) in changed
        assert monthly.month_of(person.report.submitted_at) in changed
        assert monthly.month_of(removed.opened_at) in changed
        assert not MonthlyFigure.objects.filter(figure=COUNTED, month__in=changed).exists()
        assert_equal_to_a_fresh_count()  # the changed months counted in the cases
        assert monthly.refresh() == len(changed)
        assert_equal_to_a_fresh_count()  # and from their new monthly figures


def test_a_month_whose_case_changed_while_it_was_counted_is_not_stored(
    twente, history, monkeypatch
):
    with tenant_context(twente):
        month = (TODAY.replace(day=1) - timedelta(days=1)).replace(day=1)
        counting = monthly.counted_in_cases

        def changed_meanwhile(selection, ranges):
            monthly.forget({month}, set())  # a change committed during the count
            return counting(selection, ranges)

        monkeypatch.setattr(monthly, "counted_in_cases", changed_meanwhile)
        assert monthly.count_month(month) is False
        monkeypatch.setattr(monthly, "counted_in_cases", counting)
        assert month in monthly.months_to_count()
        assert monthly.count_month(month) is True


@pytest.mark.parametrize("counted_by_month", [False, True])
def test_the_page_says_since_when_its_earlier_months_were_counted(
    twente, history, logged_in, counted_by_month
):
    analist = logged_in(twente, "analist")
    if counted_by_month:
        with tenant_context(twente):
            monthly.refresh()
    html = analist.get("/statistiek/").content.decode()
    assert ("data-counted-at" in html) is counted_by_month


def test_reopening_a_case_forgets_the_month_it_was_closed_in(
    twente, history, make_user, django_capture_on_commit_callbacks
):
    """The month a case was closed in is known only before the change: the engine sends
    it (workflow.engine.case_written), as no case read remembers it any more."""
    staff = make_user(twente, "medewerker")
    with tenant_context(twente):
        casus = Casus.objects.filter(opened_at__lt=months_ago(8)).first()
        closed_at = months_ago(4)
        Casus.objects.filter(pk=casus.pk).update(closed_at=closed_at, completed_at=None)
        casus.reports.update(submitted_at=casus.opened_at)
        month = monthly.month_of(closed_at)
        assert month not in {monthly.month_of(casus.opened_at)}
        monthly.refresh()
        with django_capture_on_commit_callbacks(execute=True):
            engine.reopen(Casus.objects.get(pk=casus.pk), actor=staff, reason="Nieuwe melding.")
        assert MonthlyFigure.objects.filter(figure=CHANGED, month=month).exists()
        assert_equal_to_a_fresh_count()
