"""A region's schema exported and restored under another name: the same objects, rows and triggers."""

import stat

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django_tenants.utils import tenant_context

from audit.models import AuditAction
from audit.services import record
from tenants.models import Region
from tests.tenants.catalogue import describe, sequence_positions, table_contents


def tables_of(schema: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = %s::regnamespace",
            [schema],
        )
        return sorted(row[0] for row in cursor.fetchall())


def test_a_region_survives_the_round_trip(twente, make_user, tmp_path, capsys):
    user = make_user(twente, "medewerker")
    with tenant_context(twente):
        record(AuditAction.VIEW, user=user, target=user, grounds="terugzetten")
    backup = tmp_path / "twente.meldpunt-backup"

    call_command("region_backup", "export", "twente", str(backup))
    call_command("region_backup", "restore", str(backup), "twente_terug", "--register")

    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert "restored as twente_terug" in capsys.readouterr().out
    original, restored = describe("twente"), describe("twente_terug")
    assert original["columns"] and original == restored
    tables = tables_of("twente")
    assert tables == tables_of("twente_terug")
    assert table_contents("twente_terug", tables) == table_contents("twente", tables)
    assert sequence_positions("twente_terug") == sequence_positions("twente")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM twente_terug.audit_auditentry WHERE grounds = 'terugzetten'"
        )
        assert cursor.fetchone() == (1,)
    for statement in (
        "UPDATE twente_terug.audit_auditentry SET grounds = ''",
        "TRUNCATE twente_terug.audit_auditentry",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    restored_region = Region.objects.get(schema_name="twente_terug")
    assert restored_region.is_suspended and restored_region.name == "Twente (hersteld)"


def test_a_backup_is_never_written_over_and_never_restored_over_a_schema(twente, tmp_path):
    backup = tmp_path / "twente.meldpunt-backup"
    call_command("region_backup", "export", "twente", str(backup))
    with pytest.raises(Exception, match="exists"):
        call_command("region_backup", "export", "twente", str(backup))
    with pytest.raises(Exception, match="no new schema name"):
        call_command("region_backup", "restore", str(backup), "limburg")
