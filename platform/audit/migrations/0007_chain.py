"""Each audit line gets the database's time and a hash chained to the line before it.

`audit_chain_line()`, a BEFORE INSERT trigger, refuses a line whose time is not the
database's own (the column's default, the statement's time, or the transaction's),
then, holding a transaction-level advisory lock on the region's table so concurrent
writers queue, gives the line the next place in the chain and
sha256(hash of the previous line || the line's fields as `audit_chain_hash` writes
them). It is SECURITY DEFINER and owned by the table's owner, so it reads the last
hash whichever role inserts (the application's, or a region's own role). The lines
already there are chained in the order of their ids, by a data migration that lifts
the append-only trigger for its own UPDATE, in this transaction only.

Like `audit_remove_expired` (0005), the functions name the table with the schema's
name, which the onboarding blueprint rewrites for every new region.
"""

import django.db.models.functions.datetime
from django.db import migrations, models

# The hash "before" the first line of a chain.
GENESIS = "0" * 64

CHAIN_FUNCTIONS = """
CREATE FUNCTION {schema}.audit_chain_hash(previous text, line anyelement) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    -- The fields in a fixed order as JSON text; the time in UTC, whatever the session's zone.
    RETURN encode(sha256(convert_to(previous || jsonb_build_array(
        line.chain_number,
        to_char(line.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        line.user_id, line.user_email, line.role, line.on_behalf_of, host(line.ip_address),
        line.action, line.object_type, line.object_id, line.case_id, line.person_id,
        line.grounds, line.detail, line.changes
    )::text, 'UTF8')), 'hex');
END;
$$;

CREATE FUNCTION {schema}.audit_chain_line() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    last_number bigint;
    last_hash text;
BEGIN
    IF NEW.at IS DISTINCT FROM statement_timestamp()
       AND NEW.at IS DISTINCT FROM transaction_timestamp() THEN
        RAISE EXCEPTION 'audit lines take the database''s time; % refused', NEW.at
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- One writer at a time per region's table, until its transaction ends: the next
    -- writer then sees this line as the last one.
    PERFORM pg_advisory_xact_lock(1096107092, TG_RELID::integer);
    SELECT chain_number, chain_hash INTO last_number, last_hash
        FROM {schema}.audit_auditentry WHERE chain_number IS NOT NULL
        ORDER BY chain_number DESC LIMIT 1;
    NEW.chain_number := coalesce(last_number, 0) + 1;
    NEW.chain_hash := {schema}.audit_chain_hash(coalesce(last_hash, '{genesis}'), NEW);
    RETURN NEW;
END;
$$;
REVOKE ALL ON FUNCTION {schema}.audit_chain_line() FROM PUBLIC;
"""

CHAIN_EXISTING_LINES = """
ALTER TABLE {schema}.audit_auditentry DISABLE TRIGGER audit_auditentry_no_update_delete;
DO $$
DECLARE
    line {schema}.audit_auditentry;
    previous text := '{genesis}';
    place bigint := 0;
    ids bigint[] := ARRAY[]::bigint[];
    hashes text[] := ARRAY[]::text[];
BEGIN
    -- The hashes one after another (each needs the one before), then one UPDATE for all.
    FOR line IN SELECT * FROM {schema}.audit_auditentry ORDER BY id LOOP
        place := place + 1;
        line.chain_number := place;
        previous := {schema}.audit_chain_hash(previous, line);
        ids := ids || line.id;
        hashes := hashes || previous;
    END LOOP;
    UPDATE {schema}.audit_auditentry SET chain_number = chained.place, chain_hash = chained.hash
        FROM unnest(ids, hashes) WITH ORDINALITY AS chained (id, hash, place)
        WHERE audit_auditentry.id = chained.id;
END;
$$;
ALTER TABLE {schema}.audit_auditentry ENABLE TRIGGER audit_auditentry_no_update_delete;
CREATE TRIGGER audit_auditentry_chain BEFORE INSERT ON {schema}.audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION {schema}.audit_chain_line();
"""

UNCHAIN = """
DROP TRIGGER audit_auditentry_chain ON {schema}.audit_auditentry;
DROP FUNCTION {schema}.audit_chain_line();
DROP FUNCTION {schema}.audit_chain_hash(text, anyelement);
"""


def quoted_schema(schema_editor) -> str:
    # quote_ident, not Django's quote_name: the blueprint looks for the name exactly as
    # PostgreSQL's quote_ident writes it, which leaves a plain name unquoted.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT quote_ident(%s)", [schema_editor.connection.schema_name])
        return cursor.fetchone()[0]


def run(schema_editor, sql: str) -> None:
    # Straight to the cursor: without parameters, the '%' of RAISE stays as it is.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(sql.format(schema=quoted_schema(schema_editor), genesis=GENESIS))


def chain(apps, schema_editor) -> None:
    run(schema_editor, CHAIN_FUNCTIONS)
    run(schema_editor, CHAIN_EXISTING_LINES)


def unchain(apps, schema_editor) -> None:
    run(schema_editor, UNCHAIN)


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_person_and_user_indexes")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="chain_hash",
            field=models.CharField(
                editable=False, max_length=64, null=True, verbose_name="ketenhash"
            ),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="chain_number",
            field=models.BigIntegerField(
                editable=False, null=True, verbose_name="plaats in de keten"
            ),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="at",
            field=models.DateTimeField(
                db_default=django.db.models.functions.datetime.Now(),
                db_index=True,
                verbose_name="tijdstip",
            ),
        ),
        migrations.AddConstraint(
            model_name="auditentry",
            constraint=models.UniqueConstraint(
                fields=("chain_number",), name="audit_one_line_per_chain_place"
            ),
        ),
        migrations.RunPython(chain, unchain),
    ]
