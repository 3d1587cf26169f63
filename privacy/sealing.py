"""Values about one person, sealed in the audit log under that person's own key.

The audit log is append-only and kept for years; a person's data are erased when their
case is anonymised or on their request. The old and new values of a correction are
therefore sealed under a key of the person (crypto-shredding): the line keeps who
changed what, when and why, and the values become unreadable when the key goes.
"""

from collections.abc import Iterable
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.utils import timezone

from privacy.models import PersonKey
from workflow.models import InvolvedPerson

SEALED_PREFIX = "verzegeld:"


def seal(person: InvolvedPerson, value: Any) -> str:
    """`value` as a token only the person's key opens."""
    key, _created = PersonKey.objects.get_or_create(
        person=person, defaults={"key": Fernet.generate_key().decode()}
    )
    if not key.key:
        raise ValueError("the key of this person was destroyed with their data")
    return SEALED_PREFIX + Fernet(key.key.encode()).encrypt(str(value).encode()).decode()


def is_sealed(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(SEALED_PREFIX)


def keys_for(person_ids: Iterable[str]) -> dict[str, str]:
    """The usable keys of these persons (audit lines name them by id), in one query."""
    wanted = [int(pk) for pk in person_ids if str(pk).isdigit()]
    rows = PersonKey.objects.filter(person_id__in=wanted, destroyed_at__isnull=True)
    return {str(row.person_id): row.key for row in rows if row.key}


def unseal(value: Any, key: str | None) -> tuple[Any, bool]:
    """The value and whether it could be read; a sealed value whose key was destroyed
    reads as (None, False)."""
    if not is_sealed(value):
        return value, True
    if not key:
        return None, False
    try:
        return Fernet(key.encode()).decrypt(value[len(SEALED_PREFIX) :].encode()).decode(), True
    except InvalidToken:
        return None, False


def destroy_keys(persons: Iterable[InvolvedPerson]) -> int:
    return PersonKey.objects.filter(person__in=list(persons), destroyed_at__isnull=True).update(
        key="", destroyed_at=timezone.now()
    )
