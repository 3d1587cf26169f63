"""Creates the database named in DATABASE_URL if it does not exist yet.

`create_database.py NAME` works on another database of the same server;
`--recreate` drops it first and `--drop` only drops it (the browser tests use both).
"""

import argparse
import os
import sys

import dj_database_url
import psycopg2
from psycopg2 import sql

DEFAULT_URL = "postgres://postgres:postgres@127.0.0.1:5432/meldpunt"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("name", nargs="?")
    parser.add_argument("--recreate", action="store_true")
    parser.add_argument("--drop", action="store_true")
    arguments = parser.parse_args()
    config = dj_database_url.parse(os.environ.get("DATABASE_URL", DEFAULT_URL))
    name = arguments.name or config["NAME"]
    connection = psycopg2.connect(
        dbname="postgres",
        user=config["USER"],
        password=config["PASSWORD"],
        host=config["HOST"],
        port=config["PORT"] or 5432,
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        if arguments.recreate or arguments.drop:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        if not arguments.drop:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                print(f"Database {name} created")
    connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
