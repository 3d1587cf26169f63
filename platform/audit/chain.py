"""Checking the current schema's audit chain: each line's hash recomputed from its fields
and the hash of the line before it, by the database function that wrote it.

The trigger of migration 0007 gives every new line its place in the chain and
sha256(previous hash || the line's fields). A line changed afterwards (by someone
who could lift the append-only trigger) no longer matches its hash; a removed line
leaves a gap in the places; a line added behind the trigger's back has no place.
Only the start of the chain may be missing, and only once the retention function has
removed the oldest lines (it writes a `destroy` line when it does).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

# The hash "before" the first line (migration 0007's GENESIS).
GENESIS = "0" * 64

CHECK_SQL = """
WITH chained AS (
    SELECT id, at, chain_number, chain_hash,
           lag(chain_number) OVER in_chain AS previous_number,
           audit_chain_hash(coalesce(lag(chain_hash) OVER in_chain, %(genesis)s), line) AS expected
    FROM audit_auditentry line
    WHERE chain_number IS NOT NULL
    WINDOW in_chain AS (ORDER BY chain_number)
), judged AS (
    SELECT id, at,
           CASE
               WHEN previous_number = chain_number - 1 OR chain_number = 1 AND previous_number IS NULL
                   THEN chain_hash IS NOT DISTINCT FROM expected
               WHEN previous_number IS NULL THEN EXISTS (
                   SELECT 1 FROM audit_auditentry WHERE action = 'destroy'
                   AND object_type = 'audit.AuditEntry')
               ELSE false
           END AS sound
    FROM chained
    UNION ALL
    SELECT id, at, false FROM audit_auditentry WHERE chain_number IS NULL
)
SELECT count(*),
       count(*) FILTER (WHERE NOT sound),
       (array_agg(id ORDER BY at, id) FILTER (WHERE NOT sound))[1],
       (array_agg(at ORDER BY at, id) FILTER (WHERE NOT sound))[1]
FROM judged
"""


@dataclass(frozen=True)
class ChainReport:
    lines: int
    broken: int
    first_broken_id: int | None
    first_broken_at: datetime | None

    @property
    def intact(self) -> bool:
        return self.broken == 0

    def summary(self) -> str:
        if self.intact:
            return _("keten intact, %(lines)s regels") % {"lines": self.lines}
        return _(
            "eerste breuk bij regel %(id)s van %(at)s; %(broken)s van %(lines)s regels kloppen niet"
        ) % {
            "id": self.first_broken_id,
            "at": f"{timezone.localtime(self.first_broken_at):%d-%m-%Y %H:%M:%S}",
            "broken": self.broken,
            "lines": self.lines,
        }


def verify_chain() -> ChainReport:
    """The state of the chain of the schema the connection is in, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(CHECK_SQL, {"genesis": GENESIS})
        return ChainReport(*cursor.fetchone())
