"""Personal data encrypted at rest, and blind indexes to find matches without decrypting.

Fields holding what identifies a victim, suspect or reporter are stored as Fernet
tokens (AES-128-CBC with HMAC-SHA256). Keys come from FIELD_ENCRYPTION_KEYS, newest
first, so a key can be rotated: old rows stay readable and are re-encrypted on save.
A blind index (HMAC of the normalised value, with a separate key) lets the intake
find "the same person" by exact name or school without storing either in the clear.
"""

import functools
import hashlib
import hmac
import unicodedata

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.db import models


@functools.cache
def cipher() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in settings.FIELD_ENCRYPTION_KEYS])


def encrypt(text: str) -> str:
    return cipher().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    return cipher().decrypt(token.encode("ascii")).decode("utf-8")


def normalise(value: str) -> str:
    """Case, accents and spacing do not make a different person."""
    stripped = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    return " ".join(stripped.lower().split())


def keyed_digest(text: str, purpose: bytes = b"") -> str:
    """HMAC-SHA256 under BLIND_INDEX_KEY; `purpose` keeps digests for different uses apart."""
    return hmac.new(settings.BLIND_INDEX_KEY, purpose + text.encode(), hashlib.sha256).hexdigest()


def blind_index(value: str) -> str:
    normalised = normalise(value or "")
    return keyed_digest(normalised) if normalised else ""


class EncryptedTextField(models.TextField):
    """Text stored encrypted; it can be read and written, but not searched or sorted in SQL."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_lookup(self, lookup_name):
        # Comparing ciphertexts means nothing; use the blind index instead.
        return super().get_lookup(lookup_name) if lookup_name == "isnull" else None
