"""One region's schema to a file and back under another name: for a region that leaves or needs its data back.

The file is a gzipped tar: `manifest.json` (the schema, its migrations, its
tables' columns and its sequences' positions), `statements.json` (the
region's own DDL, read from pg_catalog as the onboarding blueprint is) and
one COPY file per table. It holds the region's case data (encrypted fields
stay encrypted) and is written readable by its owner only; keep it as you
keep the database's backups. Export reads one consistent snapshot.

Restoring builds the schema under a new name in one transaction: tables,
rows, sequence positions, then constraints, indexes and triggers (the audit
log's append-only triggers among them) and the application role's privileges.
Both run as the schemas' owner (`manage.py region_backup`).
"""

import io
import json
import os
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.db import connection, transaction
from django.utils.translation import gettext as _

from tenants.models import Domain, Region
from tenants.services.app_role import grant_app_privileges, quote_ident
from tenants.services.blueprint import PLACEHOLDER, SCHEMA_NAME, read_blueprint
from tenants.services.migration_state import existing_schemas
from tenants.services.onboarding import default_domain

FORMAT = "meldpunt-region-backup/1"


class BackupError(Exception):
    pass


def _add(archive: tarfile.TarFile, name: str, stream: io.IOBase) -> None:
    info = tarfile.TarInfo(name)
    info.size = stream.seek(0, io.SEEK_END)
    info.mtime = int(datetime.now(UTC).timestamp())
    stream.seek(0)
    archive.addfile(info, stream)


def export_region_schema(schema: str, path: Path) -> dict:
    """Write `schema` to `path` (which must not exist yet); returns the manifest."""
    if schema not in existing_schemas([schema]):
        raise BackupError(f"schema {schema} does not exist")
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with (
        os.fdopen(descriptor, "wb") as file,
        tarfile.open(fileobj=file, mode="w:gz") as archive,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        if not connection.savepoint_ids:  # our own transaction: one snapshot for every table
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        blueprint = read_blueprint(schema)
        source = quote_ident(schema)
        positions = {}
        for sequence in blueprint.sequences:
            cursor.execute(f"SELECT last_value, is_called FROM {source}.{quote_ident(sequence)}")  # noqa: S608
            positions[sequence] = list(cursor.fetchone())
        rows = {}
        for table, columns in blueprint.columns.items():
            with tempfile.TemporaryFile() as data:
                cursor.copy_expert(
                    f"COPY (SELECT {', '.join(columns)} FROM {source}.{quote_ident(table)}) TO STDOUT",  # noqa: S608
                    data,
                )
                rows[table] = cursor.rowcount
                _add(archive, f"rows/{table}.copy", data)
        manifest = {
            "format": FORMAT,
            "schema": schema,
            "region": Region.objects.filter(schema_name=schema)
            .values_list("name", flat=True)
            .first(),
            "exported_at": datetime.now(UTC).isoformat(),
            "migrations": blueprint.fingerprint,
            "columns": blueprint.columns,
            "rows": rows,
            "sequences": positions,
        }
        statements = {"structure": blueprint.structure, "finish": blueprint.finish}
        _add(archive, "manifest.json", io.BytesIO(json.dumps(manifest, indent=1).encode()))
        _add(archive, "statements.json", io.BytesIO(json.dumps(statements).encode()))
    return manifest


def restore_region_schema(path: Path, target: str) -> dict:
    """Build schema `target` from a file made by export_region_schema; returns its manifest."""
    if not SCHEMA_NAME.match(target) or target in existing_schemas([target]):
        raise BackupError(f"{target} is no new schema name")
    schema_sql = quote_ident(target)
    with tarfile.open(path, mode="r:gz") as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
        if manifest.get("format") != FORMAT:
            raise BackupError(f"{path} is no region backup of this platform")
        statements = json.load(archive.extractfile("statements.json"))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"CREATE SCHEMA {schema_sql}")
            for statement in statements["structure"]:
                cursor.execute(statement.replace(PLACEHOLDER, schema_sql))
            for table, columns in manifest["columns"].items():
                cursor.copy_expert(
                    f"COPY {schema_sql}.{quote_ident(table)} ({', '.join(columns)}) FROM STDIN",
                    archive.extractfile(f"rows/{table}.copy"),
                )
            for sequence, (last_value, is_called) in manifest["sequences"].items():
                cursor.execute(
                    "SELECT setval(%s::regclass, %s, %s)",
                    [f"{schema_sql}.{quote_ident(sequence)}", last_value, is_called],
                )
            for statement in statements["finish"]:
                cursor.execute(statement.replace(PLACEHOLDER, schema_sql))
            grant_app_privileges([target])
    return manifest


@transaction.atomic
def register_restored_region(schema: str, name: str) -> Region:
    """Make a restored schema a region, suspended until a national administrator lets it in."""
    slug = schema.replace("_", "-")
    region = Region.objects.create(
        schema_name=schema,
        slug=slug,
        name=_("%(name)s (hersteld)") % {"name": name},
        is_suspended=True,
    )
    Domain.objects.create(domain=default_domain(slug), tenant=region, is_primary=True)
    return region
