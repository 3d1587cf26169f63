"""Each audit line takes the database's time and a hash chained to the line before it,
whatever role writes it; a line changed, removed or slipped in behind the trigger's back
is found by the command and by the privacy officer's screen, which name the first one."""

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django_tenants.utils import tenant_context
from psycopg2 import errors

from audit.chain import GENESIS, verify_chain
from audit.models import AuditAction, AuditEntry
from audit.services import line_values, record, record_each, record_many
from tenants.services.onboarding import onboard_region
from tests.audit.backdating import as_connected_role, insert_backdated
from tests.audit.test_app_role import act_in, execute
from tests.frontend.privacy.test_privacy_screens import reauthenticate

LINE_COLUMNS = (
    "user_email, role, on_behalf_of, action, object_type, object_id, case_id, person_id,"
    " grounds, detail"
)
LINE_VALUES = "'', 'app', '', 'view', '', '', '', '', '', '{}'"


def owner_sql(statement: str, params=()) -> None:
    """As the database owner, who can lift a trigger (in this test's transaction only)."""
    with as_connected_role() as cursor:
        cursor.execute(statement, params)


def with_trigger_lifted(trigger: str, statement: str, params=()) -> None:
    owner_sql(f"ALTER TABLE audit_auditentry DISABLE TRIGGER {trigger}")
    owner_sql(statement, params)
    owner_sql(f"ALTER TABLE audit_auditentry ENABLE TRIGGER {trigger}")


def lines(count: int) -> list[AuditEntry]:
    made = [record(AuditAction.VIEW, case_id=f"2026-{n:05d}") for n in range(count)]
    return list(AuditEntry.objects.filter(pk__in=[line.pk for line in made]).order_by("id"))


def test_the_app_role_cannot_write_a_back_dated_line(limburg, app_role_connection):
    app = app_role_connection
    act_in(app, "limburg")
    with pytest.raises(psycopg2.Error, match="database's time") as refused:
        execute(
            app,
            f"INSERT INTO audit_auditentry (at, {LINE_COLUMNS})"
            f" VALUES (now() - interval '3 days', {LINE_VALUES})",
        )
    assert isinstance(refused.value, errors.InsufficientPrivilege)


def test_the_app_role_cannot_choose_a_lines_place_or_hash(limburg, app_role_connection):
    app = app_role_connection
    act_in(app, "limburg")
    [(last,)] = execute(app, "SELECT coalesce(max(chain_number), 0) FROM audit_auditentry")
    [(at, place, chain_hash, database_now)] = execute(
        app,
        f"INSERT INTO audit_auditentry (chain_number, chain_hash, {LINE_COLUMNS})"
        f" VALUES (1, %s, {LINE_VALUES}) RETURNING at, chain_number, chain_hash,"
        " statement_timestamp()",
        [GENESIS],
    )
    assert at == database_now
    assert place == last + 1 and chain_hash != GENESIS and len(chain_hash) == 64


def test_lines_written_in_one_statement_and_one_by_one_form_one_chain(twente):
    with tenant_context(twente):
        record(AuditAction.VIEW)
        before = AuditEntry.objects.count()
        record_many(AuditAction.VIEW, person_ids=["1", "2", "3"])
        assert AuditEntry.objects.count() == before + 3
        places = list(AuditEntry.objects.order_by("chain_number").values_list("chain_number"))
        assert [place for (place,) in places] == list(range(1, len(places) + 1))
        report = verify_chain()
        assert report.intact and report.lines == len(places)


def test_a_line_written_with_others_or_alone_holds_what_the_orm_writes(twente, make_user):
    user = make_user(twente, "medewerker")
    fields = {
        "user": user,
        "target": user,
        "case_id": "2026-000001",
        "grounds": "casusbehandeling",
        "detail": {"reden": "test", "aantal": 2},
        "changes": {"naam": ("oud", "nieuw")},
        "on_behalf_of": "iemand",
    }
    set_by_the_database = {"id", "at", "chain_number", "chain_hash"}
    names = {f.attname for f in AuditEntry._meta.concrete_fields}
    with tenant_context(twente):
        # The ORM's own INSERT of the same values is the reference.
        orm = AuditEntry.objects.create(**line_values(AuditAction.VIEW, person_id="7", **fields))
        written = record(AuditAction.VIEW, person_id="7", **fields)
        alone = AuditEntry.objects.get(pk=written.pk)
        for name in names:  # what record() hands back is what was stored, trigger's part too
            assert getattr(written, name) == getattr(alone, name), name
        assert alone.chain_number == AuditEntry.objects.get(pk=orm.pk).chain_number + 1
        record_each(AuditAction.VIEW, [{"person_id": "7"}, {"person_id": "8"}], **fields)
        first, second = AuditEntry.objects.filter(chain_number__gt=alone.chain_number).order_by(
            "chain_number"
        )
        orm.refresh_from_db()
        for name in names - set_by_the_database:
            assert getattr(alone, name) == getattr(orm, name), name
            assert getattr(first, name) == getattr(orm, name), name
        assert second.person_id == "8"
        record_each(AuditAction.VIEW, [], **fields)  # no lines, no statement
        assert AuditEntry.objects.filter(chain_number__gt=second.chain_number).count() == 0
        assert second.at == first.at and second.chain_number == first.chain_number + 1
        assert verify_chain().intact


