"""The reads compiled once per process (meldpunt.compiled) say and give what the ORM would:
the same SQL as their queryset compiled afresh (so a change in Django's compiler shows
here), no schema in it (one compiled form serves every region), and the same instances,
with what select_related and prefetch_related attach."""

import pytest
from django.db.models import Model
from django_tenants.utils import tenant_context

from accounts.models import User
from configuratie.models import WorkflowStep
from frontend.cases.views import NEXT_STEPS
from meldpunt.compiled import KEY, REGISTERED, TEXT, CompiledRead
from tests.factories import case_in_step, evaluate, intake_case, meeting_with, person
from workflow.models import Casus
from workflow.selectors import ANY_CASE_BY_REFERENCE, CASE_RECORDS, find_case
from workflow.services import records, reporters


def test_every_compiled_read_says_what_its_queryset_says_afresh_and_names_no_schema(twente):
    assert REGISTERED
    for read in REGISTERED:
        fresh_sql, fresh_params = read.build(*read.markers).query.sql_with_params()
        assert (read.compiled.sql, read.compiled.params) == (fresh_sql, list(fresh_params))
        assert twente.schema_name not in read.compiled.sql
        assert "public" not in read.compiled.sql


def test_a_marker_must_be_one_parameter_exactly():
    twice = CompiledRead(lambda key: Casus.objects.filter(pk=key, coordinator_id=key))
    REGISTERED.remove(twice)
    with pytest.raises(ValueError, match="not exactly one"):
        _ = twice.compiled
    assert KEY != TEXT


def same(compiled: Model, fresh: Model, seen: set | None = None) -> None:
    """Equal fields, and the same related objects attached (by select_related or a
    prefetch), compared as deep as they go (a prefetch links back: each pair once)."""
    assert type(compiled) is type(fresh) and compiled.pk == fresh.pk
    seen = set() if seen is None else seen
    if (id(compiled), id(fresh)) in seen:
        return
    seen.add((id(compiled), id(fresh)))
    fields = {f.attname for f in fresh._meta.concrete_fields} - fresh.get_deferred_fields()
    assert compiled.get_deferred_fields() == fresh.get_deferred_fields()
    for name in fields:
        assert getattr(compiled, name) == getattr(fresh, name), name
    assert compiled._state.fields_cache.keys() == fresh._state.fields_cache.keys()
    for name, related in fresh._state.fields_cache.items():
        if related is None:
            assert compiled._state.fields_cache[name] is None
        else:
            same(compiled._state.fields_cache[name], related, seen)
    prefetched = getattr(fresh, "_prefetched_objects_cache", {})
    assert getattr(compiled, "_prefetched_objects_cache", {}).keys() == prefetched.keys()
    for name, rows in prefetched.items():
        ours = list(compiled._prefetched_objects_cache[name])
        assert len(ours) == len(rows)
        for mine, theirs in zip(ours, rows, strict=True):
            same(mine, theirs, seen)


def full_case(region, staff: User) -> Casus:
    casus = case_in_step(region, "screening", staff)
    with tenant_context(region):
        intake_case(staff, person("Daan", role="dader"), link_to=casus)
        records.record_screening_outcome(casus, actor=staff, outcome="ja", advice="Verder")
        records.write_journal(casus, actor=staff, kind="notitie", text="Een notitie")
        reporters.record_feedback(casus, actor=staff, text="Dank", reports=casus.reports.all())
        evaluate(casus, staff)
    meeting_with(region, casus, [staff], "screeningsteam")
    return casus


@pytest.mark.parametrize("region_name", ["twente", "limburg"])
def test_each_kind_of_record_reads_as_the_orm_reads_it_in_every_region(
    region_name, twente, limburg, make_user
):
    region = {"twente": twente, "limburg": limburg}[region_name]
    staff = make_user(region, "medewerker", "procesregisseur")
    casus = full_case(region, staff)
    with tenant_context(region):
        read_any = False
        for name, (_model, read) in CASE_RECORDS.items():
            if read is None:
                continue
            fresh = list(read.build(casus.pk))
            compiled = read(casus.pk)
            assert len(compiled) == len(fresh), name
            for mine, theirs in zip(compiled, fresh, strict=True):
                same(mine, theirs)
            read_any = read_any or bool(fresh)
        assert read_any
        [found] = ANY_CASE_BY_REFERENCE(casus.reference)
        same(found, Casus.objects.select_related("definition", "coordinator").get(pk=casus.pk))
        assert ANY_CASE_BY_REFERENCE("MP-0000-0000") == []
        assert find_case(staff, casus.reference) == casus


def test_the_next_steps_read_as_the_steps_relation_reads_them(twente):
    with tenant_context(twente):
        for step in WorkflowStep.objects.all():
            fresh = list(step.next_steps.all())
            compiled = NEXT_STEPS(step.pk)
            assert len(compiled) == len(fresh)
            for mine, theirs in zip(compiled, fresh, strict=True):
                same(mine, theirs)
