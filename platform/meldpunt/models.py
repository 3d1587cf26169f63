"""The one table of the project shell: where the cache lives while Redis is down."""

from django.db import models

from meldpunt.cache import FALLBACK_TABLE


class CacheFallbackEntry(models.Model):
    """Django's database-cache layout (what `createcachetable` makes), created by a
    migration so that every schema has it, the template new regions are cloned from
    included. Only `meldpunt.cache` reads and writes it."""

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = FALLBACK_TABLE

    def __str__(self) -> str:
        return self.cache_key
