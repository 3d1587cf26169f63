"""Personal data encrypted at rest, under keys of the region it belongs to, and blind
indexes to find matches without decrypting.

Fields holding what identifies a victim, suspect or reporter, and every free text
about a case, are stored as Fernet tokens (AES-128-CBC with HMAC-SHA256). The keys
are derived per schema from FIELD_ENCRYPTION_KEYS (newest first), so a dump of one
region's schema is useless with another region's keys, and a key can be rotated:
rows written under an older key stay readable until `reencrypt_region` rewrites
them. A blind index (HMAC of the normalised value under the region's own index key)
lets the intake and the search find "the same person" by exact name or school
without storing either in the clear, and without linking one person across regions.
"""

import base64
import functools
import hashlib
import hmac
import json
import unicodedata
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import connection, models


def derive(master: bytes, purpose: bytes, schema: str) -> bytes:
    return hmac.new(master, purpose + b":" + schema.encode(), hashlib.sha256).digest()


# What a key is derived for: the fields, and the sessions apart from them, so that no
# ciphertext of a text a visitor typed can pass for a session.
FIELDS, SESSIONS = b"fernet", b"session"


@functools.lru_cache(maxsize=4096)
def region_cipher(schema: str, keys: tuple[str, ...], purpose: bytes = FIELDS) -> MultiFernet:
    return MultiFernet(
        [Fernet(base64.urlsafe_b64encode(derive(key.encode(), purpose, schema))) for key in keys]
    )


def cipher(schema: str | None = None, purpose: bytes = FIELDS) -> MultiFernet:
    """The cipher of `schema` (default: the schema of the current connection)."""
    return region_cipher(
        schema or connection.schema_name, tuple(settings.FIELD_ENCRYPTION_KEYS), purpose
    )


def encrypt(text: str, schema: str | None = None) -> str:
    return cipher(schema).encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str, schema: str | None = None) -> str:
    return cipher(schema).decrypt(token.encode("ascii")).decode("utf-8")


def is_current(token: str | bytes, schema: str | None = None) -> bool:
    """True when `token` is encrypted under the newest key (nothing to rotate)."""
    newest = region_cipher(
        schema or connection.schema_name, tuple(settings.FIELD_ENCRYPTION_KEYS[:1])
    )
    try:
        newest.decrypt(token.encode("ascii") if isinstance(token, str) else token)
    except InvalidToken:
        return False
    return True


def normalise(value: str) -> str:
    """Case, accents and spacing do not make a different person."""
    stripped = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    return " ".join(stripped.lower().split())


@functools.lru_cache(maxsize=4096)
def region_index_key(schema: str, key: bytes) -> bytes:
    return derive(key, b"blind-index", schema)


def keyed_digest(text: str, purpose: bytes = b"") -> str:
    """HMAC-SHA256 under the region's index key; `purpose` keeps digests for different
    uses apart."""
    key = region_index_key(connection.schema_name, settings.BLIND_INDEX_KEY)
    return hmac.new(key, purpose + text.encode(), hashlib.sha256).hexdigest()


def platform_digest(text: str, purpose: bytes) -> str:
    """HMAC-SHA256 under the platform's index key, the same in every region: only for
    random values (secrets), which link nobody across regions."""
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


class EncryptedJSONField(models.TextField):
    """A JSON value (answers, old and new values) stored encrypted as one token."""

    def get_prep_value(self, value: Any):
        if value is None:
            return None
        return encrypt(json.dumps(value, ensure_ascii=False, sort_keys=True, default=str))

    def from_db_value(self, value, expression, connection):
        return json.loads(decrypt(value)) if value else None

    def to_python(self, value):
        return json.loads(value) if isinstance(value, str) else value

    def value_to_string(self, obj) -> str:
        return json.dumps(self.value_from_object(obj), default=str)

    def get_lookup(self, lookup_name):
        return super().get_lookup(lookup_name) if lookup_name == "isnull" else None


class EncryptedBinaryField(models.BinaryField):
    """File contents stored as one token (an attachment)."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return cipher().encrypt(bytes(value)) if value is not None else None

    def from_db_value(self, value, expression, connection):
        return cipher().decrypt(bytes(value)) if value is not None else None


ENCRYPTED_FIELDS = (EncryptedTextField, EncryptedJSONField, EncryptedBinaryField)
