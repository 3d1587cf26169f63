"""The statistics' monthly figures (statistiek/monthly.py) equal a fresh count in the
cases: once counted, after changes to cases of earlier months and of today, and when a
change lands while a month is being counted."""

from collections import Counter
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from statistiek import monthly
from statistiek.figures import (
    CHANGED,
    COUNTED,
    STAY,
    Counts,
    Selection,
    counted_in_cases,
    day_start,
    information_requests,
    stays_in_cases,
    step_durations,
)
from statistiek.models import MonthlyFigure
from workflow import engine
from workflow.models import Casus, InvolvedPerson, Report, StepTransition
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
    """Every tally and the time per step table (the stays' counts, medians, within and
    over the deadline) as counted in the cases themselves."""
    for selection in selections():
        fresh = counted_in_cases(selection, [(selection.since, selection.until)])
        counts = Counts(selection)
        # The page counts the stays of the months it does not keep with the kept ones.
        assert totals(t for t in counts.tallies if t[0] != STAY) == totals(
            t for t in fresh if t[0] != STAY
        ), selection
        uncounted = Counts(selection)
        uncounted.tallies = [t for t in fresh if t[0] != STAY]  # as if no month were kept
        uncounted.ranges = [(selection.since, selection.until)]
        kept = step_durations(counts).rows
        assert kept, selection
        assert kept == step_durations(uncounted).rows, selection
        assert {row.key: row.values["n"] for row in kept} == {
            code: n for code, n in stay_counts(fresh).items()
        }, selection
        requests = information_requests(counts).rows
        assert requests, selection
        assert requests == information_requests(uncounted).rows, selection
        assert {row.label: row.values for row in requests} == requests_counted_apart(selection)


def requests_counted_apart(selection) -> dict:
    """The information requests per partner, counted in the requests with the ORM."""
    from django.db.models import Count, Exists, OuterRef, Q

    from meldpunt.aggregates import Median
    from statistiek.figures import days_between
    from workflow.models import InformationRequest

    requests = InformationRequest.objects.filter(
        recorded_at__gte=selection.since, recorded_at__lt=selection.until
    )
    if selection.municipality:
        requests = requests.filter(
            Exists(
                InvolvedPerson.objects.filter(
                    casus=OuterRef("casus"), municipality=selection.municipality
                )
            )
        )
    answered = Q(closed_at__isnull=False)
    return {
        row["partner__name"]: {
            "n": row["n"],
            "beantwoord": row["beantwoord"],
            "open": row["n"] - row["beantwoord"],
            "mediaan": round(row["mediaan"], 1) if row["mediaan"] is not None else None,
        }
        for row in requests.values("partner__name").annotate(
            n=Count("pk"),
            beantwoord=Count("pk", filter=answered),
            mediaan=Median(days_between("recorded_at", "closed_at"), filter=answered),
        )
    }


def stay_counts(tallies) -> dict:
    from configuratie.models import WorkflowStep

    codes = dict(WorkflowStep.objects.values_list("pk", "code"))
    found: Counter = Counter()
    for figure, _period, step, _priority, n in tallies:
        if figure == STAY:
            found[codes[int(step)]] += n
    return dict(found)


def changed_months() -> set:
    """The finished months whose figures a change removed (counted in the cases)."""
    return {
        month
        for month in MonthlyFigure.objects.filter(figure=CHANGED).values_list("month", flat=True)
        if not MonthlyFigure.objects.filter(figure=COUNTED, month=month).exists()
    }


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
        counting = monthly.counted_with_stays

        def changed_meanwhile(selection, ranges):
            monthly.forget({month}, set())  # a change committed during the count
            return counting(selection, ranges)

        monkeypatch.setattr(monthly, "counted_with_stays", changed_meanwhile)
        assert monthly.count_month(month) is False
        monkeypatch.setattr(monthly, "counted_with_stays", counting)
        assert month in monthly.months_to_count()
        assert monthly.count_month(month) is True


