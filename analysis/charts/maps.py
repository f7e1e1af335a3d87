"""The share map of a region: each state coloured by the supplier's share of its imports (Natural Earth base map, cached).

Part of :mod:`analysis.charts` (see its docstring for the rules every chart follows)."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import cast

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.colors import Normalize, to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.path import Path as MplPath

from analysis import chartinfo, fmt, regions
from analysis.chartinfo import UNIT_SHARE
from analysis.charts.style import (
    AFRICA_BBOX,
    BORDER,
    MUTED,
    NO_DATA,
    PROFILE,
    WIDTH,
    apply_style,
    canonical_supplier,
    credit_text,
    figure_of,
    finish,
    font_size,
    frame_attr,
    join_names,
    named,
    new_figure,
    pct_label,
    recorded_chart,
    share_cmap,
    window_label,
    wrap_text,
)
from analysis.errors import ParameterError
from analysis.i18n import _


# --------------------------------------------------------------------------- map
def _africa_frame(path: str | os.PathLike[str]):  # -> geopandas.GeoDataFrame
    import geopandas as gpd

    world = gpd.read_file(path)
    code = world["ADM0_A3"].replace({"SDS": "SSD", "SOL": "SOM", "SAH": "ESH", "KOS": "XKX"})
    world = world.assign(code=code)
    africa = world[world["CONTINENT"] == "Africa"].dissolve(by="code", as_index=False)  # Somaliland into Somalia
    w, s, e, n = AFRICA_BBOX
    others = world[world["CONTINENT"] != "Africa"].clip((w - 5, s - 5, e + 5, n + 5))
    return africa, others


def _geom_path(geom) -> MplPath:
    """A shapely (multi)polygon as one compound matplotlib Path: exteriors counter-clockwise,
    holes clockwise, so a hole (Lesotho in South Africa) stays a hole."""
    from shapely.geometry.polygon import orient

    parts: list[MplPath] = []

    def add(g) -> None:
        if g is None or g.is_empty:
            return
        if g.geom_type == "Polygon":
            g = orient(g, 1.0)
            for ring in (g.exterior, *g.interiors):
                parts.append(MplPath(np.asarray(ring.coords)[:, :2], closed=True))
        elif hasattr(g, "geoms"):  # MultiPolygon, GeometryCollection (lines from clipping are skipped)
            for part in g.geoms:
                add(part)

    add(geom)
    return MplPath.make_compound_path(*parts) if parts else MplPath(np.zeros((0, 2)))


@dataclass(frozen=True)
class _BaseMap:
    codes: tuple[str, ...]  # African states on the map (ISO3), in the file's order
    paths: Mapping[str, MplPath]  # ISO3 -> outline
    others: MplPath  # the rest of the world near Africa, as one path


def _base_map(path: str | os.PathLike[str]) -> _BaseMap:
    """The Natural Earth base map as matplotlib paths, read, dissolved and clipped once per file
    (cached on its path, modification time and size: a new file is read again)."""
    p = Path(path).resolve()
    st = p.stat()
    return read_base_map(str(p), st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=4)
def read_base_map(path: str, mtime_ns: int, size: int) -> _BaseMap:
    africa, others = _africa_frame(path)
    codes = tuple(str(c) for c in africa["code"])
    paths = {c: _geom_path(g) for c, g in zip(codes, africa.geometry)}
    return _BaseMap(
        codes=codes, paths=MappingProxyType(paths), others=_geom_path(others.geometry.union_all() if len(others) else None)
    )


class StateCollection(PathCollection):
    """Several states drawn in one call, each path keeping its state's ISO3 code in :attr:`gids`.
    Written to SVG, each state is its own group with ``id`` the ISO3 code (for links and tests);
    raster output draws the whole collection at once."""

    _paths: list[MplPath]  # matplotlib's private state, swapped one state at a time in draw()
    _facecolors: np.ndarray

    def __init__(self, paths: Sequence[MplPath], gids: Sequence[str], **kwargs) -> None:
        super().__init__(list(paths), **kwargs)
        self.gids = list(gids)

    def facecolor_of(self, gid: str) -> str:
        fcs = cast(np.ndarray, self.get_facecolor())  # a collection's face colours are an N x 4 array
        return to_hex(fcs[self.gids.index(gid) % len(fcs)], keep_alpha=False)

    def draw(self, renderer) -> None:
        inner = getattr(renderer, "_vector_renderer", renderer)
        if type(inner).__name__ != "RendererSVG" or len(self._paths) < 2:
            return super().draw(renderer)
        paths, fcs = self._paths, self._facecolors
        try:
            for i, (path, gid) in enumerate(zip(paths, self.gids)):
                self._paths = [path]
                self._facecolors = fcs[i : i + 1] if len(fcs) > 1 else fcs
                renderer.open_group("state", gid=gid)
                super().draw(renderer)
                renderer.close_group("state")
        finally:
            self._paths, self._facecolors = paths, fcs


def state_collections(fig: Figure) -> dict[str, StateCollection]:
    """ISO3 -> the collection that draws the state, for every state on a map in ``fig``."""
    return {g: c for ax in fig.axes for c in ax.collections if isinstance(c, StateCollection) for g in c.gids}


def state_colours(fig: Figure) -> dict[str, str]:
    """ISO3 -> fill colour (hex) of every state on the map(s) in ``fig``."""
    return {g: c.facecolor_of(g) for g, c in state_collections(fig).items()}


@recorded_chart
def share_map(
    share_df: pd.DataFrame,
    supplier: str | None = None,
    title: str | None = None,
    credit: str | Mapping[str, str] | None = None,
    region_iso3: Iterable[str] | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Choropleth of Africa shaded by ``share``: percent of each state's imports of major arms
    (by SIPRI TIV) that came from ``supplier``, on a 0-100 % colour bar.

    ``share_df`` is :func:`analysis.transfers.supplier_share_by_recipient` (recipient, iso3,
    share). ``region_iso3`` lists the states of the region (default: SIPRI's Africa); those with
    no imports in the window are hatched light grey. Egypt, in SIPRI's Middle East, is drawn in
    outline only. Map: Natural Earth 1:110m admin-0 (joined on ADM0_A3); each state's patches
    carry its ISO3 code as ``gid``. Small island states not on the map are listed in a note.
    """
    from analysis import sources

    supplier = supplier or str(frame_attr(share_df, "supplier", ""))
    if not supplier or supplier == "all":
        raise ParameterError("name the supplier whose share is mapped (supplier='China')")
    if region_iso3 is None:
        states = regions.members(str(frame_attr(share_df, "recipients", "Africa")) or "Africa", include_non_state=False)
        region_codes = {c for c in (regions.iso3(s) for s in states) if c}
    else:
        region_codes = {str(c).upper() for c in region_iso3}
    base = _base_map(sources.locate("naturalearth_110m").path)
    shares = share_df.dropna(subset=["iso3"]).groupby("iso3")["share"].max()
    cmap = share_cmap(supplier)
    norm = Normalize(0, 100)
    w, s, e, n = AFRICA_BBOX
    width_in, height_in = WIDTH, 7.0
    prof = PROFILE.get()
    page = prof is not None  # redrawn for a page: as tall as the narrower map needs
    if prof is not None:
        height_in = 7.0 * prof[0] / WIDTH + 0.3
    if ax is None:
        fig, ax = new_figure(width_in, height_in)
        own = True
    else:
        apply_style()
        fig, own = figure_of(ax), False
    ax.set_aspect("equal")  # Africa straddles the equator: a degree of latitude ~ a degree of longitude
    if len(cast(np.ndarray, base.others.vertices)):  # the stubs say ArrayLike; a Path's vertices are an array
        ax.add_collection(
            PathCollection([base.others], facecolors="#f3f3f3", edgecolors="white", linewidths=0.4, gid="other-countries"),
            autolim=False,
        )
    groups: dict[str, list[str]] = {"shaded": [], "no-imports": [], "outside": []}
    for code in base.codes:
        groups[
            "shaded" if code in shares.index and code in region_codes else "no-imports" if code in region_codes else "outside"
        ].append(code)
    styles = {  # one draw call per style; outside = Egypt (SIPRI's Middle East), Western Sahara
        "shaded": dict(
            facecolors=[to_hex(cmap(norm(float(shares[c])))) for c in groups["shaded"]], edgecolors=BORDER, linewidths=0.35
        ),
        "no-imports": dict(facecolors=NO_DATA, edgecolors=BORDER, linewidths=0.35, hatch="/////"),
        "outside": dict(facecolors="white", edgecolors="#555555", linewidths=0.8, linestyles=[(0, (2, 1.5))]),
    }
    for group, codes in groups.items():
        if codes:
            ax.add_collection(
                StateCollection([base.paths[c] for c in codes], codes, gid=f"states:{group}", **styles[group]), autolim=False
            )
    ax.set_xlim(w, e)
    ax.set_ylim(s, n)
    ax.set_axis_off()
    sm = mpl.cm.ScalarMappable(norm=norm, cmap=cmap)
    cbar = fig.colorbar(sm, ax=ax, shrink=0.55, pad=0.01, aspect=22)
    cbar.set_label(_("Share of imports from {supplier} (%)").format(supplier=named(supplier)))
    cbar.outline.set_visible(False)
    years = window_label(frame_attr(share_df, "years"))
    handles = [
        Patch(facecolor=NO_DATA, edgecolor=BORDER, hatch="/////", linewidth=0.35),
        Patch(facecolor="white", edgecolor="#555555", linewidth=0.8, linestyle=(0, (2, 1.5))),
    ]
    outside = sorted(groups["outside"])
    notes = []
    if "EGY" in outside:
        notes.append(_("Egypt counts in SIPRI's Middle East"))
    if "ESH" in outside:
        notes.append(_("Western Sahara not shown separately"))
    others_out = [fmt.name(c) for c in outside if c not in ("EGY", "ESH") and canonical_supplier(c)]
    if others_out:
        notes.append(_("outside the region: {names}").format(names=join_names(others_out)))
    labels = [
        _("No major-arms imports recorded in {years}").format(years=years) if years else _("No major-arms imports recorded"),
        ";\n".join(n[0].upper() + n[1:] if i == 0 else n for i, n in enumerate(notes)),
    ]
    n_keep = 2 if notes else 1
    ax.legend(
        handles[:n_keep],
        labels[:n_keep],
        loc="lower left",
        bbox_to_anchor=(0.0, 0.0),
        fontsize=font_size(7),
        frameon=False,
        handlelength=1.6,
        handleheight=1.1,
        borderaxespad=0.1,
    )
    on_map = set(base.codes)
    off = [
        (r, sh)
        for r, c, sh in zip(share_df["recipient"], share_df["iso3"], share_df["share"])
        if c in region_codes and c not in on_map
    ]
    missing_no = [
        fmt.name(regions.resolve(c)) for c in sorted(region_codes - on_map - set(shares.index)) if canonical_supplier(c)
    ]
    if years:
        note = _("Shares of each state's imports of major arms by SIPRI TIV, {years}.").format(years=years)
    else:
        note = _("Shares of each state's imports of major arms by SIPRI TIV.")
    if off:
        note += " " + _("Not on this map: {states}.").format(states=", ".join(f"{fmt.name(r)} {pct_label(sh)}" for r, sh in off))
    if missing_no:
        note += " " + _("No imports recorded: {states}.").format(states=join_names(missing_no))
    # in the empty South Atlantic, above the legend: 30% of the figure's width (2.1 inches at 7)
    note_lines = wrap_text(note, fig, font_size(6.8), fraction=0.3)
    ax.text(
        0.005,
        0.115 if not page else 0.13,
        note_lines,
        transform=ax.transAxes,
        ha="left",
        va="bottom",
        fontsize=font_size(6.8),
        color=MUTED,
        linespacing=1.3,
    )
    if title is None:
        valid = shares[shares.index.isin(region_codes)]
        k = int((valid >= 50).sum())
        title = _(
            "{supplier:The} supplied at least half the major arms of {k} of the {n} states {region:a} that imported any{years}"
        ).format(
            supplier=named(supplier),
            k=fmt.num(k),
            n=fmt.num(len(valid)),
            region=named(str(frame_attr(share_df, "recipients", "Africa"))),
            years=", " + years if years else "",
        )
    names = dict(zip(share_df["iso3"], share_df["recipient"]))
    rows = []
    for code in sorted(region_codes):
        if code not in on_map and code in shares.index:
            status = "not on the map (given in the note)"
        elif code not in on_map:
            status = "not on the map; no imports recorded (given in the note)"
        else:
            status = "shaded" if code in shares.index else "no imports recorded (hatched)"
        if code not in on_map and not canonical_supplier(code):
            continue
        rows.append(
            {
                "recipient": str(names.get(code) or regions.display_name(code)),  # display names, as the frame has
                "iso3": code,
                "value": float(shares[code]) if code in shares.index else float("nan"),
                "status": status,
            }
        )
    region = str(frame_attr(share_df, "recipients", "Africa"))
    data = chartinfo.table(
        rows,
        ["recipient", "iso3", "value", "status"],
        share_df,
        unit=UNIT_SHARE,
        supplier=supplier,
        years=years,
        region=region,
        release=chartinfo.release_of(share_df),
    )
    return finish(
        fig,
        ax,
        own,
        title,
        credit_text(frame_attr(share_df, "release"), credit, [_("Map: Natural Earth (public domain)")]),
        _map_alt(data, supplier, region, years),
        data,
    )


def _map_alt(data: pd.DataFrame, supplier: str, region: str, years: str) -> str:
    when = _(" in {years}").format(years=years) if years else ""
    text = _(
        "Map of {region:the} shading each state by the share of its imports of major arms{when} that came from "
        "{supplier:the} ({unit})."
    ).format(region=named(region), when=when, supplier=named(supplier), unit=_(UNIT_SHARE))
    valid = data.dropna(subset=["value"])
    if valid.empty:
        return text + " " + _("No state in the region imported major arms.")
    top = valid.sort_values("value", ascending=False, kind="mergesort").iloc[0]
    k = int((valid["value"] >= 50).sum())
    return (
        text
        + " "
        + _(
            "{supplier:The} supplied at least half of the imports of {k} of the {n} states that imported any; "
            "the largest share was {top:poss}, {share}."
        ).format(
            supplier=named(supplier),
            k=fmt.num(k),
            n=fmt.num(len(valid)),
            top=named(top["recipient"]),
            share=fmt.pct(top["value"]),
        )
    )
