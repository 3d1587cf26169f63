"""Sessions stored encrypted: a session may hold a reporter's follow-up secret for the
minutes between sending a report and reading the confirmation, and the staff's
intake codes; a dump of the session table must not give those away."""

from cryptography.fernet import InvalidToken
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

from meldpunt.encryption import decrypt, encrypt


class SessionStore(DatabaseSessionStore):
    def encode(self, session_dict: dict) -> str:
        return encrypt(super().encode(session_dict))

    def decode(self, session_data: str) -> dict:
        try:
            return super().decode(decrypt(session_data))
        except (InvalidToken, ValueError):
            return {}  # unreadable (a session from before encryption): start a new one
