"""Creates the database named in DATABASE_URL and its two roles, as production has them.

`<database>_owner` owns the database and every schema in it: migrations and
the onboarding function run as that role, which creates each region's own
role (CREATEROLE). `<database>_app` is what the web server, worker and beat
connect as: it owns nothing, is no superuser and inherits nothing (NOINHERIT:
in a region it acts as the region's role, docs/database-roles.md), so the
audit log's triggers and the regions' separation hold against it
(tenants/services/app_role.py). DATABASE_URL itself is an administrator's
connection (the local superuser). Dropping drops the region roles too.

`create_database.py NAME` works on another database of the same server;
`--recreate` drops it first and `--drop` only drops it and its roles (the
browser tests use both). `--env owner|app` prints, without changing anything,
the environment a command needs to run as that role (`env $(...) command`).
A database left from before the roles existed is recreated: it holds demo data only.
"""

import argparse
import os
import sys
from urllib.parse import quote

import dj_database_url
import psycopg2
from psycopg2 import sql

DEFAULT_URL = "postgres://postgres:postgres@127.0.0.1:5432/meldpunt"
# Developer machines and CI only; production roles get their passwords from secrets.
DEV_PASSWORD = "meldpunt-dev"  # noqa: S105


def role_names(database: str) -> dict[str, str]:
    return {"owner": f"{database}_owner", "app": f"{database}_app"}


def role_url(config: dict, database: str, role: str) -> str:
    host, port = config["HOST"] or "127.0.0.1", config["PORT"] or 5432
    return f"postgres://{quote(role)}:{quote(DEV_PASSWORD)}@{host}:{port}/{quote(database)}"


def admin_connection(config: dict):
    """An autocommit connection to the server's `postgres` database, as `config`'s user."""
    connection = psycopg2.connect(
        dbname="postgres",
        user=config["USER"],
        password=config["PASSWORD"],
        host=config["HOST"],
        port=config["PORT"] or 5432,
    )
    connection.autocommit = True
    return connection


# The owner creates the region roles; the application role only switches to them.
ATTRIBUTES = {"owner": "CREATEROLE INHERIT", "app": "NOCREATEROLE NOINHERIT"}


def ensure_role(cursor, name: str, attributes: str = ATTRIBUTES["app"]) -> None:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
    verb = "ALTER" if cursor.fetchone() else "CREATE"
    cursor.execute(
        sql.SQL("{} ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOREPLICATION {} PASSWORD {}").format(
            sql.SQL(verb), sql.Identifier(name), sql.SQL(attributes), sql.Literal(DEV_PASSWORD)
        )
    )


def drop_region_roles(cursor, app_role: str) -> None:
    """The region roles of a database whose application role is `app_role`: those it may
    act as. Run after the database is gone (a role with privileges cannot be dropped)."""
    cursor.execute(
        "SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid "
        "JOIN pg_roles a ON a.oid = m.member WHERE a.rolname = %s AND NOT r.rolcanlogin",
        [app_role],
    )
    for (role,) in cursor.fetchall():
        cursor.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


def drop(cursor, name: str, roles: dict[str, str]) -> None:
    cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    drop_region_roles(cursor, roles["app"])
    for role in (roles["app"], roles["owner"]):
        cursor.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


def create(cursor, name: str, roles: dict[str, str]) -> None:
    for kind, role in roles.items():
        ensure_role(cursor, role, ATTRIBUTES[kind])
    cursor.execute("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = %s", [name])
    found = cursor.fetchone()
    if found and found[0] != roles["owner"]:
        print(f"Database {name} predates its owner role: recreating it")
        cursor.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        found = None
    if found is None:
        cursor.execute(
            sql.SQL("CREATE DATABASE {} OWNER {}").format(
                sql.Identifier(name), sql.Identifier(roles["owner"])
            )
        )
        print(f"Database {name} created, owned by {roles['owner']}")
    cursor.execute(
        sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(
            sql.Identifier(name), sql.Identifier(roles["app"])
        )
    )
    # A server setting, as the Cluster's parameters in deploy/k8s have it: clients send no
    # startup options (a pooler refuses them). JIT compiling cost more than short queries.
    cursor.execute(sql.SQL("ALTER DATABASE {} SET jit = off").format(sql.Identifier(name)))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("name", nargs="?")
    parser.add_argument("--recreate", action="store_true")
    parser.add_argument("--drop", action="store_true")
    parser.add_argument("--env", choices=["owner", "app"])
    arguments = parser.parse_args()
    config = dj_database_url.parse(os.environ.get("DATABASE_URL", DEFAULT_URL))
    name = arguments.name or config["NAME"]
    roles = role_names(name)
    if arguments.env:
        print(f"DATABASE_URL={role_url(config, name, roles[arguments.env])}")
        print(f"DATABASE_APP_ROLE={roles['app']}")
        return 0
    connection = admin_connection(config)
    with connection.cursor() as cursor:
        if arguments.recreate or arguments.drop:
            drop(cursor, name, roles)
        if not arguments.drop:
            create(cursor, name, roles)
    connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
