"""What a case waits on, kept on the case (workflow/waiting.py), equals a fresh
computation from the records after each service that changes it, and after a full
recount; the oversight signals read the kept columns."""

from datetime import timedelta

from django.db.models import Exists, Min, OuterRef
from django.utils import timezone
from django_tenants.utils import tenant_context

from tests.factories import intake_case, person, reported_case
from workflow.models import (
    Casus,
    ComenshaRegistration,
    Feedback,
    InvolvedPerson,
    PersonRole,
    PlanAction,
    PlanOfApproach,
    Report,
    ReporterMessage,
    ScreeningOutcome,
)
from workflow.services import plans, reporters
from workflow.services.records import record_screening_outcome
from workflow.services.reports import reply_from_reporter
from workflow.waiting import recompute_waiting

STAFF_ROLES = ("medewerker", "procesregisseur", "casuscoordinator")


def fresh() -> dict[int, tuple[bool, bool, object, bool]]:
    """Each case's four values counted from the records with the ORM, as the signals
    once asked them: independent of the kept columns and of their SQL."""
    unanswered = Report.objects.exclude(Exists(Feedback.objects.filter(report=OuterRef("pk"))))
    screened = set(ScreeningOutcome.objects.values_list("casus_id", flat=True))
    awaiting = set(unanswered.values_list("casus_id", flat=True)) & screened
    later = {"report": OuterRef("report"), "sent_at__gt": OuterRef("sent_at")}
    waiting = (
        ReporterMessage.objects.filter(direction=ReporterMessage.Direction.REPLY)
        .exclude(
            Exists(
                ReporterMessage.objects.filter(
                    direction=ReporterMessage.Direction.QUESTION, **later
                )
            )
        )
        .exclude(
            Exists(
                Feedback.objects.filter(
                    report=OuterRef("report"), recorded_at__gt=OuterRef("sent_at")
                )
            )
        )
    )
    replied = set(waiting.values_list("casus_id", flat=True))
    newer = PlanOfApproach.objects.filter(
        casus=OuterRef("plan__casus"), version__gt=OuterRef("plan__version")
    )
    due = dict(
        PlanAction.objects.exclude(status__in=PlanAction.FINISHED)
        .exclude(Exists(newer))
        .values_list("plan__casus_id")
        .annotate(first=Min("due_on"))
        .values_list("plan__casus_id", "first")
    )
    registered = ComenshaRegistration.objects.filter(sent_at__isnull=False).values("person_id")
    victims = InvolvedPerson.objects.filter(role=PersonRole.VICTIM).exclude(pk__in=registered)
    unregistered = set(victims.values_list("casus_id", flat=True))
    return {
        pk: (pk in awaiting, pk in replied, due.get(pk), pk in unregistered)
        for pk in Casus.objects.values_list("pk", flat=True)
    }


def kept() -> dict[int, tuple[bool, bool, object, bool]]:
    return {
        pk: (awaits, waiting, due, victim)
        for pk, awaits, waiting, due, victim in Casus.objects.values_list(
            "pk", "awaits_feedback", "reporter_waiting", "open_action_due_on", "victim_unregistered"
        )
    }


def assert_kept_equals_fresh() -> None:
    assert kept() == fresh()


def test_what_a_case_waits_on_is_kept_by_every_service_that_changes_it(twente, make_user):
    staff = make_user(twente, *STAFF_ROLES)
    today = timezone.localdate()
    with tenant_context(twente):
        casus = intake_case(staff, person("Wacht Op"))
        other = reported_case("Ander Kind")
        assert_kept_equals_fresh()
        record_screening_outcome(casus, actor=staff, outcome="vermoeden")
        assert Casus.objects.get(pk=casus.pk).awaits_feedback
        assert_kept_equals_fresh()
        report = casus.reports.get()
        reply_from_reporter(report, "Er is nog iets.")
        assert Casus.objects.get(pk=casus.pk).reporter_waiting
        assert_kept_equals_fresh()
        reporters.ask_reporter(casus, actor=staff, question="Wat precies?", reports=[report])
        assert not Casus.objects.get(pk=casus.pk).reporter_waiting
        assert_kept_equals_fresh()
        reply_from_reporter(report, "Dit.")
        reporters.record_feedback(casus, actor=staff, text="Dank u.", reports=[report])
        assert not Casus.objects.get(pk=casus.pk).awaits_feedback
        assert_kept_equals_fresh()
        intake_case(staff, person("Wacht Op"), link_to=casus)  # a second, unanswered report
        assert Casus.objects.get(pk=casus.pk).awaits_feedback
        assert_kept_equals_fresh()
        first = plans.write_plan(
            casus,
            actor=staff,
            goals="Veiligheid",
            actions=[
                plans.ActionData("Later", owner_name="Mentor", chain="zorg", due_on=today),
                plans.ActionData(
                    "Eerder", owner_name="Mentor", chain="zorg", due_on=today - timedelta(days=3)
                ),
            ],
        )
        assert Casus.objects.get(pk=casus.pk).open_action_due_on == today - timedelta(days=3)
        assert_kept_equals_fresh()
        earlier = next(action for action in first.actions.all() if action.description == "Eerder")
        plans.update_action(earlier, actor=staff, status="gereed", outcome="Klaar")
        assert Casus.objects.get(pk=casus.pk).open_action_due_on == today
        assert_kept_equals_fresh()
        plans.write_plan(  # a revision: the earlier version's actions no longer count
            casus,
            actor=staff,
            goals="Veiligheid",
            revision_reason="Nieuwe afspraken",
            actions=[plans.ActionData("Nieuw", owner_name="Mentor", chain="zorg")],
        )
        assert Casus.objects.get(pk=casus.pk).open_action_due_on is None
        assert_kept_equals_fresh()
        other.delete()
        assert_kept_equals_fresh()