def test_a_changed_line_is_the_first_broken_link(limburg):
    with tenant_context(limburg):
        _before, changed, _after = lines(3)
        with_trigger_lifted(
            "audit_auditentry_no_update_delete",
            "UPDATE audit_auditentry SET case_id = '2026-99999' WHERE id = %s",
            [changed.pk],
        )
        report = verify_chain()
        assert (report.first_broken_id, report.first_broken_at) == (changed.pk, changed.at)
        assert report.broken == 1


def test_a_removed_line_breaks_the_link_of_the_line_after_it(limburg):
    with tenant_context(limburg):
        _before, removed, after = lines(3)
        with_trigger_lifted(
            "audit_auditentry_no_update_delete",
            "DELETE FROM audit_auditentry WHERE id = %s",
            [removed.pk],
        )
        report = verify_chain()
        assert report.first_broken_id == after.pk and report.broken == 1


def test_a_line_slipped_in_behind_the_trigger_is_found(limburg):
    with tenant_context(limburg):
        lines(2)
        insert_backdated(
            f"INSERT INTO audit_auditentry (at, {LINE_COLUMNS})"
            f" VALUES (now() - interval '2 days', {LINE_VALUES})"
        )
        slipped = AuditEntry.objects.get(chain_number__isnull=True)
        report = verify_chain()
        assert (report.first_broken_id, report.broken) == (slipped.pk, 1)


def test_the_command_reports_the_first_broken_link_and_fails(limburg, capsys):
    with tenant_context(limburg):
        changed = lines(2)[0]
        with_trigger_lifted(
            "audit_auditentry_no_update_delete",
            "UPDATE audit_auditentry SET role = 'vervalst' WHERE id = %s",
            [changed.pk],
        )
    call_command("verify_audit_chain", "--schema", "twente")
    assert "twente: keten intact, " in capsys.readouterr().out
    with pytest.raises(CommandError, match="Broken audit chain in limburg"):
        call_command("verify_audit_chain", "--schema", "limburg")
    assert f"limburg: eerste breuk bij regel {changed.pk} van " in capsys.readouterr().out


def test_the_privacy_officer_sees_the_first_broken_link_and_the_check_is_logged(limburg, logged_in):
    officer = logged_in(limburg, "privacyofficer")
    reauthenticate(officer)
    url = reverse("privacy:audit_chain")
    intact = officer.get(url)
    assert intact.status_code == 200 and "Keten intact, " in intact.content.decode()
    with tenant_context(limburg):
        changed = lines(2)[1]
        with_trigger_lifted(
            "audit_auditentry_no_update_delete",
            "UPDATE audit_auditentry SET detail = '{}' , grounds = 'anders' WHERE id = %s",
            [changed.pk],
        )
    page = officer.get(url).content.decode()
    assert "De keten is gebroken" in page
    assert f"Eerste breuk: regel {changed.pk} van " in page
    with tenant_context(limburg):
        checks = AuditEntry.objects.filter(user_id=officer.user.pk, detail__controle="auditketen")
        assert [check.detail["gebroken"] for check in checks.order_by("id")] == [0, 1]


@pytest.mark.parametrize("role", ["medewerker", "regiobeheerder"])
def test_only_the_privacy_officer_checks_the_chain(twente, logged_in, role):
    assert logged_in(twente, role).get(reverse("privacy:audit_chain")).status_code == 403


def test_the_chain_check_asks_for_a_fresh_second_factor(twente, logged_in):
    response = logged_in(twente, "privacyofficer").get(reverse("privacy:audit_chain"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))


def test_a_region_onboarded_by_the_app_role_chains_its_lines_from_the_start(
    limburg, app_role_connection
):
    app = app_role_connection
    execute(app, "SELECT public.meldpunt_create_region_schema('ketenproef')")
    act_in(app, "ketenproef")
    for _ in range(2):
        execute(app, f"INSERT INTO audit_auditentry ({LINE_COLUMNS}) VALUES ({LINE_VALUES})")
    chain = execute(
        app,
        "SELECT chain_number, chain_hash = audit_chain_hash(coalesce(lag(chain_hash)"
        " OVER (ORDER BY chain_number), %s), line) FROM audit_auditentry line",
        [GENESIS],
    )
    assert chain == [(1, True), (2, True)]
    with pytest.raises(psycopg2.Error, match="database's time"):
        execute(
            app,
            f"INSERT INTO audit_auditentry (at, {LINE_COLUMNS})"
            f" VALUES ('2020-01-01', {LINE_VALUES})",
        )


def test_the_chain_may_start_later_only_after_the_retention_period_removed_its_start(db):
    region = onboard_region(
        slug="overijssel",
        name="Overijssel",
        domain="overijssel.localhost",
        admin_email="beheer@overijssel.test",
        invite_admin=False,
    ).region
    with tenant_context(region):
        last_old = lines(3)[-1]
        lines(2)
        # The start of the chain (onboarding's lines too) ages past the retention period.
        with_trigger_lifted(
            "audit_auditentry_no_update_delete",
            "UPDATE audit_auditentry SET at = at - interval '7 years' WHERE id <= %s",
            [last_old.pk],
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT audit_remove_expired(60)")
        assert verify_chain().intact
        # Without the retention function's own line, a missing start is a broken link.
        first = AuditEntry.objects.order_by("chain_number").first()
        with_trigger_lifted(
            "audit_auditentry_no_update_delete",
            "DELETE FROM audit_auditentry WHERE action = 'destroy'",
        )
        assert verify_chain().first_broken_id == first.pk
