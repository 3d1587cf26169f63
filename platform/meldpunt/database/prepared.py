"""Server-side prepared statements for what a connection runs again and again.

PostgreSQL spent most of a page's share planning its statements (the case page's
EXISTS statement 1.14 ms planning for 0.44 ms execution). psycopg 3 prepares a
statement after it was seen `prepare_threshold` times on a connection; psycopg2 has no
such thing, so this is the same idea at the cursor: a plain cursor's `execute(sql,
params)` of one SELECT, INSERT, UPDATE, DELETE or WITH statement counts how often its
connection has run that text with parameters of those types; the `threshold`-th time
it is prepared (`PREPARE mp_<n> (<types>) AS <sql with $1..$n>`) and from then on
runs as `EXECUTE mp_<n>(%s, ...)`: psycopg2 still turns the values into literals.

What stays the same:

- The parameters' types are declared as the literal psycopg2 would have sent: `5` is
  an integer, `'2024-01-01'::date` a date, `'abc'` and NULL of unknown type (PostgreSQL
  infers it from where the parameter stands, as it does for the literal). A statement
  whose parameters have other types (so another key), whose values psycopg2 cannot
  turn into one of those, or whose text has `;`, `$`, `%(name)s` or a stray `%`, runs
  as before.
- A statement PostgreSQL cannot prepare (a parameter whose type it cannot infer, say
  `%s IS NULL`) is prepared inside a savepoint when a transaction is open, so the
  transaction goes on; it is remembered as not preparable and runs as before. In a
  failed transaction nothing is prepared (the statement fails as it would have).
- An error of EXECUTE is the statement's own: the same SQLSTATE and exception class.
  Only "cached plan must not change result type" (a column's type changed under a kept
  connection, a migration) is the preparing's: the statement is forgotten and, outside
  a transaction, run again as before; inside one it surfaces (the transaction failed).
- Django's query log counts and shows the statement the code ran (`cursor.query` is
  what plain execution would have sent), never PREPARE or DEALLOCATE.

Why a region's statement stays a region's statement (PostgreSQL 15, tested in
tests/meldpunt/test_prepared_statements.py):

- A prepared statement remembers the search_path it was analysed under; when the path
  differs at EXECUTE (since 9.3) it is parsed and planned again with the current one,
  so after django-tenants switched the schema the same statement reads the other
  region's tables. After DDL or new statistics on what it uses it is planned again too.
- Permissions are checked when the statement executes, as the current role (after
  our backend's `SET ROLE <region role>`), not when it was prepared; a plan that
  depends on the role (row-level security) is made again for another role.
- Prepared statements belong to the session and are not transactional: a rollback
  keeps those prepared in it, and DEALLOCATE is not undone either. The map lives on
  the psycopg2 connection object, so a new connection (Django's reconnect after a
  failed health check, CONN_MAX_AGE) starts empty and a closed one is cleared. A
  `DISCARD ALL` or `DEALLOCATE` run through a cursor clears the map. PgBouncer in
  session mode (docs/pooling.md) runs `DISCARD ALL` only when the client disconnects,
  when this map goes with the connection.

The map is bounded: at most `size` prepared statements per connection (least recently
used deallocated) and as many texts counted.
"""

import datetime
import decimal
import re
import uuid
from collections import OrderedDict
from functools import lru_cache

import psycopg2
from psycopg2.extensions import TRANSACTION_STATUS_IDLE, TRANSACTION_STATUS_INERROR
from psycopg2.extras import Json

NOT_PREPARABLE = False
_KINDS = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "(SELECT", "VALUES")
_FORGETTING = ("DISCARD", "DEALLOCATE")
# A migration's DDL may change what a prepared statement returns ("cached plan must not
# change result type" inside the migration's transaction): it starts the map afresh.
_CHANGING = ("ALTER", "CREATE", "DROP")
_PLACEHOLDER = re.compile(r"%(.|\Z)", re.DOTALL)
# Quoted text and comments, where psycopg2 fills a %s in as a literal but $1 would be
# text of its own.
_QUOTED = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/", re.DOTALL)
_SAVEPOINT = "meldpunt_prepare"
_CHANGED_RESULT = "cached plan must not change result type"


