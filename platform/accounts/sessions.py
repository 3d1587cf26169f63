"""Sessions stored encrypted: a session may hold a reporter's follow-up secret for the
minutes between sending a report and reading the confirmation, and the staff's
intake codes; a dump of the session table must not give those away.

The session's JSON is a Fernet token under the region's session key
(meldpunt.encryption.SESSIONS): Fernet authenticates as well as encrypts (HMAC-SHA256),
so Django's own signing (another HMAC, zlib and base64 inside the token) checked the
same thing twice on every signed-in request. The key is not the fields' key: every
free text a visitor types is stored as a token under that one, and such a token copied
into the session table must not read as a session. Sessions written before, signed by
Django inside a token under the fields' key, are still read (and the sign-in backend
they name by its name of then, accounts.backends).

The table stays the only store, no copy in Redis: a session deleted at sign-out must be
gone everywhere at once, and a Redis that missed the deletion (down at that moment)
would hand it back when it returned.
"""

import functools
import json
from datetime import UTC, datetime

from cryptography.fernet import InvalidToken
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from accounts.backends import RENAMED
from meldpunt.encryption import SESSIONS, cipher, decrypt


@functools.cache
def session_query() -> tuple[str, tuple[bool, ...]]:
    """The statement that reads a live session's data, compiled once per process (the
    ORM compiled it anew on every signed-in request), and for each of its parameters
    whether it is the time (else the session key)."""
    live = Session.objects.filter(session_key="", expire_date__gt=datetime.now(UTC))
    sql, params = live.values_list("session_data").order_by().query.sql_with_params()
    return sql, tuple(isinstance(param, datetime) for param in params)


class SessionStore(DatabaseSessionStore):
    def load(self) -> dict:
        sql, is_time = session_query()
        now = timezone.now()
        with connection.cursor() as cursor:
            cursor.execute(sql, [now if time else self.session_key for time in is_time])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # gone or expired: a new one is made when needed
            return {}
        return self.decode(row[0])

    def encode(self, session_dict: dict) -> str:
        token = cipher(purpose=SESSIONS).encrypt(
            json.dumps(session_dict, separators=(",", ":")).encode()
        )
        return token.decode("ascii")

    def decode(self, session_data: str) -> dict:
        try:
            session = json.loads(cipher(purpose=SESSIONS).decrypt(session_data.encode("ascii")))
        except (InvalidToken, ValueError):
            return self.decode_signed(session_data)
        return session if isinstance(session, dict) else {}

    def decode_signed(self, session_data: str) -> dict:
        """A session as they were written before: signed by Django inside a token under
        the fields' key; its sign-in backend under its name of then. Anything else
        (unreadable, or a session from before encryption) is no session: a new one is
        started."""
        try:
            text = decrypt(session_data)
        except (InvalidToken, ValueError):
            return {}
        session = super().decode(text)  # {} unless Django's signature holds
        backend = session.get(BACKEND_SESSION_KEY)
        if backend in RENAMED:
            session[BACKEND_SESSION_KEY] = RENAMED[backend]
        return session
