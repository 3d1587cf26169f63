"""Municipalities as reference data: the CBS codes and names of 2025, read from the CBS
boundary file that also draws the map (static/configuratie/gemeenten-2025.topojson)."""

import functools
import json
import re
from pathlib import Path

from meldpunt.encryption import normalise

BOUNDARIES = Path(__file__).resolve().parent / "static" / "configuratie" / "gemeenten-2025.topojson"
BOUNDARIES_STATIC = "configuratie/gemeenten-2025.topojson"
BOUNDARIES_SHA256 = "12f0da7537f29582ae20ba43713cf7291dcc61bfbe81914febbbf95b3945d077"
BOUNDARIES_OBJECT = "gemeente_2025"
# "Hengelo (O.)", "Bergen (L.)": CBS tells namesakes apart with the province.
PROVINCE_SUFFIX = re.compile(r"\s*\([^)]*\)\s*$")


@functools.cache
def boundaries() -> dict:
    return json.loads(BOUNDARIES.read_text(encoding="utf-8"))


@functools.cache
def municipalities() -> dict[str, str]:
    """CBS code → name, in alphabetical order of the names."""
    properties = [
        geometry["properties"]
        for geometry in boundaries()["objects"][BOUNDARIES_OBJECT]["geometries"]
    ]
    return {
        row["statcode"]: row["statnaam"]
        for row in sorted(properties, key=lambda row: normalise(row["statnaam"]))
    }


def municipality_choices() -> list[tuple[str, str]]:
    """Every municipality as a choice; a callable, so migrations do not copy 342 names."""
    return list(municipalities().items())


def name_of(code: str) -> str:
    return municipalities().get(code, code)


def code_for_name(text: str) -> str:
    """The CBS code of a typed municipality name, or "" when it matches none or several
    ("Hengelo" is Hengelo (O.); "Bergen" could be two)."""
    wanted = normalise(text)
    if not wanted:
        return ""
    exact = [code for code, name in municipalities().items() if normalise(name) == wanted]
    if exact:
        return exact[0]
    loose = [
        code
        for code, name in municipalities().items()
        if normalise(PROVINCE_SUFFIX.sub("", name)) == normalise(PROVINCE_SUFFIX.sub("", text))
    ]
    return loose[0] if len(loose) == 1 else ""
