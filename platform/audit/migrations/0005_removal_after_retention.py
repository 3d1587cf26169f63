"""One narrow way to remove audit lines: after the retention period, never sooner than
five years (NEN 7513), through a database function.

`audit_remove_expired(retention_months)` is SECURITY DEFINER, owned by the table's
owner (the role that runs migrations). It refuses a period under 60 months, lifts the
append-only trigger for its own DELETE only (a transaction-local flag it sets and
clears around that statement), and writes a line saying how many lines it removed.
The trigger lets a DELETE through only while that flag is on AND for lines older than
five years, so an ordinary DELETE still fails, and even a forged flag cannot remove
a recent line. An application role without DELETE on the table (issue 12) can call
the function and nothing else; EXECUTE is granted to PUBLIC deliberately, since the
function's own floor is the guard, not who calls it.

The function names its table with the schema's name: the onboarding blueprint
(tenants/services/blueprint.py) rewrites "<template>." into "<new region>." in every
function it copies, so each new region gets a function that removes from its own
table only.
"""

from django.db import migrations

TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        -- Only audit_remove_expired() sets this flag, around its own DELETE.
        IF current_setting('meldpunt.audit_removal', true) = 'on'
           AND OLD.at < now() - interval '60 months' THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
"""

ORIGINAL_TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
"""

REMOVAL_FUNCTION = """
CREATE FUNCTION {schema}.audit_remove_expired(retention_months integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    cutoff timestamptz;
    removed integer;
BEGIN
    IF retention_months IS NULL OR retention_months < 60 THEN
        RAISE EXCEPTION 'audit lines are kept at least 60 months, not %', retention_months
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    cutoff := now() - make_interval(months => retention_months);
    PERFORM set_config('meldpunt.audit_removal', 'on', true);
    DELETE FROM {schema}.audit_auditentry WHERE at < cutoff;
    GET DIAGNOSTICS removed = ROW_COUNT;
    PERFORM set_config('meldpunt.audit_removal', 'off', true);
    IF removed > 0 THEN
        INSERT INTO {schema}.audit_auditentry (
            at, user_email, role, on_behalf_of, action, object_type, object_id,
            case_id, person_id, grounds, detail
        ) VALUES (
            now(), '', 'database', '', 'destroy', 'audit.AuditEntry', '', '', '',
            'bewaartermijn auditlog',
            jsonb_build_object(
                'verwijderd', removed, 'ouder_dan', cutoff, 'maanden', retention_months
            )
        );
    END IF;
    RETURN removed;
END;
$$;
REVOKE ALL ON FUNCTION {schema}.audit_remove_expired(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION {schema}.audit_remove_expired(integer) TO PUBLIC;
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
        cursor.execute(sql)


def create(apps, schema_editor) -> None:
    run(schema_editor, TRIGGER_FUNCTION)
    run(schema_editor, REMOVAL_FUNCTION.format(schema=quoted_schema(schema_editor)))


def drop(apps, schema_editor) -> None:
    run(
        schema_editor, f"DROP FUNCTION {quoted_schema(schema_editor)}.audit_remove_expired(integer)"
    )
    run(schema_editor, ORIGINAL_TRIGGER_FUNCTION)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_destroy_action")]

    operations = [migrations.RunPython(create, drop)]
