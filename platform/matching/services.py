"""Matching across regions without sharing content: the platform computes a person's
digest under the platform-wide MATCHING_KEY, keeps it with the region and the region's
opaque token, and answers a region which of its tokens another region holds too.

Every read and write here runs in the public schema as the application role (as the
benchmark's writes do): a region's own database role can read neither the key (it is
no table) nor this table. A region only ever learns its own tokens and the other
regions' ids, never another region's token or case.
"""

import hashlib
import hmac
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django_tenants.utils import get_public_schema_name, schema_context

from matching.models import MatchDigest
from meldpunt.encryption import normalise
from tenants.models import Region

PURPOSE = b"identity:"


def identity_digest(name: str, birth_year: int | None) -> str:
    """The digest of a name with a birth year, or "" when either is missing: a name alone
    matches too many people. Case, accents and spacing are normalised; a spelling
    variant gives another digest, so it is never matched."""
    normalised = normalise(name or "")
    if not normalised or not birth_year:
        return ""
    identity = f"{normalised}|{birth_year:04d}"
    return hmac.new(settings.MATCHING_KEY, PURPOSE + identity.encode(), hashlib.sha256).hexdigest()


def store(region: Region, token: str, digest: str) -> None:
    """The region's token now stands for `digest` (replacing what it stood for before)."""
    with schema_context(get_public_schema_name()), transaction.atomic():
        MatchDigest.objects.update_or_create(
            token=token, defaults={"digest": digest, "region": region}
        )


def forget(region: Region, tokens: Iterable[str]) -> int:
    """Remove the region's digests of these tokens."""
    tokens = list(tokens)
    if not tokens:
        return 0
    with schema_context(get_public_schema_name()):
        removed, _by_model = MatchDigest.objects.filter(region=region, token__in=tokens).delete()
    return removed


def forget_region(region: Region) -> int:
    """Remove every digest of the region (it switched matching off)."""
    with schema_context(get_public_schema_name()):
        removed, _by_model = MatchDigest.objects.filter(region=region).delete()
    return removed


def matches_of(region: Region) -> list[tuple[str, int]]:
    """(the region's own token, another region's id) for every digest of the region that
    another region holds too; one pair per other region, however many cases it has."""
    with schema_context(get_public_schema_name()), connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT mine.token, other.region_id FROM matching_matchdigest mine"
            " JOIN matching_matchdigest other"
            " ON other.digest = mine.digest AND other.region_id <> mine.region_id"
            " WHERE mine.region_id = %s ORDER BY mine.token, other.region_id",
            [region.pk],
        )
        return [(token, other) for token, other in cursor.fetchall()]
