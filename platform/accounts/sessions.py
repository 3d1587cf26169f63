"""Sessions stored encrypted: a session may hold a reporter's follow-up secret for the
minutes between sending a report and reading the confirmation, and the staff's
intake codes; a dump of the session table must not give those away.

The session's JSON is a Fernet token under the region's key (meldpunt.encryption):
Fernet authenticates as well as encrypts (HMAC-SHA256), so Django's own signing
(another HMAC, zlib and base64 inside the token) checked the same thing twice on every
signed-in request. Sessions written that way before are still read.

The table stays the only store, no copy in Redis: a session deleted at sign-out must be
gone everywhere at once, and a Redis that missed the deletion (down at that moment)
would hand it back when it returned.
"""

import json

from cryptography.fernet import InvalidToken
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

from meldpunt.encryption import decrypt, encrypt


class SessionStore(DatabaseSessionStore):
    def encode(self, session_dict: dict) -> str:
        return encrypt(json.dumps(session_dict, separators=(",", ":")))

    def decode(self, session_data: str) -> dict:
        try:
            text = decrypt(session_data)
        except (InvalidToken, ValueError):
            return {}  # unreadable (a session from before encryption): start a new one
        try:
            session = json.loads(text)
        except ValueError:
            # Signed by Django inside the token, as sessions were written before.
            return super().decode(text)
        return session if isinstance(session, dict) else {}