@lru_cache(maxsize=1024)
def prepared_body(sql: str, with_params: bool) -> tuple[str, int] | None:
    """`sql` with $1..$n for psycopg2's placeholders and its number of them, or None.

    psycopg2 formats the whole text when it has parameters (literals included), so
    every `%s` is a parameter and `%%` a percent sign; without parameters it sends the
    text as it is.
    """
    head = sql.lstrip()[:7].upper()
    if not head.startswith(_KINDS) or ";" in sql or "$" in sql:
        return None
    if not with_params:
        return (sql, 0) if "%" not in sql else None
    for quoted in _QUOTED.finditer(sql):
        if any(found.group(1) != "%" for found in _PLACEHOLDER.finditer(quoted.group())):
            return None  # a parameter inside a literal or a comment
    count = 0

    def number(match: re.Match) -> str:
        nonlocal count
        if match.group(1) == "%":
            return "%"
        if match.group(1) != "s":
            raise ValueError(match.group(0))
        count += 1
        return f"${count}"

    try:
        body = _PLACEHOLDER.sub(number, sql)
    except ValueError:
        return None  # %(name)s, or a % psycopg2 refuses
    return body, count


def _integer(value: int) -> str:
    if -(2**31) < value < 2**31:
        return "int4"
    return "int8" if -(2**63) < value < 2**63 else "numeric"


def _float(value: float) -> str:
    # psycopg2 sends a finite float as a numeric constant (1.5), the rest as float.
    return "numeric" if value - value == 0 else "float8"


def _datetime(value: datetime.datetime) -> str:
    return "timestamptz" if value.tzinfo is not None else "timestamp"


def _time(value: datetime.time) -> str:
    return "timetz" if value.tzinfo is not None else "time"


def _array(value: list) -> str | None:
    # ARRAY[...] of the elements' type; '{}' and '{NULL}' are of unknown type.
    types = {_type_of(element) for element in value if element is not None}
    if not types:
        return "unknown"
    if types <= {"int4", "int8", "numeric"}:
        types = {max(types, key=("int4", "int8", "numeric").index)}
    if len(types) != 1:
        return None
    (element,) = types
    if element is None or element.endswith("[]") or element == "unknown":
        # ARRAY['a', 'b'] is text[]; nested or untyped arrays run as before.
        return "text[]" if element == "unknown" else None
    return f"{element}[]"


def _jsonb(value: Json) -> str:
    return "jsonb" if type(value).__name__ == "Jsonb" else "unknown"


# The type of the literal psycopg2 makes of a value of this Python type.
_FIXED: dict[type, object] = {
    str: "unknown",
    type(None): "unknown",
    bool: "bool",
    int: _integer,
    float: _float,
    decimal.Decimal: "numeric",
    datetime.datetime: _datetime,
    datetime.date: "date",
    datetime.time: _time,
    datetime.timedelta: "interval",
    bytes: "bytea",
    bytearray: "bytea",
    memoryview: "bytea",
    uuid.UUID: "uuid",
    list: _array,
}
_KNOWN: dict[type, object] = dict(_FIXED)


def _type_of(value) -> str | None:
    kind = type(value)
    try:
        found = _KNOWN[kind]
    except KeyError:
        found = _KNOWN[kind] = _subclass_type(kind)
    return found if found is None or found.__class__ is str else found(value)


def _subclass_type(kind: type):
    """For an enum member (a str or int subclass), a Json adapter: its base's type."""
    if issubclass(kind, Json):
        return _jsonb
    if issubclass(kind, bool):
        return "bool"
    for base in (str, int, float, decimal.Decimal, datetime.datetime, datetime.date):
        if issubclass(kind, base):
            return _FIXED[base]
    return None


def parameter_types(params) -> tuple | None:
    """The declared types for `params`, or None when one has no simple literal."""
    types = tuple(map(_type_of, params))
    return None if None in types else types


class Statements:
    """One connection's prepared statements and counts, least recently used first."""

    def __init__(self, threshold: int, size: int) -> None:
        self.threshold, self.size = threshold, size
        self.prepared: OrderedDict = OrderedDict()  # (sql, types) -> (name, EXECUTE) or False
        self.seen: OrderedDict = OrderedDict()  # (sql, types) -> times seen
        self.unused: list[str] = []  # names to deallocate with the next PREPARE
        self.number = 0

    def clear(self) -> None:
        self.prepared.clear()
        self.seen.clear()
        self.unused.clear()

    def count(self, key) -> bool:
        """Count `key` once more; whether it is to be prepared now."""
        times = self.seen.pop(key, 0) + 1
        if times >= self.threshold:
            return True
        self.seen[key] = times
        if len(self.seen) > self.size:
            self.seen.popitem(last=False)
        return False

    def name(self) -> str:
        self.number += 1
        return f"mp_{self.number}"

    def make_room(self) -> None:
        """Room for one more: the least recently used go, deallocated with the next PREPARE."""
        while len(self.prepared) >= self.size:
            _, evicted = self.prepared.popitem(last=False)
            if evicted:
                self.unused.append(evicted[0])

    def forget(self, key) -> None:
        statement = self.prepared.pop(key, None)
        if statement:
            self.unused.append(statement[0])


