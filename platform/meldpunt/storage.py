"""Static files in production: hashed names in a manifest, compressed, served by WhiteNoise."""

import logging
from collections.abc import Callable
from re import Match

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)


def third_party_prefixes() -> tuple[str, ...]:
    """The npm packages are the STATICFILES_DIRS collected under a prefix."""
    return tuple(f"{entry[0]}/" for entry in settings.STATICFILES_DIRS if isinstance(entry, tuple))


class ManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Strict about our own CSS; lenient where an npm package's CSS points at a file
    the package does not ship (`@utrecht/design-tokens` names a `pijltje.svg` it
    lacks, in a stylesheet we do not load). Such a url() is left as written, with a
    warning, instead of failing the build; a missing file of our own still fails it."""

    def url_converter(
        self, name: str, hashed_files: dict, template: str | None = None
    ) -> Callable[[Match], str]:
        convert = super().url_converter(name, hashed_files, template)
        if not name.startswith(third_party_prefixes()):
            return convert

        def leave_missing_alone(match: Match) -> str:
            try:
                return convert(match)
            except ValueError:
                logger.warning(
                    "%s refers to %s, which its package does not ship", name, match["url"]
                )
                return match["matched"]

        return leave_missing_alone
