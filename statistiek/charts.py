"""Charts and the map drawn as SVG on the server, for the yearly report: WeasyPrint runs
no JavaScript. They draw the published (suppressed) figures only, so a chart in a PDF
shows no more than the table beside it. The map's colour classes are shared with the
page's map, which d3-geo draws in the browser from the same boundaries."""

import math
from dataclasses import dataclass
from html import escape
from typing import Any

from django.utils.translation import gettext as _

from configuratie.gemeenten import BOUNDARIES_OBJECT, boundaries
from statistiek.tables import SUPPRESSED, Table, formatted

PALETTE = ["#24578f", "#c05600", "#2e7d32", "#6a1b9a", "#b30000"]
# Sequential blues, light to dark, for the map (distinguishable in greyscale too).
CLASS_COLOURS = ["#deebf7", "#9ecae1", "#4292c6", "#2171b5", "#08306b"]
NO_FIGURE_COLOUR = "#f0f0f0"
CLASSES = len(CLASS_COLOURS)


def number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def bar_chart_svg(table: Table, width: int = 640) -> str:
    """Horizontal bars per row, one per charted column; a suppressed figure gets no bar."""
    columns = table.charted()
    bar, gap, label_width = 12, 10, 220
    row_height = bar * len(columns) + gap
    legend = 22 if len(columns) > 1 else 0
    height = legend + row_height * len(table.rows) + 10
    largest = max([number(row.values.get(c.key)) for row in table.rows for c in columns] + [1.0])
    scale = (width - label_width - 60) / largest
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(str(table.title))}">'
    ]
    for index, column in enumerate(columns if legend else []):
        x = label_width + index * 150
        parts.append(
            f'<rect x="{x}" y="4" width="10" height="10" fill="{PALETTE[index % len(PALETTE)]}"/>'
            f'<text x="{x + 14}" y="13" font-size="10">{escape(str(column.label))}</text>'
        )
    for row_index, row in enumerate(table.rows):
        top = legend + row_index * row_height
        parts.append(
            f'<text x="{label_width - 6}" y="{top + row_height / 2 + 3}" font-size="10" '
            f'text-anchor="end">{escape(truncate(row.label, 38))}</text>'
        )
        for index, column in enumerate(columns):
            value = row.values.get(column.key)
            y = top + index * bar
            length = number(value) * scale
            colour = PALETTE[index % len(PALETTE)]
            if value not in (None, SUPPRESSED) and length > 0:
                parts.append(
                    f'<rect x="{label_width}" y="{y}" width="{length:.1f}" '
                    f'height="{bar - 2}" fill="{colour}"/>'
                )
            parts.append(
                f'<text x="{label_width + length + 4:.1f}" y="{y + bar - 3}" font-size="9">'
                f"{escape(formatted(value))}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


def truncate(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


@dataclass(frozen=True)
class MapClass:
    colour: str
    label: str


def map_value_column(table: Table) -> str:
    """The map colours by cases per 10,000 young people where every municipality's
    population is known, by counts otherwise."""
    rates = [row.values.get("per_10000") for row in table.rows]
    return "per_10000" if rates and all(rate is not None for rate in rates) else "n"


def map_classes(table: Table) -> tuple[str, dict[str, int | None], list[MapClass]]:
    """The column the map colours by, each municipality's class (None: no figure, such
    as "<5"), and the legend: equal-width classes from 0 to the highest value."""
    column = map_value_column(table)
    values = {row.key: row.values.get(column) for row in table.rows}
    numeric = [value for value in values.values() if isinstance(value, int | float)]
    highest = max([*numeric, 0])
    step = highest / CLASSES if highest else 1
    classes = {
        code: (min(int(value / step), CLASSES - 1) if isinstance(value, int | float) else None)
        for code, value in values.items()
    }
    legend = []
    for index, colour in enumerate(CLASS_COLOURS):
        low, high = index * step, (index + 1) * step
        if column == "n":
            low, high = math.ceil(low), math.floor(high) if index < CLASSES - 1 else highest
            label = f"{int(low)} - {int(high)}"
        else:
            label = f"{formatted(round(low, 1))} - {formatted(round(high, 1))}"
        legend.append(MapClass(colour, label))
    legend.append(MapClass(NO_FIGURE_COLOUR, _("geen cijfer of minder dan 5")))
    return column, classes, legend


def ring_points(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def decoded_arcs() -> list[list[tuple[float, float]]]:
    """TopoJSON arcs: quantised and delta-encoded, back to longitude and latitude."""
    topology = boundaries()
    (scale_x, scale_y), (move_x, move_y) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + move_x, y * scale_y + move_y))
        arcs.append(points)
    return arcs


def polygons_of(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def map_svg(table: Table, width: int = 520, height: int = 520) -> str:
    """The region's municipalities, coloured by class; equirectangular with the
    longitude scaled by the cosine of the latitude (true enough for one region)."""
    _column, classes, _legend = map_classes(table)
    names = {row.key: row.label for row in table.rows}
    wanted = [
        geometry
        for geometry in boundaries()["objects"][BOUNDARIES_OBJECT]["geometries"]
        if geometry["properties"]["statcode"] in classes
    ]
    if not wanted:
        return ""
    arcs = decoded_arcs()
    shapes = {
        geometry["properties"]["statcode"]: [
            [ring_points(arcs, ring) for ring in polygon] for polygon in polygons_of(geometry)
        ]
        for geometry in wanted
    }
    points = [p for polygons in shapes.values() for poly in polygons for ring in poly for p in ring]
    latitude = math.radians(sum(lat for _lon, lat in points) / len(points))
    xs = [lon * math.cos(latitude) for lon, _lat in points]
    ys = [lat for _lon, lat in points]
    scale = min((width - 20) / (max(xs) - min(xs)), (height - 20) / (max(ys) - min(ys)))

    def project(lon: float, lat: float) -> str:
        x = 10 + (lon * math.cos(latitude) - min(xs)) * scale
        y = 10 + (max(ys) - lat) * scale
        return f"{x:.1f},{y:.1f}"

    label = _("Kaart van de regio")  # outside the f-string, where makemessages finds it
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">'
    ]
    for code, polygons in shapes.items():
        klass = classes[code]
        colour = CLASS_COLOURS[klass] if klass is not None else NO_FIGURE_COLOUR
        path = " ".join(
            "M" + " L".join(project(lon, lat) for lon, lat in ring) + " Z"
            for polygon in polygons
            for ring in polygon
        )
        parts.append(
            f'<path d="{path}" fill="{colour}" fill-rule="evenodd" stroke="#333" '
            f'stroke-width="0.6"><title>{escape(names.get(code, code))}</title></path>'
        )
    parts.append("</svg>")
    return "".join(parts)