def test_a_month_is_counted_once_the_writes_begun_in_it_have_committed(twente, history):
    """A write that began before midnight judged its month current (never stored) and
    forgot nothing: a count of that month is not begun until such writes are done."""
    with tenant_context(twente):
        midnight = timezone.make_aware(datetime.combine(TODAY.replace(day=1), time.min))
        ended = (midnight.date() - timedelta(days=1)).replace(day=1)
        assert ended not in monthly.months_to_count(midnight + timedelta(minutes=5))
        assert ended in monthly.months_to_count(midnight + monthly.SETTLE)


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


def stays_of(month):
    """The transitions left in a finished month, oldest first."""
    since = timezone.make_aware(timezone.datetime.combine(month, timezone.datetime.min.time()))
    return StepTransition.objects.filter(
        left_at__gte=since, left_at__lt=since + timedelta(days=28)
    ).order_by("left_at", "id")


def test_a_stay_counts_in_the_month_the_case_left_the_step(
    twente, history, django_capture_on_commit_callbacks
):
    """A stay begun a month or more before it ended counts in the month it ended, with
    its whole length; moving its beginning back (a bulk write) forgets that month."""
    with tenant_context(twente):
        month = (TODAY.replace(day=1) - timedelta(days=70)).replace(day=1)
        stay = stays_of(month).first()
        earlier = monthly.month_of(stay.at - timedelta(days=45))
        with django_capture_on_commit_callbacks(execute=True):
            StepTransition.objects.filter(pk=stay.pk).update(at=stay.at - timedelta(days=45))
        monthly.refresh()
        assert changed_months() == set()
        kept = MonthlyFigure.objects.get(
            month=month,
            municipality="",
            figure=STAY,
            code=str(stay.to_step_id),
            part=str(Casus.objects.get(pk=stay.casus_id).priority_id or 0),
        )
        length = (stay.left_at - stay.at).total_seconds() + 45 * 86400
        assert length in kept.seconds and kept.seconds == sorted(kept.seconds)
        last = (month + timedelta(days=32)).replace(day=1)
        [(_, _, _, fresh)] = [
            found
            for found in stays_in_cases(
                Selection(month, last - timedelta(days=1)),
                [(day_start(month), day_start(last))],
            )
            if found[1:3] == (int(kept.code), int(kept.part))
        ]
        assert kept.seconds == fresh
        assert earlier < month
        assert_equal_to_a_fresh_count()
        with django_capture_on_commit_callbacks(execute=True):
            StepTransition.objects.filter(pk=stay.pk).update(at=stay.at - timedelta(days=60))
        assert month in changed_months()
        assert_equal_to_a_fresh_count()


def test_a_transition_changed_after_its_month_was_counted_forgets_the_months(
    twente, history, make_user, django_capture_on_commit_callbacks
):
    """A stay whose end moves (a save), a stay ended again in bulk, and a case whose
    priority (the deadline of its stays) changes: each month the stays counted in, before
    and after, is counted again."""
    staff = make_user(twente, "medewerker")
    with tenant_context(twente):
        monthly.refresh()
        march = (TODAY.replace(day=1) - timedelta(days=100)).replace(day=1)
        may = (TODAY.replace(day=1) - timedelta(days=40)).replace(day=1)
        moved = stays_of(march).first()
        with django_capture_on_commit_callbacks(execute=True):
            moved.left_at = moved.left_at + (may - march)
            moved.save()
        assert {march, may} <= changed_months()
        assert_equal_to_a_fresh_count()
        monthly.refresh()
        assert changed_months() == set()

        bulk = stays_of(march).last()
        with django_capture_on_commit_callbacks(execute=True):
            StepTransition.objects.filter(pk=bulk.pk).update(left_at=bulk.left_at + (may - march))
        assert {march, may} <= changed_months()
        assert_equal_to_a_fresh_count()
        monthly.refresh()

        casus = Casus.objects.get(pk=stays_of(march).first().casus_id)
        left = set(
            StepTransition.objects.filter(casus=casus, left_at__isnull=False).dates(
                "left_at", "month"
            )
        )
        other = twente_priority_other_than(casus)
        with django_capture_on_commit_callbacks(execute=True):
            engine.set_case_details(casus, actor=staff, case_type=casus.case_type, priority=other)
        assert {m for m in left if m < TODAY.replace(day=1)} <= changed_months()
        assert_equal_to_a_fresh_count()
        monthly.refresh()
        assert_equal_to_a_fresh_count()


