"""Feedback before closure: where a region's process asks for feedback about the outcome
(terugkoppeling_over_uitkomst), feedback given before the plan of approach, which told
the reporter only that their report was taken up, does not count; without a plan, the
screening's feedback was the outcome. 'terugkoppeling_gegeven' counts any feedback."""

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import tenant_context

from tests.factories import case_in_step
from workflow.guards import GUARDS, condition_states, last_left, left_in
from workflow.models import Casus, Feedback, StepTransition
from workflow.selectors import CASE_RECORDS, kinds_present
from workflow.services import plans, reporters


def holds(code: str, casus) -> bool:
    return GUARDS[code].holds(casus, None)


def test_feedback_before_the_plan_is_not_feedback_about_the_outcome(twente, make_user):
    staff = make_user(twente, "medewerker", "procesregisseur")
    casus = case_in_step(twente, "plan_van_aanpak", staff)
    with tenant_context(twente):
        early = reporters.record_feedback(
            casus, actor=staff, text="In behandeling.", reports=casus.reports.all()
        )
        Feedback.objects.filter(pk__in=[f.pk for f in early]).update(
            recorded_at=timezone.now() - timedelta(days=3)
        )
        assert holds("terugkoppeling_over_uitkomst", casus)  # no plan: the screening decided
        plans.write_plan(
            casus,
            actor=staff,
            goals="Veilig thuis",
            actions=[plans.ActionData("Hulp", owner_name="Jeugdwerker")],
        )
        assert holds("terugkoppeling_gegeven", casus)
        assert not holds("terugkoppeling_over_uitkomst", casus)
        reporters.record_feedback(
            casus, actor=staff, text="Hulp ingezet.", reports=casus.reports.all()
        )
        assert holds("terugkoppeling_over_uitkomst", casus)


def test_every_reporter_must_hear_of_the_outcome(twente, make_user):
    staff = make_user(twente, "medewerker", "procesregisseur")
    casus = case_in_step(twente, "plan_van_aanpak", staff)
    with tenant_context(twente):
        assert not holds("terugkoppeling_over_uitkomst", casus)  # nobody heard anything


def test_a_condition_needing_a_kind_of_record_the_case_lacks_does_not_hold(twente, make_user):
    """What lets the case page answer such conditions without asking the database: each
    guard's `needs` is a kind of record without which it cannot hold, and the answers
    with and without the case's kinds are the same in every step."""
    staff = make_user(twente, "medewerker", "procesregisseur")
    steps = ["melding", "screening", "informatieronde", "risicotaxatie", "plan_van_aanpak"]
    steps += ["zorgcoordinatie", "afsluiting", "evaluatie"]
    for step in steps:
        casus = case_in_step(twente, step, staff)
        with tenant_context(twente):
            for feedback in (False, True):
                if feedback:
                    reporters.record_feedback(
                        casus, actor=staff, text="Dank", reports=casus.reports.all()
                    )
                present = kinds_present(casus)
                assert present["feedback"] is feedback
                for guard in GUARDS.values():
                    assert not guard.needs or guard.needs in present
                    if guard.needs and not present[guard.needs]:
                        assert not guard.holds(casus, None), guard.code
                assert condition_states(casus, present) == condition_states(casus)
                transitions = CASE_RECORDS["transitions"][1](casus.pk)
                assert condition_states(casus, present, transitions) == condition_states(casus)
                assert left_in(casus, transitions) == last_left(casus)


def test_a_case_last_left_its_step_at_the_latest_transition_out_of_it():
    """The case page takes when the case last left its step from the transitions it read."""
    now = timezone.now()
    casus = Casus(current_step_id=2)
    transitions = [
        StepTransition(from_step_id=None, to_step_id=2, at=now - timedelta(days=9)),
        StepTransition(from_step_id=2, to_step_id=3, at=now - timedelta(days=7)),
        StepTransition(from_step_id=3, to_step_id=2, at=now - timedelta(days=5)),
        StepTransition(from_step_id=2, to_step_id=3, at=now - timedelta(days=3)),
        StepTransition(from_step_id=3, to_step_id=2, at=now - timedelta(days=1)),
    ]
    assert left_in(casus, transitions) == now - timedelta(days=3)
    assert left_in(casus, transitions[:1]) is None
