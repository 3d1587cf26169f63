"""django-tenants' PostgreSQL backend that also switches the database role with the schema.

django-tenants sends `SET search_path` before the first query after the schema
changed. Here the same statement carries the role the schema belongs to, in one
round trip: `SET ROLE <region role>; SET search_path = ...` in a region (the
tenant is a Region: a request, a task, `tenant_context`), `RESET ROLE; ...`
anywhere else (the public schema, or a schema chosen by name, as migrations
and maintenance commands do: they keep the role they connected as). Role and
path are set and, on a rollback, undone together, so they never disagree.
"""

from django.core.exceptions import ImproperlyConfigured
from django_tenants.postgresql_backend import base
from django_tenants.utils import get_public_schema_name
from psycopg2.extensions import TRANSACTION_STATUS_INERROR

from tenants.services.app_role import quote_ident, region_roles_in_use


class RoleNotSet(ImproperlyConfigured):
    """The region's role could not be taken: no query may run under the previous one."""


class _RoleWithSearchPath:
    """A cursor whose one statement, django-tenants' `SET search_path`, goes with the role."""

    def __init__(self, cursor, database: "DatabaseWrapper") -> None:
        self.cursor, self.database = cursor, database

    def execute(self, sql: str) -> None:
        role_statement = self.database.role_statement()
        if role_statement is None:
            self.cursor.execute(sql)
            return
        # django-tenants ignores a failed SET in a transaction that has failed already (the
        # next query fails too); any other failure would leave the previous region's role.
        aborted = self.database.connection.info.transaction_status == TRANSACTION_STATUS_INERROR
        try:
            self.cursor.execute(f"{role_statement}; {sql}")
        except Exception as error:
            if aborted:
                raise
            raise RoleNotSet(f"{role_statement} failed: {error}") from error

    def close(self) -> None:
        self.cursor.close()


class DatabaseWrapper(base.DatabaseWrapper):
    def role_statement(self) -> str | None:
        """What goes before the search_path; None where one role does everything."""
        if not region_roles_in_use():
            return None
        role = ""
        if self.schema_name != get_public_schema_name():
            role = getattr(self.tenant, "database_role", "")
        return f"SET ROLE {quote_ident(role)}" if role else "RESET ROLE"

    def _handle_search_path(self, cursor=None) -> None:
        # Without a cursor (a server-side one is being opened) django-tenants opens its own;
        # here one is opened to wrap, and closed the same way.
        target = self.connection.cursor() if cursor is None else cursor
        try:
            super()._handle_search_path(_RoleWithSearchPath(target, self))
        finally:
            if cursor is None:
                target.close()