def test_moving_a_case_on_keeps_the_months_of_its_earlier_stays(
    twente, history, make_user, django_capture_on_commit_callbacks
):
    """A move ends the case's stay in bulk (the transition not yet left) and begins the
    next, both this month (`engine.enter`, what every move does): the months the case
    left its earlier steps in stay counted."""
    staff = make_user(twente, "medewerker")
    with tenant_context(twente):
        monthly.refresh()
        this_month = TODAY.replace(day=1)
        for casus in Casus.objects.order_by("id"):
            own = monthly.case_months(casus)
            earlier = {
                month
                for month in StepTransition.objects.filter(
                    casus=casus, left_at__isnull=False
                ).dates("left_at", "month")
                if month < this_month and month not in own
            }
            if earlier:
                break
        else:
            pytest.fail("the history has no case with stays outside its own months")
        with django_capture_on_commit_callbacks(execute=True):
            engine.enter(casus, casus.current_step, casus.current_step, staff, timezone.now(), "")
        assert not changed_months() & earlier
        assert_equal_to_a_fresh_count()


def test_a_month_counted_by_older_code_is_counted_again(twente, history):
    """A count marked as older code marked it (without what a count holds now) is not
    taken as counted."""
    with tenant_context(twente):
        monthly.refresh()
        month = (TODAY.replace(day=1) - timedelta(days=40)).replace(day=1)
        MonthlyFigure.objects.filter(month=month, figure=COUNTED).update(figure="geteld")
        assert month in monthly.months_to_count()
        monthly.refresh()
        assert month not in monthly.months_to_count()
        assert not MonthlyFigure.objects.filter(month=month, figure="geteld").exists()
        assert_equal_to_a_fresh_count()


def test_a_bulk_write_of_stays_filtered_by_an_expression_is_not_refused(twente, history):
    from django.db.models import F
    from django.db.models.functions import Coalesce

    with tenant_context(twente):
        StepTransition.objects.annotate(ended=Coalesce("left_at", F("at"))).filter(
            ended__isnull=True
        ).update(reason="")


def test_a_report_saved_with_another_moment_forgets_the_month_it_left(
    twente, history, django_capture_on_commit_callbacks
):
    with tenant_context(twente):
        monthly.refresh()
        old = (TODAY.replace(day=1) - timedelta(days=130)).replace(day=1)
        report = Report.objects.filter(
            submitted_at__gte=day_start(old), submitted_at__lt=day_start(old) + timedelta(days=28)
        ).first()
        moved_to = (TODAY.replace(day=1) - timedelta(days=40)).replace(day=1)
        with django_capture_on_commit_callbacks(execute=True):
            report.submitted_at = report.submitted_at + (moved_to - old)
            report.save(update_fields=["submitted_at"])
        assert {old, moved_to} <= changed_months()
        assert_equal_to_a_fresh_count()


