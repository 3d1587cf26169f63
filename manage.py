#!/usr/bin/env python
"""Django's command-line utility for the meldpunt platform."""

import os
import sys
from pathlib import Path

# The project package lives in platform/, a folder named like the standard-library
# module `platform`; the folder itself is never importable, only its contents.
sys.path.insert(1, str(Path(__file__).resolve().parent / "platform"))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meldpunt.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