def preparing_connection(threshold: int, size: int) -> type:
    """A psycopg2 connection with its own map of prepared statements."""

    class PreparingConnection(psycopg2.extensions.connection):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self.statements = Statements(threshold, size)

        def close(self) -> None:
            self.statements.clear()
            super().close()

    return PreparingConnection


def preparing_cursor(cursor_class: type) -> type:
    """`cursor_class`, running what its connection runs often as prepared statements."""

    plain_execute = cursor_class.execute
    plain_query = cursor_class.query

    class PreparingCursor(cursor_class):
        ran = None  # (sql, params) of the last statement when it ran prepared

        @property
        def query(self):
            # What plain execution would have sent, for Django's query log.
            if self.ran is not None:
                return self.mogrify(*self.ran)
            return plain_query.__get__(self)

        def execute(self, query, vars=None):
            self.ran = None
            statements = getattr(self.connection, "statements", None)
            if statements is None or self.name is not None or query.__class__ is not str:
                return plain_execute(self, query, vars)
            if vars is not None and vars.__class__ is not list and vars.__class__ is not tuple:
                return plain_execute(self, query, vars)  # named parameters
            prepared = prepared_body(query, vars is not None)
            if prepared is None:
                head = query.lstrip()[:10].upper()
                if head.startswith(_FORGETTING):
                    statements.clear()
                elif head.startswith(_CHANGING) and statements.prepared:
                    statements.clear()
                    plain_execute(self, "DEALLOCATE ALL")
                return plain_execute(self, query, vars)
            body, count = prepared
            if count != len(vars or ()):
                return plain_execute(self, query, vars)  # psycopg2 says what is wrong
            types = parameter_types(vars) if count else ()
            if types is None:
                return plain_execute(self, query, vars)
            key = (query, types)
            statement = statements.prepared.get(key)
            if statement is None:
                if not statements.count(key) or not self._prepare(statements, key, body):
                    return plain_execute(self, query, vars)
                statement = statements.prepared[key]
            elif statement is NOT_PREPARABLE:
                return plain_execute(self, query, vars)
            else:
                statements.prepared.move_to_end(key)
            return self._execute_prepared(statements, key, statement[1], query, vars)

        def _execute_prepared(self, statements, key, executing, query, vars):
            outside = self.connection.autocommit and (
                self.connection.get_transaction_status() == TRANSACTION_STATUS_IDLE
            )
            self.ran = (query, vars)
            try:
                return plain_execute(self, executing, vars or None)
            except psycopg2.errors.FeatureNotSupported as error:
                if _CHANGED_RESULT not in str(error):
                    raise
                statements.forget(key)
                if not outside:
                    raise
            self.ran = None
            return plain_execute(self, query, vars)

        def _prepare(self, statements, key, body) -> bool:
            """PREPARE `key` on this connection; whether it could be."""
            status = self.connection.get_transaction_status()
            if status == TRANSACTION_STATUS_INERROR:
                return False  # the statement fails as it would have
            statements.make_room()
            name = statements.name()
            types = ", ".join(key[1])
            steps = [f"DEALLOCATE {unused}" for unused in statements.unused]
            statements.unused.clear()
            steps.append(
                f"PREPARE {name} ({types}) AS {body}" if types else f"PREPARE {name} AS {body}"
            )
            in_transaction = status != TRANSACTION_STATUS_IDLE or not self.connection.autocommit
            if in_transaction:
                steps = [f"SAVEPOINT {_SAVEPOINT}", *steps, f"RELEASE SAVEPOINT {_SAVEPOINT}"]
            try:
                plain_execute(self, "; ".join(steps))
            except psycopg2.Error:
                if self.connection.closed:
                    raise
                if in_transaction:
                    plain_execute(
                        self,
                        f"ROLLBACK TO SAVEPOINT {_SAVEPOINT}; RELEASE SAVEPOINT {_SAVEPOINT}",
                    )
                statements.prepared[key] = NOT_PREPARABLE
                return False
            placeholders = ", ".join(["%s"] * len(key[1]))
            executing = f"EXECUTE {name}({placeholders})" if placeholders else f"EXECUTE {name}"
            statements.prepared[key] = (name, executing)
            return True

    return PreparingCursor