def test_a_recount_gives_what_was_kept(twente, make_user):
    staff = make_user(twente, *STAFF_ROLES)
    with tenant_context(twente):
        casus = intake_case(staff, person("Opnieuw Geteld"))
        record_screening_outcome(casus, actor=staff, outcome="ja")
        reply_from_reporter(casus.reports.get(), "Nog iets.")
        plans.write_plan(
            casus,
            actor=staff,
            goals="Doel",
            actions=[
                plans.ActionData(
                    "Actie", owner_name="Mentor", chain="zorg", due_on=timezone.localdate()
                )
            ],
        )
        before = kept()
        Casus.objects.update(
            awaits_feedback=False,
            reporter_waiting=False,
            open_action_due_on=None,
            victim_unregistered=False,
        )
        assert recompute_waiting() == 1  # the case whose values were lost
        assert kept() == before == fresh()
        assert recompute_waiting() == 0  # nothing differs: no row written


def test_writes_in_bulk_keep_what_a_case_waits_on_and_its_last_activity(twente, make_user):
    """A queryset's update and delete, bulk_create and bulk_update pass save() and its
    receivers; the records' querysets (workflow.models.bulk) keep the case all the same."""
    staff = make_user(twente, *STAFF_ROLES)
    today = timezone.localdate()
    with tenant_context(twente):
        casus = intake_case(staff, person("In Bulk"))
        other = reported_case("Ander Kind")
        ScreeningOutcome.objects.bulk_create(
            [ScreeningOutcome(casus=casus, recorded_by=staff, outcome="vermoeden")]
        )
        assert Casus.objects.get(pk=casus.pk).awaits_feedback
        assert_kept_equals_fresh()
        report = casus.reports.get()
        later = timezone.now() + timedelta(hours=1)
        Feedback.objects.bulk_create(
            [
                Feedback(
                    casus=casus, report=report, recorded_by=staff, text="Dank.", recorded_at=later
                )
            ]
        )
        assert not Casus.objects.get(pk=casus.pk).awaits_feedback
        assert Casus.objects.get(pk=casus.pk).last_activity_at == later
        assert_kept_equals_fresh()
        Feedback.objects.filter(casus=casus).delete()
        assert Casus.objects.get(pk=casus.pk).awaits_feedback
        assert_kept_equals_fresh()
        plan = PlanOfApproach.objects.create(casus=casus, recorded_by=staff, goals="Doel")
        PlanAction.objects.bulk_create(
            [PlanAction(plan=plan, description="Actie", chain="zorg", due_on=today)]
        )
        assert Casus.objects.get(pk=casus.pk).open_action_due_on == today
        actions = list(PlanAction.objects.filter(plan=plan))  # their plan not read
        actions[0].due_on = today - timedelta(days=2)
        PlanAction.objects.bulk_update(actions, ["due_on"])
        assert Casus.objects.get(pk=casus.pk).open_action_due_on == today - timedelta(days=2)
        PlanAction.objects.filter(plan__casus=casus).update(status=PlanAction.Status.DONE)
        assert Casus.objects.get(pk=casus.pk).open_action_due_on is None
        assert_kept_equals_fresh()
        # A report moved to another case: both cases' values are derived again.
        Report.objects.filter(pk=report.pk).update(casus=other)
        assert_kept_equals_fresh()
