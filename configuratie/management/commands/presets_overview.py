from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from configuratie.services.overview import presets_overview

OVERVIEW_FILE = Path(settings.REPO_DIR) / "docs" / "presets.md"


class Command(BaseCommand):
    help = "Write docs/presets.md: the presets' steps and partners side by side, from the preset files."

    def handle(self, *args, **options) -> None:
        OVERVIEW_FILE.write_text(presets_overview(), encoding="utf-8")
        self.stdout.write(f"{OVERVIEW_FILE} bijgewerkt")