def test_an_information_request_answered_or_moved_later_forgets_its_month(
    twente, history, django_capture_on_commit_callbacks
):
    """A request counts by the month it was sent, with its response time: answering it
    (a save), answering one in bulk, and moving when it was sent each count that month
    (and the month it moved to) again."""
    from workflow.models import InformationRequest

    with tenant_context(twente):
        old = (TODAY.replace(day=1) - timedelta(days=130)).replace(day=1)
        may = (TODAY.replace(day=1) - timedelta(days=40)).replace(day=1)
        in_old = InformationRequest.objects.filter(
            recorded_at__gte=day_start(old), recorded_at__lt=day_start(old) + timedelta(days=28)
        ).order_by("id")
        first, second, third = in_old[:3]
        InformationRequest.objects.filter(pk__in=[first.pk, second.pk]).update(closed_at=None)
        monthly.refresh()
        assert changed_months() == set()
        with django_capture_on_commit_callbacks(execute=True):
            first.closed_at = first.recorded_at + timedelta(days=3)
            first.save()
        assert old in changed_months()
        assert_equal_to_a_fresh_count()
        monthly.refresh()
        with django_capture_on_commit_callbacks(execute=True):
            InformationRequest.objects.filter(pk=second.pk).update(
                closed_at=second.recorded_at + timedelta(days=9)
            )
        assert old in changed_months()
        assert_equal_to_a_fresh_count()
        monthly.refresh()
        with django_capture_on_commit_callbacks(execute=True):
            third.recorded_at = day_start(may) + timedelta(days=2)
            third.save()
        assert {old, may} <= changed_months()
        assert_equal_to_a_fresh_count()
        monthly.refresh()
        assert_equal_to_a_fresh_count()


def twente_priority_other_than(casus):
    from configuratie.models import Priority

    return Priority.objects.exclude(pk=casus.priority_id).first()


def months_of_case(casus) -> set:
    """Every month a case's own moments count it in: what `monthly.forget` finds from
    the case alone, after a write."""
    from workflow.models import Evaluation

    return (
        {monthly.month_of(casus.opened_at), monthly.month_of(casus.closed_at)}
        | set(Report.objects.filter(casus=casus).dates("submitted_at", "month"))
        | set(Evaluation.objects.filter(casus=casus).dates("recorded_at", "month"))
        | set(
            StepTransition.objects.filter(casus=casus, left_at__isnull=False).dates(
                "left_at", "month"
            )
        )
    )


def test_reports_written_in_bulk_forget_the_months_they_counted_in(
    twente, history, django_capture_on_commit_callbacks
):
    """A queryset's delete and update (workflow.models.bulk) of reports: the months the
    rows counted in before are forgotten, though neither the rows nor their cases say
    them any more. The reports are of cases with no other moment in that month, so what
    the bulk write's cases tell (`written_in_bulk`) cannot find it: only the rows' months
    read before the write (`writing_in_bulk`) can."""
    with tenant_context(twente):
        old = (TODAY.replace(day=1) - timedelta(days=150)).replace(day=1)
        later = (TODAY.replace(day=1) - timedelta(days=40)).replace(day=1)
        since = day_start(old)
        moved, deleted = (
            Report.objects.filter(casus=casus).order_by("id").first()
            for casus in Casus.objects.filter(
                opened_at__gte=day_start(old) + timedelta(days=62), opened_at__lt=day_start(later)
            ).order_by("id")[:2]
        )
        for report in (moved, deleted):
            assert old not in months_of_case(report.casus)
            Report.objects.filter(pk=report.pk).update(submitted_at=since + timedelta(days=5))
            assert old in months_of_case(report.casus)  # by this report alone
        monthly.refresh()
        assert old not in changed_months()
        with django_capture_on_commit_callbacks(execute=True):
            Report.objects.filter(pk=moved.pk).update(submitted_at=day_start(later))
        assert old not in months_of_case(moved.casus)  # the case no longer tells it
        assert old in changed_months()
        assert_equal_to_a_fresh_count()
        monthly.refresh()
        with django_capture_on_commit_callbacks(execute=True):
            Report.objects.filter(pk=deleted.pk).delete()
        assert old not in months_of_case(deleted.casus)
        assert old in changed_months()
        assert_equal_to_a_fresh_count()
