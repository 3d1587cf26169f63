"""Creates the database named in DATABASE_URL if it does not exist yet."""

import os
import sys

import dj_database_url
import psycopg2
from psycopg2 import sql

DEFAULT_URL = "postgres://postgres:postgres@127.0.0.1:5432/meldpunt"


def main() -> int:
    config = dj_database_url.parse(os.environ.get("DATABASE_URL", DEFAULT_URL))
    name = sys.argv[1] if len(sys.argv) > 1 else config["NAME"]
    connection = psycopg2.connect(
        dbname="postgres",
        user=config["USER"],
        password=config["PASSWORD"],
        host=config["HOST"],
        port=config["PORT"] or 5432,
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Database {name} created")
    connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
