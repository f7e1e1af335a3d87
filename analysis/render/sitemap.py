"""The map that opens a batch's index page: Africa as inline SVG, each recipient with a briefing a
link to it, shaded by its main supplier in the house supplier colours, with a legend.

Built straight from the Natural Earth 1:110m admin-0 GeoJSON (source ``naturalearth_110m``), no
plotting library: each state is one ``<path>`` (its polygons and holes, even-odd filled) in an
equirectangular projection of the box around Africa (longitude scaled by the cosine of the
central latitude, which is about 1 for a continent across the equator). States are joined on
``ADM0_A3`` with Natural Earth's own codes mended to ISO3 (South Sudan, Western Sahara,
Somaliland drawn as part of Somalia), as in the briefings' chart map. Nothing is fetched: the
SVG is text in the page.

    svg = sitemap.map_svg([MapState("NGA", "Nigeria", "China", "nigeria.html")])
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from analysis import fmt
from analysis.i18n import _

#: Natural Earth's codes that are not ISO3, mended as the briefings' chart map does.
CODE_FIXES = {"SDS": "SSD", "SOL": "SOM", "SAH": "ESH", "KOS": "XKX"}
BBOX = (-19.5, -36.0, 53.5, 38.5)  # lon/lat: west, south, east, north (as analysis.charts)
WIDTH = 560.0  # SVG user units across the box
NO_BRIEFING = "#e6e6e6"  # African states without a briefing in the batch
OUTSIDE = "#f5f5f5"  # the rest of the world near Africa
BORDER = "#ffffff"
LINK_BORDER = "#4d4d4d"


@dataclasses.dataclass(frozen=True)
class MapState:
    """One linked state on the map: its ISO3 code, name, main supplier and briefing file."""

    iso3: str
    name: str
    supplier: str
    href: str

    @property
    def label(self) -> str:
        """ "Nigeria: main supplier China" (the state's ``<title>`` and accessible name), in the
        current language."""
        return _("{state}: main supplier {supplier}").format(state=fmt.name(self.name), supplier=fmt.name(self.supplier))


@dataclasses.dataclass(frozen=True)
class Shapes:
    """The base map: SVG path data of each African state (ISO3 -> d), in the file's order, and
    of the other countries that touch the box, as one path."""

    africa: dict[str, str]
    others: str
    width: float
    height: float


def projection(bbox: tuple[float, float, float, float] = BBOX, width: float = WIDTH) -> tuple[Any, float]:
    """(lon, lat) -> (x, y) in SVG units (y down), and the height of the box."""
    w, s, e, n = bbox
    k = math.cos(math.radians((s + n) / 2))
    scale = width / ((e - w) * k)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return (lon - w) * k * scale, (n - lat) * scale

    return xy, (n - s) * scale


def path_data(polygons: Iterable[Sequence[Sequence[Sequence[float]]]], xy: Any) -> str:
    """SVG path data of polygons (each a list of rings of [lon, lat]): one ``M...Z`` per ring,
    coordinates to 0.1 unit, repeated points dropped."""
    parts = []
    for rings in polygons:
        for ring in rings:
            pts: list[str] = []
            for lon, lat, *_rest in ring:
                x, y = xy(lon, lat)
                p = f"{x:.1f} {y:.1f}"
                if not pts or pts[-1] != p:
                    pts.append(p)
            if len(pts) >= 3:
                parts.append("M" + "L".join(pts) + "Z")
    return "".join(parts)


def _polygons(geometry: dict[str, Any]) -> list[Any]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def _touches(polygons: list[Any], bbox: tuple[float, float, float, float]) -> bool:
    w, s, e, n = bbox
    return any(w <= lon <= e and s <= lat <= n for rings in polygons for lon, lat, *_ in rings[0])


def shapes(path: str | os.PathLike[str] | None = None) -> Shapes:
    """The base map from the Natural Earth GeoJSON (default: the located ``naturalearth_110m``),
    read once per file (cached on its path, modification time and size)."""
    if path is None:
        from analysis import sources

        path = sources.locate("naturalearth_110m").path
    p = Path(path).resolve()
    st = p.stat()
    return _read(str(p), st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=2)
def _read(path: str, mtime_ns: int, size: int) -> Shapes:
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    xy, height = projection()
    africa: dict[str, list[Any]] = {}
    others: list[Any] = []
    for f in doc.get("features", []):
        props, polys = f.get("properties") or {}, _polygons(f.get("geometry") or {"type": ""})
        code = str(props.get("ADM0_A3", ""))
        code = CODE_FIXES.get(code, code)
        if props.get("CONTINENT") == "Africa":
            africa.setdefault(code, []).extend(polys)  # Somaliland joins Somalia
        elif _touches(polys, (BBOX[0] - 5, BBOX[1] - 5, BBOX[2] + 5, BBOX[3] + 5)):
            others.extend(polys)
    return Shapes({c: path_data(ps, xy) for c, ps in africa.items()}, path_data(others, xy), WIDTH, height)


def legend(states: Sequence[MapState]) -> list[dict[str, Any]]:
    """The legend: each main supplier with its colour and its states, most states first, named
    in the current language (the colour is the supplier's whatever the language)."""
    from analysis import charts

    by: dict[str, list[str]] = {}
    colour: dict[str, str] = {}
    for s in states:
        by.setdefault(fmt.name(s.supplier), []).append(fmt.name(s.name))
        colour.setdefault(fmt.name(s.supplier), charts.supplier_colour(s.supplier))
    return [{"supplier": k, "colour": colour[k], "states": v} for k, v in sorted(by.items(), key=lambda kv: (-len(kv[1]), kv[0]))]


def map_svg(states: Sequence[MapState], base: Shapes | None = None, title: str = "") -> str:
    """Inline SVG of Africa: each state in ``states`` a link (``<a href>``) to its briefing with a
    ``<title>`` naming it and its main supplier, filled with the supplier's house colour; the
    other African states light grey, the rest of the world paler. Returns the markup (every name
    escaped); states not on the 1:110m map (small islands) are left out of it."""
    from analysis import charts

    e = fmt.esc_html
    base = base or shapes()
    linked = {s.iso3: s for s in states if s.iso3 in base.africa}
    title = title or _("Map of Africa: each state with a briefing, shaded by its main supplier")
    out = [
        f'<svg class="site-map" viewBox="0 0 {base.width:.0f} {base.height:.0f}" xmlns="http://www.w3.org/2000/svg" '
        f'role="group" aria-labelledby="site-map-title">',
        f'<title id="site-map-title">{e(title)}</title>',
        f'<path class="outside" aria-hidden="true" fill="{OUTSIDE}" stroke="#d9d9d9" stroke-width="0.5" d="{base.others}"/>',
        '<g class="no-briefing" aria-hidden="true">',
    ]
    out += [
        f'<path id="map-{e(code)}" fill="{NO_BRIEFING}" stroke="{BORDER}" stroke-width="0.6" fill-rule="evenodd" d="{d}"/>'
        for code, d in base.africa.items()
        if code not in linked
    ]
    out.append("</g>")
    out.append('<g class="briefings">')
    for code, d in base.africa.items():
        s = linked.get(code)
        if s is None:
            continue
        out.append(
            f'<a href="{e(s.href)}" class="state" data-iso3="{e(code)}">'
            f"<title>{e(s.label)}</title>"
            f'<path id="map-{e(code)}" fill="{charts.supplier_colour(s.supplier)}" stroke="{LINK_BORDER}" '
            f'stroke-width="0.6" fill-rule="evenodd" d="{d}"/></a>'
        )
    out.append("</g></svg>")
    return "\n".join(out)


def missing(states: Sequence[MapState], base: Shapes | None = None) -> list[MapState]:
    """The states the map cannot show (not on the 1:110m map, e.g. Cabo Verde, Mauritius)."""
    base = base or shapes()
    return [s for s in states if s.iso3 not in base.africa]
