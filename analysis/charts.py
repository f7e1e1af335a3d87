"""One house style for every briefing figure.

Rules every function here follows:

- SIPRI's trend-indicator value (TIV) is a volume index, never money: axes say
  "SIPRI TIV (millions)" or give shares of TIV in percent; no figure prints "$" or "US$".
- Every chart has a title that states the finding (``title=``; a default is built from the data),
  units on its axes, and a credit line at the bottom-left naming the source and the release
  (taken from the frame's ``attrs["release"]`` and the ``credit=`` argument; see :func:`credit_text`).
- A supplier has the same colour in every chart (:data:`SUPPLIER_COLOURS`,
  :func:`supplier_colour`); names are printed with :func:`analysis.fmt.name` (articles and possessives from
  :func:`analysis.fmt.the` / :func:`analysis.fmt.possessive`).
- Functions return the :class:`matplotlib.figure.Figure` they drew on. They never call
  ``plt.show()`` and close nothing. With ``ax=None`` they create a Figure that pyplot does not
  track (so a notebook shows it once, as the cell's value); pass ``ax`` to draw into your own.
"""

from __future__ import annotations

import colorsys
import contextlib
import contextvars
import functools
import io
import math
import os
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, cast

import matplotlib as mpl
import numpy as np
import pandas as pd
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.colors import LinearSegmentedColormap, Normalize, to_hex, to_rgb
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.path import Path as MplPath
from matplotlib.text import Text
from matplotlib.textpath import TextToPath
from matplotlib.ticker import FuncFormatter, MaxNLocator, MultipleLocator
from matplotlib.typing import RcKeyType

from analysis import atomic, chartinfo, fmt, regions
from analysis.chartinfo import UNIT_DEATHS, UNIT_SHARE, UNIT_SHARE_DELIVERIES, UNIT_TIV, UNIT_YEARS, ChartInfo
from analysis.errors import ParameterError, UnknownNameError

__all__ = [
    "NEUTRAL_COLOURS",
    "OTHERS",
    "OTHERS_COLOUR",
    "SUPPLIER_COLOURS",
    "TIV_AXIS",
    "ChartInfo",
    "annual_tiv_chart",
    "apply_style",
    "bar_ranking_chart",
    "credit_line",
    "credit_text",
    "deal_timeline_chart",
    "deaths_and_imports_chart",
    "info",
    "save",
    "share_cmap",
    "share_map",
    "shares_by_window_chart",
    "sipri_credit",
    "supplier_colour",
    "to_png",
    "to_svg",
]

# --------------------------------------------------------------------------- constants
WIDTH, HEIGHT = 7.0, 3.8  # inches: one A4 text column
DPI = 150
FONT = "DejaVu Sans"
CHART_CREDIT = "Chart: arms-briefings."
SIPRI_DATABASE = "SIPRI Arms Transfers Database"
TIV_AXIS = "SIPRI TIV (millions)"
SHARE_AXIS = "Share of SIPRI TIV delivered (%)"
OTHERS = "Others"
OTHERS_COLOUR = "#d3d3d3"
TEXT_COLOUR = "#222222"
MUTED = "#5f5f5f"
HOUSE_COLOUR = "#5b6f82"  # single-series bars when no supplier colour applies

#: One colour per supplier (SIPRI spelling), the same in every chart. Based on Okabe-Ito and
#: Paul Tol's colour-blind-safe sets; the main suppliers to Africa (Russia, China, United States,
#: France, Turkiye) differ in hue *and* lightness. The Soviet Union is a lighter shade of Russia.
SUPPLIER_COLOURS: dict[str, str] = {
    "Russia": "#b2182b",
    "Soviet Union": "#e58a92",
    "China": "#e69f00",
    "United States": "#0072b2",
    "France": "#cc79a7",
    "Turkiye": "#009e73",
    "Germany": "#8c564b",
    "Italy": "#44aa99",
    "Israel": "#56b4e9",
    "UAE": "#7b52ae",
    "United Kingdom": "#332288",
    "Spain": "#ddcc77",
    "South Africa": "#117733",
    "Ukraine": "#f0e442",
    "Belarus": "#882255",
    "Brazil": "#a6d854",
    "unknown supplier(s)": "#4d4d4d",
}

#: Neutral (grey / stone) cycle for suppliers without a fixed colour; a name always gets the
#: same one (chosen by a checksum of the name, not by drawing order).
NEUTRAL_COLOURS: tuple[str, ...] = ("#a89f91", "#8fa0ae", "#bcb29e", "#8a9784", "#a4929b", "#9cafa8")

_SERIES = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#b07aa1",
    "#edc948",
    "#76b7b2",
    "#e15759",
    "#9c755f",
    "#ff9da7",
    "#bab0ac",
)  # Tableau 10: categories and recipients (not suppliers)
_VIOLENCE = {"state-based": "#3b4b5c", "non-state": "#9db0c2", "one-sided": "#b4643f"}
_TYPES_OF_VIOLENCE = {1: "state-based", 2: "non-state", 3: "one-sided"}
_RELEASE_COLOURS = ("#0072b2", "#e69f00", "#8c8c8c", "#b07aa1", "#59a14f")
_TEXT_TO_PATH = TextToPath()
_BORDER = "#8f8f8f"
_NO_DATA = "#eaeaea"
_AFRICA_BBOX = (-19.5, -36.0, 53.5, 38.5)  # lon/lat: west, south, east, north

STYLE: dict[RcKeyType, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": [FONT],  # ships with matplotlib: the same glyphs on every machine
    "font.size": 8.5,
    "axes.titlesize": 9.5,
    "axes.titlelocation": "left",
    "axes.labelsize": 8.5,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 7.5,
    "legend.frameon": False,
    "figure.titlesize": 11,
    "figure.titleweight": "bold",
    "figure.figsize": (WIDTH, HEIGHT),
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "axes.edgecolor": "#6b6b6b",
    "axes.labelcolor": TEXT_COLOUR,
    "text.color": TEXT_COLOUR,
    "xtick.color": "#444444",
    "ytick.color": "#444444",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,
    "grid.color": "#e2e2e2",
    "grid.linewidth": 0.6,
    "axes.prop_cycle": cycler(color=list(_SERIES)),
    "text.usetex": False,
    "pdf.fonttype": 42,
    "svg.fonttype": "path",
}


#: Width (inches) and font scale of a chart redrawn for a web page (``to_png(fig, width=PAGE_WIDTH)``):
#: shown 390 px wide (a phone), 8.8 pt tick labels are 8.8 / 72 * 390 / 4.6 = 10.4 px high.
PAGE_WIDTH = 4.6
PAGE_FONT_SCALE = 1.1
_FONT_KEYS: tuple[RcKeyType, ...] = (
    "font.size",
    "axes.titlesize",
    "axes.labelsize",
    "xtick.labelsize",
    "ytick.labelsize",
    "legend.fontsize",
    "figure.titlesize",
)
#: (width in inches, font scale) while a chart is redrawn at another width; None: the house size
_PROFILE: contextvars.ContextVar[tuple[float, float] | None] = contextvars.ContextVar("chart_profile", default=None)


def _fs(size: float) -> float:
    """A font size in points, scaled when the chart is redrawn for a page."""
    prof = _PROFILE.get()
    return size * prof[1] if prof else size


def apply_style() -> None:
    """Set the house style in ``matplotlib.rcParams`` (idempotent: calling it again changes nothing).

    White background, no top/right spines, a light horizontal grid, DejaVu Sans (bundled with
    matplotlib, so available offline), 150 dpi, 7 x 3.8 inch figures (an A4 text column)."""
    style = dict(STYLE)
    if _PROFILE.get():
        style.update({k: _fs(float(style[k])) for k in _FONT_KEYS})
    mpl.rcParams.update(style)


# --------------------------------------------------------------------------- names and colours
def _canonical(name: str) -> str | None:
    try:
        return regions.canonical_name(name)
    except (UnknownNameError, ParameterError):
        return None


def supplier_colour(name: str) -> str:
    """The supplier's fixed colour (hex). Any spelling :func:`analysis.regions.resolve` accepts
    works ("Türkiye", "USA", "United Arab Emirates"); "Others" is light grey; a supplier without a
    fixed colour gets a neutral grey/stone from :data:`NEUTRAL_COLOURS`, always the same one."""
    if name in SUPPLIER_COLOURS:
        return SUPPLIER_COLOURS[name]
    if str(name).strip().lower() == OTHERS.lower():
        return OTHERS_COLOUR
    canon = _canonical(str(name))
    if canon in SUPPLIER_COLOURS:
        return SUPPLIER_COLOURS[canon]
    key = (canon or str(name).strip()).lower()
    return NEUTRAL_COLOURS[zlib.crc32(key.encode("utf-8")) % len(NEUTRAL_COLOURS)]


def _ink_on(colour: str) -> str:
    """Black or white text, whichever reads better on ``colour``."""
    r, g, b = (c**2.2 for c in to_rgb(colour))
    return "#111111" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.25 else "white"


def _shade(colour: str, lightness: float) -> str:
    h, _, s = colorsys.rgb_to_hls(*to_rgb(colour))
    return to_hex(colorsys.hls_to_rgb(h, lightness, s))


def share_cmap(supplier: str) -> LinearSegmentedColormap:
    """Sequential colour map for shares of imports from ``supplier``: from a very light tint to
    a dark shade of the supplier's colour (lightness falls steadily, so it also reads in grey)."""
    base = supplier_colour(supplier)
    name = f"share_{fmt.name(supplier)}"
    return LinearSegmentedColormap.from_list(name, [_shade(base, 0.95), base, _shade(base, 0.22)])


# --------------------------------------------------------------------------- credit, title, layout
def _window(years: Any) -> str:
    try:
        a, b = (int(years[0]), int(years[1]))
    except (TypeError, ValueError, IndexError):
        return ""
    if a == b:
        return str(a)
    return f"{a}-{str(b)[-2:]}" if a // 100 == b // 100 else f"{a}-{b}"


def credit_text(
    release: str | Sequence[str] | None, credit: str | Mapping[str, str] | None = None, extra: Iterable[str] = ()
) -> str:
    """The credit line for a chart of SIPRI data.

    ``release`` comes from the frame (``attrs["release"]``, or several for a deal register).
    ``credit`` is None (the line is built from the release), a mapping from
    :func:`analysis.data.release_of` / :func:`sipri_credit` (adds the date the data were
    generated; its release must match the frame's), or the caller's own text (used as given,
    with the release added if it does not name it). ``extra`` adds other sources
    ("conflict deaths: UCDP ...", "Map: Natural Earth"). The result always ends with
    "Chart: arms-briefings."
    """
    rels = [release] if isinstance(release, str) else list(release or [])
    rels = [r for r in rels if r and r != "unknown"]
    extras = [e.strip().rstrip(".") for e in extra if e and e.strip()]
    if isinstance(credit, str) and credit.strip():
        text = credit.strip().rstrip(".")
        missing = [r for r in rels if r not in text]
        if missing:
            text += f" ({_join(missing)} release{'s' if len(missing) > 1 else ''})"
    else:
        generated = ""
        if isinstance(credit, Mapping):
            rel = str(credit.get("release", "") or "")
            if rels and rel and rel not in rels:
                raise ParameterError(
                    f"the credit names the {rel} release but the data are from the {_join(rels)} "
                    "release; pass the release_of() stamp of the source you plotted"
                )
            rels = rels or ([rel] if rel else [])
            generated = str(credit.get("generated", "") or "")
        if not rels:
            text = f"Source: {SIPRI_DATABASE}"
        elif len(rels) == 1:
            text = f"Source: {SIPRI_DATABASE}, {rels[0]} release"
            if generated:
                text += f" (data generated {generated})"
        else:
            text = f"Source: {SIPRI_DATABASE}, {_join(rels)} releases"
    parts = [text, *[e for e in extras if e.lower() not in text.lower()]]
    out = ". ".join(parts) + "."
    if "arms-briefings" not in out:
        out += " " + CHART_CREDIT
    return out


def _join(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def sipri_credit(source: str = "sipri_register") -> dict[str, str]:
    """The release stamp of a SIPRI register (``{"release", "generated", ...}``) to pass as
    ``credit=``: the credit line then gives the date the data were generated."""
    from analysis import data  # loads the register; kept out of module import

    return data.release_of(source)


def _text_width(text: str, fontsize: float, bold: bool = False) -> float:
    """Width of one line of ``text`` in points, measured with the house font."""
    prop = FontProperties(family=FONT, size=fontsize, weight="bold" if bold else "normal")
    w, _, _ = _TEXT_TO_PATH.get_text_width_height_descent(text, prop, ismath=False)
    return float(w)


def _wrap(text: str, fig: Figure, fontsize: float, bold: bool = False, fraction: float = 0.97) -> str:
    """``text`` broken into lines that fit ``fraction`` of the figure's width (measured, not guessed)."""
    limit = fig.get_figwidth() * 72 * fraction
    out: list[str] = []
    for para in str(text).split("\n"):
        line = ""
        for word in para.split(" "):
            trial = f"{line} {word}" if line else word
            if line and _text_width(trial, fontsize, bold) > limit:
                out.append(line)
                line = word
            else:
                line = trial
        out.append(line)
    return "\n".join(out)


def credit_line(fig: Figure, text: str) -> Text:
    """Write ``text`` at the bottom-left of ``fig`` in small grey type, wrapped to the figure's
    width. On a figure with constrained layout the space is reserved, so nothing overlaps it.
    Calling it again replaces the line."""
    fontsize = 6.5
    wrapped = _wrap(text, fig, fontsize, fraction=0.93)  # 0.97 overran the right edge at 100 dpi
    for t in fig.texts:
        if t.get_gid() == "credit":
            t.remove()
    n_lines = wrapped.count("\n") + 1
    height = (n_lines * fontsize * 1.3 + 8) / (fig.get_figheight() * 72)
    engine = fig.get_layout_engine()
    if engine is not None and hasattr(engine, "set") and type(engine).__name__ == "ConstrainedLayoutEngine":
        cast(ConstrainedLayoutEngine, engine).set(rect=(0, height, 1, 1 - height))
    return fig.text(0.008, 0.006, wrapped, ha="left", va="bottom", fontsize=fontsize, color=MUTED, gid="credit", linespacing=1.25)


def _new_figure(width: float = WIDTH, height: float = HEIGHT, **subplot_kw) -> tuple[Figure, Axes]:
    apply_style()
    prof = _PROFILE.get()
    if prof:
        width = prof[0]
    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    _constrained(fig).set(h_pad=0.04, w_pad=0.04)
    ax = fig.add_subplot(**subplot_kw)
    return fig, ax


def _constrained(fig: Figure) -> ConstrainedLayoutEngine:
    """The layout engine of a figure made with ``layout="constrained"``."""
    return cast(ConstrainedLayoutEngine, fig.get_layout_engine())


def _figure_of(ax: Axes) -> Figure:
    """The Figure ``ax`` is drawn in. Charts draw into a Figure's axes, never a SubFigure's
    (the title and credit line need the figure's size, which a SubFigure does not have)."""
    return cast(Figure, ax.figure)


def _figure(ax: Axes | None, width: float = WIDTH, height: float = HEIGHT) -> tuple[Figure, Axes, bool]:
    if ax is None:
        fig, ax = _new_figure(width, height)
        return fig, ax, True
    apply_style()
    return _figure_of(ax), ax, False


def _title(fig: Figure, ax: Axes, title: str, own: bool) -> None:
    """The finding, in bold at the top-left: of the figure when the chart owns it, of the axes
    when drawn into the caller's figure. The text carries the gid "chart-title"."""
    if own:
        t = fig.suptitle(_wrap(title, fig, 11, bold=True), x=0.008, ha="left", fontsize=11, fontweight="bold")
    else:
        t = ax.set_title(_wrap(title, fig, 9.5, bold=True), loc="left", fontweight="bold")
    t.set_gid("chart-title")


def _recorded(func):
    """Keep the call on the Figure a chart function returns (when it made the Figure itself), so
    :func:`to_png` / :func:`to_svg` can redraw the chart at another width."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        fig = func(*args, **kwargs)
        if kwargs.get("ax") is None and not any(
            isinstance(a, Axes) or (isinstance(a, Sequence) and a and isinstance(a[0], Axes)) for a in args[1:]
        ):
            fig._chart_call = functools.partial(func, *args, **kwargs)
        return fig

    return wrapper


def _finish(fig: Figure, ax: Axes, own: bool, title: str, credit: str, alt: str, data: pd.DataFrame) -> Figure:
    """Draw the title and the credit line and keep what the chart shows on the figure."""
    _title(fig, ax, title, own)
    credit_line(fig, credit)
    chartinfo.attach(
        fig,
        ax,
        ChartInfo(title=chartinfo.one_line(title), credit=chartinfo.one_line(credit), alt=chartinfo.one_line(alt), data=data),
    )
    return fig


def info(fig: Figure | Axes) -> ChartInfo:
    """What a chart shows: its title, credit line, alt text and the tidy table of the values it
    draws (see :mod:`analysis.chartinfo`)."""
    return chartinfo.info(fig)


def _attr(df: pd.DataFrame, key: str, default: Any = None) -> Any:
    return df.attrs.get(key, default)


def _legend_above(ax: Axes, handles: list, labels: list[str], ncol: int | None = None, right: bool = False) -> None:
    """Legend in a band just above the plot (below the title), never over the data; ``right``
    aligns it with the plot's right edge (for charts with long labels on the left)."""
    if not handles:
        return
    ncol = _fitting_columns(ax, labels, ncol or min(len(handles), 4))
    handles, labels = _row_major(handles, ncol), _row_major(labels, ncol)
    ax.legend(
        handles,
        labels,
        loc="lower right" if right else "lower left",
        bbox_to_anchor=(1, 1.01) if right else (0, 1.01),
        ncol=ncol,
        frameon=False,
        handlelength=1.2,
        handletextpad=0.5,
        columnspacing=1.4,
        borderaxespad=0.2,
    )


def _fitting_columns(ax: Axes, labels: Sequence[str], ncol: int) -> int:
    """The most legend columns (up to ``ncol``) whose widest row fits the figure's width, measured
    with the legend font (handle 1.2 em, gap 0.5 em, column spacing 1.4 em, as drawn)."""
    size = float(mpl.rcParams["legend.fontsize"]) if not isinstance(mpl.rcParams["legend.fontsize"], str) else 7.5
    limit = _figure_of(ax).get_figwidth() * 72 * 0.95
    widths = [_text_width(str(lb), size) + 3.1 * size for lb in labels]
    ncol = min(ncol, len(widths))
    while ncol > 1:
        cols = [max(widths[j::ncol]) for j in range(ncol)]
        if sum(cols) <= limit:
            break
        ncol -= 1
    return max(ncol, 1)


def _row_major(items: Sequence, ncol: int) -> list:
    """Reorder ``items`` so that matplotlib's column-by-column legend reads left to right."""
    n = len(items)
    rows = math.ceil(n / ncol) if ncol else 1
    return [items[k * ncol + j] for j in range(ncol) for k in range(rows) if k * ncol + j < n]


def _fmt_tiv(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 10 else f"{v:,.1f}"


# --------------------------------------------------------------------------- shares by window
def _top_suppliers(long_df: pd.DataFrame, top: int) -> list[str]:
    """The ``top`` largest suppliers of the last window, then the largest supplier of each
    earlier window not yet named (so no window's leader hides in "Others")."""
    last = long_df.loc[long_df["start"] == long_df["start"].max()]
    named = last.sort_values(["rank", "supplier"])["supplier"].head(top).tolist()
    leaders = long_df[long_df["rank"] == 1].sort_values("start", ascending=False)["supplier"]
    for s in leaders:
        if s not in named:
            named.append(s)
    return named


def _default_shares_title(long_df: pd.DataFrame) -> str:
    who_raw = str(_attr(long_df, "recipients", "the selection"))
    who = fmt.the(who_raw)
    if long_df.empty:
        return f"No deliveries of major arms to {who} recorded"
    last = long_df.loc[long_df["start"] == long_df["start"].max()].sort_values("rank")
    window = str(last["window"].iloc[0])
    known = last[last["supplier"] != "unknown supplier(s)"]
    qualifier = "largest identified" if len(known) and known.index[0] != last.index[0] else "largest"
    row = known.iloc[0] if len(known) else last.iloc[0]
    return (
        f"{fmt.the(row['supplier'], capital=True)} was {fmt.possessive(who_raw)} {qualifier} supplier of major arms in {window} "
        f"({row['share']:.0f}% of TIV)"
    )


@_recorded
def shares_by_window_chart(
    long_df: pd.DataFrame,
    title: str | None = None,
    top: int = 6,
    credit: str | Mapping[str, str] | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Suppliers' shares (% of TIV delivered) of a selection's imports, one stacked horizontal bar
    per window (oldest at the top).

    ``long_df`` is :func:`analysis.transfers.shares_by_window` with ``long=True``. The ``top``
    largest suppliers of the last window, and each earlier window's leader, are named in every
    window; the rest are summed as
    "Others" (grey), so each bar adds up to 100 %. Segments of 8 % or more carry their share.
    """
    if top < 1:
        raise ParameterError(f"top must be at least 1, got {top}")
    fig, ax, own = _figure(ax)
    windows = list(_attr(long_df, "windows", []) or sorted(long_df["window"].unique(), key=str))
    named = _top_suppliers(long_df, top) if not long_df.empty else []
    table = long_df.pivot_table(index="window", columns="supplier", values="share", aggfunc="sum", fill_value=0.0)
    table = table.reindex(windows).fillna(0.0)
    segs = pd.DataFrame({s: table.get(s, 0.0) for s in named}, index=table.index)
    totals = table.sum(axis=1)
    segs[OTHERS] = np.where(totals > 0, (totals - segs.sum(axis=1)).clip(lower=0.0), 0.0)
    if not segs[OTHERS].gt(0.005).any():
        segs = segs.drop(columns=OTHERS)
    ypos = np.arange(len(windows))
    left = np.zeros(len(windows))
    handles = []
    for name in segs.columns:
        vals = segs[name].to_numpy(dtype=float)
        colour = supplier_colour(name)
        bars = ax.barh(ypos, vals, left=left, height=0.68, color=colour, edgecolor="white", linewidth=0.6, label=fmt.name(name))
        for rect, w in zip(bars.patches, windows):
            rect.set_gid(f"segment:{name}:{w}")
        for y, v, x0 in zip(ypos, vals, left):
            if v >= 8:
                ax.text(
                    x0 + v / 2,
                    float(y),
                    f"{v:.0f}%",
                    ha="center",
                    va="center",
                    fontsize=_fs(7.5),
                    color=_ink_on(colour),
                    clip_on=True,
                )
        left = left + vals
        handles.append(bars)
    for y, total in zip(ypos, totals):
        if total <= 0:
            ax.text(1, float(y), "no deliveries recorded", va="center", ha="left", fontsize=_fs(7.5), color=MUTED)
    ax.set_yticks(ypos, windows)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}"))
    ax.set_xlabel(SHARE_AXIS)
    ax.set_ylabel(f"{int(_attr(long_df, 'width', 5))}-year period")
    ax.grid(False, axis="y")
    ax.grid(True, axis="x")
    ax.tick_params(axis="y", length=0)
    _legend_above(ax, handles, [fmt.name(n) for n in segs.columns], ncol=min(len(handles), 4))
    who = str(_attr(long_df, "recipients", "the selection"))
    width = int(_attr(long_df, "width", 5))
    rows = [
        {"years": w, "supplier": name, "value": float(segs.at[w, name])}
        for w in windows
        for name in segs.columns
        if float(segs.at[w, name]) > 0
    ]
    data = chartinfo.table(
        rows, ["years", "supplier", "value"], long_df, unit=UNIT_SHARE, recipients=who, release=chartinfo.release_of(long_df)
    )
    return _finish(
        fig,
        ax,
        own,
        title or _default_shares_title(long_df),
        credit_text(_attr(long_df, "release"), credit),
        _shares_alt(data, who, width, _attr(long_df, "years")),
        data,
    )


def _shares_alt(data: pd.DataFrame, who: str, width: int, years: object) -> str:
    span = _window(years)
    text = (
        f"Bar chart of {fmt.possessive(who)} imports of major arms by supplier and {width}-year window"
        f"{', ' + span if span else ''}, in {UNIT_SHARE}."
    )
    named = data[~data["supplier"].isin([OTHERS, "unknown supplier(s)"])]
    if named.empty:
        return text + " No deliveries of major arms were recorded."
    last = named[named["years"] == named["years"].iloc[-1]]  # the newest window with deliveries
    top = last.sort_values("value", ascending=False, kind="mergesort").iloc[0]
    return text + (f" {fmt.the(top['supplier'], capital=True)} had the largest share in {top['years']}, {fmt.pct(top['value'])}.")


# --------------------------------------------------------------------------- annual TIV
def _series_colours(columns: Sequence[str], by: object) -> list[str]:
    if by == "supplier":
        return [supplier_colour(c) for c in columns]
    out, i = [], 0
    for c in columns:
        if c == OTHERS:
            out.append(OTHERS_COLOUR)
        else:
            out.append(_SERIES[i % len(_SERIES)])
            i += 1
    return out


def _top_columns(annual_df: pd.DataFrame, top: int) -> pd.DataFrame:
    cols = [c for c in annual_df.columns]
    if len(cols) <= top + 1:
        return annual_df.copy()
    order = annual_df.sum().sort_values(ascending=False, kind="mergesort").index.tolist()
    keep = order[:top]
    out = annual_df[keep].copy()
    out[OTHERS] = annual_df[order[top:]].sum(axis=1)
    return out


def _stacked_year_bars(ax: Axes, annual_df: pd.DataFrame, top: int = 6) -> tuple[list, list[str]]:
    """Stacked bars of TIV per year (columns = series); returns legend handles and labels."""
    by = _attr(annual_df, "by", "supplier")
    frame = _top_columns(annual_df, top)
    years = frame.index.to_numpy(dtype=int)
    if list(frame.columns) == ["total"]:
        sup = str(_attr(annual_df, "suppliers", "all"))
        colours = [supplier_colour(sup) if sup != "all" and _canonical(sup) else HOUSE_COLOUR]
        labels = ["All suppliers" if sup == "all" else fmt.name(sup)]
    else:
        colours = _series_colours(list(frame.columns), by)
        labels = [fmt.name(c) for c in frame.columns]
    bottom = np.zeros(len(frame))
    handles = []
    for col, colour in zip(frame.columns, colours):
        vals = frame[col].to_numpy(dtype=float)
        bars = ax.bar(years, vals, bottom=bottom, width=0.78, color=colour, linewidth=0, label=str(col))
        for rect, y in zip(bars.patches, years):
            rect.set_gid(f"bar:{col}:{y}")
        bottom = bottom + vals
        handles.append(bars)
    _year_ticks(ax, years)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_ylabel(TIV_AXIS)
    ax.set_xlim(years.min() - 0.7, years.max() + 0.7) if len(years) else None
    return handles, labels


def _year_ticks(ax: Axes, years: Sequence[int]) -> None:
    """Year ticks on round numbers: every 5 years over long spans, every 2 or every year otherwise."""
    span = (max(years) - min(years)) if len(years) else 0
    ax.xaxis.set_major_locator(MultipleLocator(5 if span > 14 else 2 if span > 7 else 1))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}"))


def _default_annual_title(annual_df: pd.DataFrame) -> str:
    total = annual_df.sum(axis=1)
    rec = str(_attr(annual_df, "recipients", "all"))
    sup = str(_attr(annual_df, "suppliers", "all"))
    if total.empty or total.max() <= 0:
        return "No deliveries of major arms recorded"
    peak = int(total.idxmax())
    value = _fmt_tiv(float(total.max()))
    if sup != "all" and rec != "all":
        what = f"Deliveries of major arms from {fmt.the(sup)} to {fmt.the(rec)}"
    elif sup != "all":
        what = f"{fmt.possessive(sup, capital=True)} deliveries of major arms"
    elif rec != "all":
        what = f"{fmt.possessive(rec, capital=True)} imports of major arms"
    else:
        what = "Deliveries of major arms"
    return f"{what} peaked in {peak} (TIV {value} million)"


@_recorded
def annual_tiv_chart(
    annual_df: pd.DataFrame,
    title: str | None = None,
    average_window: int = 5,
    credit: str | Mapping[str, str] | None = None,
    ax: Axes | None = None,
    top: int = 6,
) -> Figure:
    """TIV delivered per year (SIPRI TIV, millions), as bars stacked by column (supplier,
    recipient or category; the ``top`` largest named, the rest as "Others"), with a line for the
    trailing ``average_window``-year average of the total (drawn from the first full window).

    ``annual_df`` is :func:`analysis.transfers.annual_tiv` (index year, one column per group).
    """
    if average_window < 1:
        raise ParameterError(f"average_window must be at least 1 year, got {average_window}")
    fig, ax, own = _figure(ax)
    handles, labels = _stacked_year_bars(ax, annual_df, top)
    total = annual_df.sum(axis=1).astype(float)
    if average_window > 1 and len(total) >= average_window:
        avg = total.rolling(average_window, min_periods=average_window).mean()
        (line,) = ax.plot(avg.index.to_numpy(dtype=int), avg.to_numpy(), color="#1a1a1a", linewidth=1.8, gid="trailing-average")
        handles.append(line)
        labels.append(f"{average_window}-year trailing average" + (" of the total" if annual_df.shape[1] > 1 else ""))
    ax.set_xlabel("Year of delivery")
    _legend_above(ax, handles, labels, ncol=min(len(handles), 4))
    data = _annual_rows(annual_df, top)
    if average_window > 1 and len(total) >= average_window:
        avg_rows = pd.DataFrame(
            {
                "year": avg.index.astype(int),
                "series": f"{average_window}-year trailing average",
                "value": avg.to_numpy(dtype=float),
            }
        ).dropna(subset=["value"])
        data = pd.concat(
            [data, chartinfo.table(avg_rows, ["year", "series", "value"], annual_df, **_annual_constants(annual_df))],
            ignore_index=True,
        )
    return _finish(
        fig,
        ax,
        own,
        title or _default_annual_title(annual_df),
        credit_text(_attr(annual_df, "release"), credit),
        _annual_alt(data, annual_df, average_window if len(total) >= average_window > 1 else 0),
        data,
    )


def _annual_constants(annual_df: pd.DataFrame) -> dict[str, object]:
    return {
        "unit": UNIT_TIV,
        "recipients": str(_attr(annual_df, "recipients", "all")),
        "suppliers": str(_attr(annual_df, "suppliers", "all")),
        "release": chartinfo.release_of(annual_df),
    }


def _annual_rows(annual_df: pd.DataFrame, top: int) -> pd.DataFrame:
    """One row per year and series, as :func:`_stacked_year_bars` draws them (the ``top``
    largest named, the rest as "Others"; a single ``total`` column is labelled by supplier)."""
    frame = _top_columns(annual_df, top)
    if list(frame.columns) == ["total"]:
        sup = str(_attr(annual_df, "suppliers", "all"))
        frame = frame.rename(columns={"total": "All suppliers" if sup == "all" else sup})
    long = frame.rename_axis(index="year", columns="series").stack().rename("value").reset_index()
    long["year"] = long["year"].astype(int)
    long["series"] = long["series"].astype(str)
    long["value"] = long["value"].astype(float)
    long = long.sort_values(["year"], kind="mergesort")
    return chartinfo.table(long, ["year", "series", "value"], annual_df, **_annual_constants(annual_df))


def _annual_what(annual_df: pd.DataFrame) -> str:
    rec = str(_attr(annual_df, "recipients", "all"))
    sup = str(_attr(annual_df, "suppliers", "all"))
    if sup != "all" and rec != "all":
        return f"{fmt.possessive(rec)} imports of major arms from {fmt.the(sup)}"
    if sup != "all":
        return f"{fmt.possessive(sup)} deliveries of major arms"
    if rec != "all":
        return f"{fmt.possessive(rec)} imports of major arms"
    return "deliveries of major arms"


def _annual_alt(data: pd.DataFrame, annual_df: pd.DataFrame, average_window: int) -> str:
    bars = data[~data["series"].str.endswith("trailing average")]
    by = _attr(annual_df, "by", None)
    stacked = f", stacked by {by}" if by and bars["series"].nunique() > 1 else ""
    span = _window((bars["year"].min(), bars["year"].max())) if len(bars) else ""
    avg = f", with the {average_window}-year trailing average of the total" if average_window else ""
    text = f"Bar chart of {_annual_what(annual_df)} by year{', ' + span if span else ''}, in {UNIT_TIV}{stacked}{avg}."
    total = bars.groupby("year")["value"].sum()
    if total.empty or total.max() <= 0:
        return text + " No deliveries were recorded."
    return text + f" The total peaked in {int(total.idxmax())} at {fmt.tiv(float(total.max()))}."


# --------------------------------------------------------------------------- deal timeline
def _years_list(value: object) -> list[int]:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return []
    return [int(p) for p in str(value).replace(",", ";").split(";") if p.strip().isdigit()]


def _int_or_none(value: Any) -> int | None:
    try:
        if value is None or pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _release_order(deals_df: pd.DataFrame) -> list[str]:
    if "generated" in deals_df:
        g = deals_df.groupby("release")["generated"].max().sort_values(ascending=False)
        return g.index.tolist()
    return sorted(deals_df["release"].dropna().unique().tolist(), reverse=True)


_DEAL_KEY = ["recipient", "supplier", "designation", "order_year"]


def _deal_keys(d: pd.DataFrame) -> set[tuple]:
    return set(map(tuple, d[[*_DEAL_KEY, "_occ"]].astype(str).to_numpy()))


def _default_deals_title(d: pd.DataFrame, releases: list[str]) -> str:
    sups = sorted(d["supplier"].unique())
    recs = sorted(d["recipient"].unique())
    sup = fmt.the(sups[0]) if len(sups) == 1 else f"{len(sups)} suppliers"
    rec = fmt.the(recs[0]) if len(recs) == 1 else f"{len(recs)} recipients"
    newest = d[d["release"] == releases[0]]
    n = len(newest)
    years = [int(y) for y in newest["order_year"].dropna()]
    span = f", ordered {_window((min(years), max(years)))}" if years else ""
    n_open = int(newest["open"].fillna(False).astype(bool).sum())
    tail = f"; {n_open} not yet delivered" if n_open else ""
    if len(releases) > 1:
        older = d[d["release"] == releases[1]]
        new = _deal_keys(newest) - _deal_keys(older)
        if new:
            return (
                f"The {releases[0]} release lists {len(new)} deal{'s' if len(new) != 1 else ''} from {sup} to "
                f"{rec} that the {releases[1]} release did not ({n} in all{span})"
            )
        return f"The {releases[0]} release lists {n} deal{'s' if n != 1 else ''} from {sup} to {rec}{span}{tail}"
    return f"{n} deal{'s' if n != 1 else ''} for major arms from {sup} to {rec}{span}{tail}"


@_recorded
def deal_timeline_chart(
    deals_df: pd.DataFrame, title: str | None = None, credit: str | Mapping[str, str] | None = None, ax: Axes | None = None
) -> Figure:
    """One horizontal line per deal, from the order year to the last delivery year (x: year), with
    a tick at the order and a dot at each delivery year; labelled with the designation and the
    number ordered. Open deals (no delivery recorded) run dashed to the right edge.

    ``deals_df`` is :func:`analysis.deals.between` (or :func:`analysis.deals.latest`). When it
    holds several releases, each is drawn in its own colour (a deal listed by several releases
    gets one line per release, side by side) and the legend names them, newest first; with one
    release, lines take the supplier's colour.
    """
    if deals_df.empty:
        raise ParameterError("no deals to draw; check the supplier, recipient and years asked for")
    releases = _release_order(deals_df)
    several = len(releases) > 1
    rank = {r: i for i, r in enumerate(releases)}
    # a deal is its key plus an occurrence number, so two identical orders in one year stay two rows
    d_all = deals_df.assign(_r=deals_df["release"].map(rank))
    d_all = d_all.assign(_occ=d_all.groupby(["release", *_DEAL_KEY], dropna=False).cumcount())
    key_cols = [*_DEAL_KEY, "_occ"]
    groups = {k: g.sort_values("_r", kind="mergesort") for k, g in d_all.groupby(key_cols, dropna=False, sort=False)}
    keys = sorted(groups, key=lambda k: (_int_or_none(k[3]) or 0, str(k[2]), k[4]))
    multi_rec = deals_df["recipient"].nunique() > 1
    multi_sup = deals_df["supplier"].nunique() > 1
    height = min(max(2.6, 0.27 * len(keys) + 1.9), 10.5)
    fig, ax, own = _figure(ax, WIDTH, height)
    all_years = [y for v in deals_df["delivery_years"] for y in _years_list(v)]
    all_years += [int(y) for y in deals_df["order_year"].dropna()]
    x_left = min(all_years) - 1
    x_right = max(all_years) + 1.5
    rel_colour = {r: _RELEASE_COLOURS[i % len(_RELEASE_COLOURS)] for i, r in enumerate(releases)}
    labels = []
    drawn: list[dict[str, object]] = []
    any_open = False
    for row_i, key in enumerate(keys):
        part = groups[key]
        k = len(part)
        offsets = np.linspace(-0.22, 0.22, k) if k > 1 else [0.0]
        for off, (_, d) in zip(offsets, part.iterrows()):
            y = row_i + off
            colour = rel_colour[d["release"]] if several else supplier_colour(str(d["supplier"]))
            start = _int_or_none(d["order_year"])
            dyears = _years_list(d["delivery_years"])
            last = _int_or_none(d["last_delivery"]) or (max(dyears) if dyears else None)
            is_open = bool(d["open"]) if not pd.isna(d["open"]) else not dyears
            gid = f"deal:{key[2]}:{key[3]}:{key[4]}:{d['release']}"
            drawn.append(
                {
                    "recipient": str(d["recipient"]),
                    "supplier": str(d["supplier"]),
                    "designation": str(d["designation"]),
                    "n_ordered": _int_or_none(d.get("n_ordered")),
                    "order_year": start,
                    "delivery_years": "; ".join(map(str, dyears)),
                    "last_delivery": last,
                    "open": is_open,
                    "release": str(d["release"]),
                }
            )
            if start is not None and last is not None:
                ax.plot([start, last], [y, y], color=colour, linewidth=2.0, solid_capstyle="butt", gid=gid)
            if is_open and start is not None:
                any_open = True
                ax.plot([start, x_right], [y, y], color=colour, linewidth=1.6, linestyle=(0, (3, 2)), gid=gid + ":open")
            if start is not None:
                ax.plot([start], [y], marker="|", markersize=8, markeredgewidth=1.6, color=colour, linestyle="none")
            if dyears:
                ax.plot(
                    dyears,
                    [y] * len(dyears),
                    marker="o",
                    markersize=4.2,
                    color=colour,
                    linestyle="none",
                    markeredgecolor="white",
                    markeredgewidth=0.5,
                )
        ref = part.iloc[0]
        n = _int_or_none(ref.get("n_ordered"))
        prefix = " / ".join(x for x in ([fmt.name(key[1])] if multi_sup else []) + ([fmt.name(key[0])] if multi_rec else []))
        label = f"{key[2]} ({n:,} ordered)" if n is not None else f"{key[2]}"
        labels.append(f"{prefix}: {label}" if prefix else label)
    ax.set_yticks(range(len(keys)), labels)
    ax.set_ylim(len(keys) - 0.5, -0.5)
    ax.set_xlim(x_left, x_right)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=max(4, round(fig.get_figwidth() * 10 / WIDTH))))
    ax.set_xlabel("Year (order to last delivery)")
    ax.grid(False, axis="y")
    ax.grid(True, axis="x")
    ax.tick_params(axis="y", length=0)
    handles: list = []
    leg_labels: list[str] = []
    if several:
        for i, r in enumerate(releases):
            handles.append(Line2D([], [], color=rel_colour[r], linewidth=2.5))
            leg_labels.append(f"{r} release" + (" (newest deliveries)" if i == 0 else ""))
    handles += [
        Line2D([], [], color="#444444", marker="|", markersize=8, markeredgewidth=1.6, linestyle="none"),
        Line2D([], [], color="#444444", marker="o", markersize=4.2, linestyle="none"),
    ]
    leg_labels += ["Order year", "Delivery year"]
    if any_open:
        handles.append(Line2D([], [], color="#444444", linewidth=1.6, linestyle=(0, (3, 2))))
        leg_labels.append("Open: no delivery recorded yet")
    _legend_above(ax, handles, leg_labels, ncol=min(len(handles), 3 if several else 4), right=True)
    rels = releases[::-1] if several else releases
    extra = ["Each line is one deal in one release; the number ordered is the newest release's"] if several else []
    data = chartinfo.table(drawn, list(drawn[0]), deals_df, unit=UNIT_YEARS)
    data["n_ordered"] = data["n_ordered"].astype("Int64")
    data["order_year"] = data["order_year"].astype("Int64")
    data["last_delivery"] = data["last_delivery"].astype("Int64")
    return _finish(
        fig,
        ax,
        own,
        title or _default_deals_title(d_all, releases),
        credit_text(rels, credit, extra),
        _deals_alt(data, releases),
        data,
    )


def _deals_alt(data: pd.DataFrame, releases: list[str]) -> str:
    newest = data[data["release"] == releases[0]]
    sups, recs = sorted(newest["supplier"].unique()), sorted(newest["recipient"].unique())
    sup = fmt.the(sups[0]) if len(sups) == 1 else f"{len(sups)} suppliers"
    rec = fmt.the(recs[0]) if len(recs) == 1 else f"{len(recs)} recipients"
    n = len(newest)
    where = (
        f"in the {releases[0]} release (lines for {len(releases)} releases side by side)"
        if len(releases) > 1
        else f"in the {releases[0]} release"
    )
    text = (
        f"Timeline of {fmt.plural(n, 'deal')} for major arms from {sup} to {rec} {where}, each from its order "
        "year to its last delivery."
    )
    years = newest["order_year"].dropna().astype(int)
    if len(years):
        text += f" Orders were placed in {_window((years.min(), years.max()))}"
        n_open = int(newest["open"].astype(bool).sum())
        text += f"; {n_open} {fmt.verb(n_open, 'has', 'have')} no delivery recorded yet." if n_open else "."
    return text


# --------------------------------------------------------------------------- deaths and imports
def _violence_legend(label: str) -> str:
    """'state-based' -> 'State-based violence'; 'all (UCDP GED via OWID)' -> 'All types (UCDP GED via OWID)'."""
    label = str(label)
    if label.startswith("all"):
        return "All types" + label[3:]
    return label[:1].upper() + label[1:] + ("" if "(" in label else " violence")


def _violence_label(v: Any) -> str:
    try:
        return _TYPES_OF_VIOLENCE[int(v)]
    except (TypeError, ValueError, KeyError):
        return str(v)


def _source_names(values: Iterable[object]) -> list[str]:
    from analysis import sources

    out = []
    for v in values:
        if v is None or pd.isna(v):
            continue
        try:
            text = sources.source(str(v)).credit
        except Exception:  # not a catalogue id: the caller's own wording
            text = str(v)
        if text not in out:
            out.append(text)
    return out


@_recorded
def deaths_and_imports_chart(
    deaths_df: pd.DataFrame,
    annual_df: pd.DataFrame,
    title: str | None = None,
    credit: str | Mapping[str, str] | None = None,
    ax: Sequence[Axes] | None = None,
    top: int = 5,
) -> Figure:
    """Two panels on one year axis, never a dual y-axis: conflict deaths by type of violence
    (stacked bars, deaths per year) above arms imports (SIPRI TIV, millions; stacked by supplier).

    ``deaths_df`` has columns country, year, type_of_violence (1/2/3 or a label), deaths, source;
    several countries are summed. ``annual_df`` is :func:`analysis.transfers.annual_tiv`.
    ``ax`` may be a pair of axes (top, bottom) that share their x axis.
    """
    need = {"country", "year", "type_of_violence", "deaths"}
    if missing := need - set(deaths_df.columns):
        raise ParameterError(f"deaths_df lacks column(s) {', '.join(sorted(missing))}")
    if ax is None:
        apply_style()
        prof = _PROFILE.get()
        fig = Figure(figsize=(prof[0] if prof else WIDTH, 5.4), dpi=DPI, layout="constrained")
        _constrained(fig).set(h_pad=0.04, w_pad=0.04)
        top_ax, bottom_ax = fig.subplots(2, 1, sharex=True, height_ratios=[1, 1])
        own = True
    else:
        apply_style()
        top_ax, bottom_ax = ax
        fig = _figure_of(top_ax)
        own = False
    d = deaths_df.assign(_type=deaths_df["type_of_violence"].map(_violence_label))
    table = d.pivot_table(index="year", columns="_type", values="deaths", aggfunc="sum", fill_value=0)
    order = [t for t in _TYPES_OF_VIOLENCE.values() if t in table.columns] + [
        t for t in table.columns if t not in _TYPES_OF_VIOLENCE.values()
    ]
    table = table[order]
    years_all = sorted(set(table.index.astype(int)) | set(annual_df.index.astype(int)))
    bottom = np.zeros(len(table))
    handles = []
    for i, col in enumerate(table.columns):
        vals = table[col].to_numpy(dtype=float)
        colour = _VIOLENCE.get(col, _SERIES[i % len(_SERIES)])
        handles.append(
            top_ax.bar(table.index.to_numpy(dtype=int), vals, bottom=bottom, width=0.78, color=colour, linewidth=0, label=col)
        )
        bottom = bottom + vals
    top_ax.set_ylabel("Conflict deaths\n(best estimate)")
    top_ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    _legend_above(top_ax, handles, [_violence_legend(c) for c in table.columns], ncol=3)
    if len(table) and (table.index.min() > years_all[0] or table.index.max() < years_all[-1]):
        top_ax.text(
            0.01,
            0.96,
            f"Conflict-death data cover {_window((table.index.min(), table.index.max()))}",
            transform=top_ax.transAxes,
            ha="left",
            va="top",
            fontsize=_fs(7),
            color=MUTED,
        )
    imp_handles, imp_labels = _stacked_year_bars(bottom_ax, annual_df, top)
    _legend_above(bottom_ax, imp_handles, imp_labels, ncol=min(len(imp_handles), 4))
    bottom_ax.set_xlabel("Year")
    bottom_ax.set_xlim(years_all[0] - 0.7, years_all[-1] + 0.7)
    top_ax.tick_params(labelbottom=False)
    countries = sorted(d["country"].dropna().astype(str).unique())
    place = fmt.names(countries)
    if title is None:
        deaths_by_year = table.sum(axis=1)
        total = annual_df.sum(axis=1)
        if len(deaths_by_year) and deaths_by_year.max() > 0:
            dy = int(deaths_by_year.idxmax())
            title = f"Conflict deaths in {place} peaked in {dy} ({deaths_by_year.max():,.0f})"
            if len(total) and total.max() > 0:
                title += f"; arms imports peaked in {int(total.idxmax())}"
        else:
            title = f"Conflict deaths and arms imports, {place}"
    sources_ = _source_names(deaths_df.get("source", pd.Series(dtype=str)).unique())
    extra = [f"Conflict deaths: {s}" for s in sources_]
    place_raw = countries[0] if len(countries) == 1 else ", ".join(countries)
    deaths_long = table.rename_axis(index="year", columns="series").stack().rename("value").reset_index()
    deaths_long = deaths_long.assign(
        year=deaths_long["year"].astype(int), series=deaths_long["series"].astype(str), value=deaths_long["value"].astype(float)
    )
    deaths_rows = chartinfo.table(
        deaths_long.sort_values("year", kind="mergesort"),
        ["year", "series", "value"],
        None,
        panel="conflict deaths",
        unit=UNIT_DEATHS,
        recipients=place_raw,
        source="; ".join(sources_),
    )
    imports_rows = _annual_rows(annual_df, top).assign(panel="arms imports")
    data = pd.concat([deaths_rows, imports_rows], ignore_index=True)
    front = ["panel", "year", "series", "value", "unit"]
    data = data[front + [c for c in data.columns if c not in front]]
    return _finish(
        fig,
        top_ax,
        own,
        title,
        credit_text(_attr(annual_df, "release"), credit, extra),
        _deaths_alt(data, place_raw, annual_df),
        data,
    )


def _deaths_alt(data: pd.DataFrame, place: str, annual_df: pd.DataFrame) -> str:
    years = data["year"]
    span = _window((years.min(), years.max())) if len(years) else ""
    text = (
        f"Two bar charts on one year axis{', ' + span if span else ''}: conflict deaths in "
        f"{fmt.names(place.split(', '))} by type of violence (best estimate), above "
        f"{_annual_what(annual_df)} in {UNIT_TIV}."
    )
    deaths = data[data["panel"] == "conflict deaths"].groupby("year")["value"].sum()
    imports = data[data["panel"] == "arms imports"].groupby("year")["value"].sum()
    found = []
    if len(deaths) and deaths.max() > 0:
        found.append(f"deaths peaked in {int(deaths.idxmax())} ({fmt.num(deaths.max())})")
    else:
        found.append("no conflict deaths were recorded")
    if len(imports) and imports.max() > 0:
        found.append(f"imports peaked in {int(imports.idxmax())} ({fmt.tiv(float(imports.max()))})")
    return text + " " + fmt.capital("; ".join(found)) + "."


# --------------------------------------------------------------------------- map
def _africa_frame(path: str | os.PathLike[str]):  # -> geopandas.GeoDataFrame
    import geopandas as gpd

    world = gpd.read_file(path)
    code = world["ADM0_A3"].replace({"SDS": "SSD", "SOL": "SOM", "SAH": "ESH", "KOS": "XKX"})
    world = world.assign(code=code)
    africa = world[world["CONTINENT"] == "Africa"].dissolve(by="code", as_index=False)  # Somaliland into Somalia
    w, s, e, n = _AFRICA_BBOX
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
    return _read_base_map(str(p), st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=4)
def _read_base_map(path: str, mtime_ns: int, size: int) -> _BaseMap:
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


def _states(fig: Figure) -> dict[str, StateCollection]:
    """ISO3 -> the collection that draws the state, for every state on a map in ``fig``."""
    return {g: c for ax in fig.axes for c in ax.collections if isinstance(c, StateCollection) for g in c.gids}


def state_colours(fig: Figure) -> dict[str, str]:
    """ISO3 -> fill colour (hex) of every state on the map(s) in ``fig``."""
    return {g: c.facecolor_of(g) for g, c in _states(fig).items()}


@_recorded
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

    supplier = supplier or str(_attr(share_df, "supplier", ""))
    if not supplier or supplier == "all":
        raise ParameterError("name the supplier whose share is mapped (supplier='China')")
    if region_iso3 is None:
        states = regions.members(str(_attr(share_df, "recipients", "Africa")) or "Africa", include_non_state=False)
        region_codes = {c for c in (regions.iso3(s) for s in states) if c}
    else:
        region_codes = {str(c).upper() for c in region_iso3}
    base = _base_map(sources.locate("naturalearth_110m").path)
    shares = share_df.dropna(subset=["iso3"]).groupby("iso3")["share"].max()
    cmap = share_cmap(supplier)
    norm = Normalize(0, 100)
    w, s, e, n = _AFRICA_BBOX
    width_in, height_in = WIDTH, 7.0
    prof = _PROFILE.get()
    page = prof is not None  # redrawn for a page: as tall as the narrower map needs
    if prof is not None:
        height_in = 7.0 * prof[0] / WIDTH + 0.3
    if ax is None:
        fig, ax = _new_figure(width_in, height_in)
        own = True
    else:
        apply_style()
        fig, own = _figure_of(ax), False
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
            facecolors=[to_hex(cmap(norm(float(shares[c])))) for c in groups["shaded"]], edgecolors=_BORDER, linewidths=0.35
        ),
        "no-imports": dict(facecolors=_NO_DATA, edgecolors=_BORDER, linewidths=0.35, hatch="/////"),
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
    cbar.set_label(f"Share of imports from {fmt.name(supplier)} (%)")
    cbar.outline.set_visible(False)
    years = _window(_attr(share_df, "years"))
    handles = [
        Patch(facecolor=_NO_DATA, edgecolor=_BORDER, hatch="/////", linewidth=0.35),
        Patch(facecolor="white", edgecolor="#555555", linewidth=0.8, linestyle=(0, (2, 1.5))),
    ]
    outside = sorted(groups["outside"])
    notes = []
    if "EGY" in outside:
        notes.append("Egypt counts in SIPRI's Middle East")
    if "ESH" in outside:
        notes.append("Western Sahara not shown separately")
    others_out = [fmt.name(c) for c in outside if c not in ("EGY", "ESH") and _canonical(c)]
    if others_out:
        notes.append(f"outside the region: {_join(others_out)}")
    labels = [
        f"No major-arms imports recorded{' in ' + years if years else ''}",
        ";\n".join(n[0].upper() + n[1:] if i == 0 else n for i, n in enumerate(notes)),
    ]
    n_keep = 2 if notes else 1
    ax.legend(
        handles[:n_keep],
        labels[:n_keep],
        loc="lower left",
        bbox_to_anchor=(0.0, 0.0),
        fontsize=_fs(7),
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
    missing_no = [fmt.name(regions.resolve(c)) for c in sorted(region_codes - on_map - set(shares.index)) if _canonical(c)]
    note = f"Shares of each state's imports of major arms by SIPRI TIV{', ' + years if years else ''}."
    if off:
        note += " Not on this map: " + ", ".join(f"{fmt.name(r)} {sh:.0f}%" for r, sh in off) + "."
    if missing_no:
        note += f" No imports recorded: {_join(missing_no)}."
    # in the empty South Atlantic, above the legend: 30% of the figure's width (2.1 inches at 7)
    note_lines = _wrap(note, fig, _fs(6.8), fraction=0.3)
    ax.text(
        0.005,
        0.115 if not page else 0.13,
        note_lines,
        transform=ax.transAxes,
        ha="left",
        va="bottom",
        fontsize=_fs(6.8),
        color=MUTED,
        linespacing=1.3,
    )
    if title is None:
        valid = shares[shares.index.isin(region_codes)]
        k = int((valid >= 50).sum())
        region = fmt.the(str(_attr(share_df, "recipients", "Africa")))
        title = (
            f"{fmt.the(supplier, capital=True)} supplied at least half the major arms of {k} of the {len(valid)} states in "
            f"{region} that imported any{', ' + years if years else ''}"
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
        if code not in on_map and not _canonical(code):
            continue
        rows.append(
            {
                "recipient": str(names.get(code) or regions.resolve(code)),
                "iso3": code,
                "value": float(shares[code]) if code in shares.index else float("nan"),
                "status": status,
            }
        )
    region = str(_attr(share_df, "recipients", "Africa"))
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
    return _finish(
        fig,
        ax,
        own,
        title,
        credit_text(_attr(share_df, "release"), credit, ["Map: Natural Earth (public domain)"]),
        _map_alt(data, supplier, region, years),
        data,
    )


def _map_alt(data: pd.DataFrame, supplier: str, region: str, years: str) -> str:
    when = f" in {years}" if years else ""
    text = (
        f"Map of {fmt.the(region)} shading each state by the share of its imports of major arms{when} that "
        f"came from {fmt.the(supplier)} ({UNIT_SHARE})."
    )
    valid = data.dropna(subset=["value"])
    if valid.empty:
        return text + " No state in the region imported major arms."
    top = valid.sort_values("value", ascending=False, kind="mergesort").iloc[0]
    k = int((valid["value"] >= 50).sum())
    return text + (
        f" {fmt.the(supplier, capital=True)} supplied at least half of the imports of {k} of the "
        f"{len(valid)} states that imported any; the largest share was {fmt.possessive(top['recipient'])}, "
        f"{fmt.pct(top['value'])}."
    )


# --------------------------------------------------------------------------- rankings
def _default_ranking_title(df: pd.DataFrame, label_col: str, value_col: str) -> str:
    top = df.sort_values(value_col, ascending=False).iloc[0]
    name = fmt.the(top[label_col], capital=True)
    years = _window(_attr(df, "years"))
    rec_raw = str(_attr(df, "recipients", "the selection"))
    rec = fmt.the(rec_raw)
    sup = str(_attr(df, "supplier", "all"))
    when = f" in {years}" if years else ""
    flows = (
        f"{fmt.possessive(sup)} deliveries of major arms to {rec}"
        if sup != "all"
        else f"{fmt.possessive(rec_raw)} imports of major arms"
    )
    if "share" in df.columns and pd.notna(top["share"]):
        v = f"{top['share']:.0f}%"
        if label_col == "recipient" and sup != "all":
            return f"{name} received {v} of {flows}{when}"
        if label_col == "supplier":
            return f"{name} supplied {v} of {fmt.possessive(rec_raw)} imports of major arms{when}"
        if label_col == "category":
            return f"{name} made up {v} of {flows}{when}"
        return f"{name} ranks first with {v}{when}"
    return f"{name} ranks first (TIV {_fmt_tiv(float(top[value_col]))} million){when}"


@_recorded
def bar_ranking_chart(
    df: pd.DataFrame,
    label_col: str,
    value_col: str = "share",
    title: str | None = None,
    credit: str | Mapping[str, str] | None = None,
    colour_by_supplier: bool = False,
    ax: Axes | None = None,
) -> Figure:
    """Horizontal bars for a ranking, largest at the top: top recipients, armament categories or
    supplier shares. ``value_col`` "share" is percent of TIV delivered, "tiv" is SIPRI TIV
    (millions). ``colour_by_supplier`` colours each bar by its supplier; otherwise bars take the
    colour of the frame's single supplier (``attrs["supplier"]``) or the house grey-blue.
    """
    for col in (label_col, value_col):
        if col not in df.columns:
            raise ParameterError(f"column {col!r} not in the frame (columns: {', '.join(map(str, df.columns))})")
    if df.empty:
        raise ParameterError("nothing to rank: the frame is empty")
    d = df.sort_values(value_col, ascending=False, kind="mergesort")
    height = min(max(2.4, 0.27 * len(d) + 1.5), 10.5)
    fig, ax, own = _figure(ax, WIDTH, height)
    names = [str(x) for x in d[label_col]]
    vals = d[value_col].to_numpy(dtype=float)
    if colour_by_supplier:
        colours = [supplier_colour(n) for n in names]
    else:
        sup = str(_attr(df, "supplier", "all"))
        colours = [supplier_colour(sup) if sup != "all" and _canonical(sup) else HOUSE_COLOUR] * len(names)
    ypos = np.arange(len(names))
    bars = ax.barh(ypos, vals, height=0.7, color=colours, linewidth=0)
    for rect, name in zip(bars.patches, names):
        rect.set_gid(f"bar:{name}")
    vmax = float(np.nanmax(vals)) if len(vals) else 1.0
    for y, v in zip(ypos, vals):
        text = f"{v:.0f}%" if value_col == "share" and v >= 1 else (f"{v:.1f}%" if value_col == "share" else _fmt_tiv(v))
        ax.text(v + vmax * 0.01, float(y), text, va="center", ha="left", fontsize=_fs(7.5), color=TEXT_COLOUR)
    ax.set_yticks(ypos, [fmt.name(n) for n in names])
    ax.set_ylim(len(names) - 0.5, -0.6)
    ax.set_xlim(0, vmax * 1.1 if vmax > 0 else 1)
    ax.set_xlabel({"share": SHARE_AXIS, "tiv": TIV_AXIS}.get(value_col, value_col))
    ax.grid(False, axis="y")
    ax.grid(True, axis="x")
    ax.tick_params(axis="y", length=0)
    unit = _ranking_unit(df, label_col, value_col)
    data = chartinfo.table(
        pd.DataFrame({"rank": np.arange(1, len(names) + 1), label_col: names, "value": vals}),
        ["rank", label_col, "value"],
        df,
        unit=unit,
        recipients=str(_attr(df, "recipients", "")),
        supplier=str(_attr(df, "supplier", "all")),
        years=_window(_attr(df, "years")),
        release=chartinfo.release_of(df),
    )
    return _finish(
        fig,
        ax,
        own,
        title or _default_ranking_title(d, label_col, value_col),
        credit_text(_attr(df, "release"), credit),
        _ranking_alt(data, df, label_col),
        data,
    )


def _ranking_unit(df: pd.DataFrame, label_col: str, value_col: str) -> str:
    if value_col == "tiv":
        return UNIT_TIV
    if value_col == "share":
        return UNIT_SHARE if label_col == "supplier" else UNIT_SHARE_DELIVERIES
    return str(value_col)


def _ranking_alt(data: pd.DataFrame, df: pd.DataFrame, label_col: str) -> str:
    years = _window(_attr(df, "years"))
    when = f" in {years}" if years else ""
    rec = str(_attr(df, "recipients", "the selection"))
    sup = str(_attr(df, "supplier", "all"))
    flows = (
        f"{fmt.possessive(sup)} deliveries of major arms to {fmt.the(rec)}"
        if sup != "all"
        else f"{fmt.possessive(rec)} imports of major arms"
    )
    plural = {"recipient": "recipients", "supplier": "suppliers", "category": "armament categories"}.get(
        label_col, f"{label_col} values"
    )
    unit = str(data["unit"].iloc[0])
    text = f"Horizontal bar chart ranking {len(data)} {plural} of {flows}{when}, in {unit}."
    top = data.sort_values("value", ascending=False, kind="mergesort").iloc[0]
    value = fmt.tiv(float(top["value"])) if unit == UNIT_TIV else fmt.pct(float(top["value"]))
    return text + f" {fmt.the(top[label_col], capital=True)} ranks first with {value}."


# --------------------------------------------------------------------------- output
def save(fig: Figure, path: str | os.PathLike[str], dpi: int = DPI) -> Path:
    """Write ``fig`` atomically (a temporary file renamed into place) at ``dpi``. PNG unless the
    name ends in .svg or .pdf. Returns the path. No ``bbox_inches="tight"``: constrained layout
    already keeps every chart inside its figure (checked for the default briefing's charts), and
    the tight box cost 15-35% of the PNG time."""
    target = Path(path)
    fmt = target.suffix.lstrip(".").lower() or "png"
    if fmt not in ("png", "svg", "pdf"):
        raise ParameterError(f"save charts as .png, .svg or .pdf, not {target.suffix!r}")
    with atomic.atomic_open(target, "wb") as fh:
        fig.savefig(fh, format=fmt, dpi=dpi, facecolor="white")
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(target, 0o666 & ~umask)  # the temporary file was private (0600); give it the usual mode
    return target


# --------------------------------------------------------------------------- for the page
@contextlib.contextmanager
def _without_text(fig: Figure):
    """Hide the chart's title and credit line while the figure is rendered. The figure is made
    shorter by the height they took, so the plot keeps its size; everything is restored after."""
    texts = [t for t in fig.findobj(Text) if t.get_gid() in ("chart-title", "credit") and t.get_visible()]
    engine = cast(ConstrainedLayoutEngine, fig.get_layout_engine())  # used only when it is one
    constrained = type(engine).__name__ == "ConstrainedLayoutEngine"
    rect = tuple(engine.get()["rect"]) if constrained else None
    size = tuple(fig.get_size_inches())
    freed = 0.0
    for t in texts:
        if t is getattr(
            fig, "_suptitle", None
        ):  # private, so not in the stubs; always set on a Figure  # the figure's own title: its height plus the layout's padding
            freed += t.get_window_extent().height / fig.dpi + 2 * 0.04
        elif t.get_gid() == "credit" and rect is not None:
            freed += rect[1] * size[1]
    try:
        for t in texts:
            t.set_visible(False)
            t.set_in_layout(False)
        if constrained:
            engine.set(rect=(0, 0, 1, 1))
            if freed and freed < size[1] / 2:
                fig.set_size_inches(size[0], size[1] - freed)
        yield fig
    finally:
        for t in texts:
            t.set_visible(True)
            t.set_in_layout(True)
        if constrained:
            engine.set(rect=rect)
        fig.set_size_inches(*size)


def _render(fig: Figure, format: str, text: bool, dpi: float, width: float | None) -> bytes:
    if width is not None and abs(float(width) - fig.get_figwidth()) > 1e-6:
        call = getattr(fig, "_chart_call", None)
        if call is None:
            raise ParameterError("only a chart that made its own figure (ax=None) can be redrawn at another width")
        scale = PAGE_FONT_SCALE if float(width) < WIDTH else 1.0
        token = _PROFILE.set((float(width), scale))
        try:
            with mpl.rc_context():  # the page's font sizes are set for this drawing only
                return _render(call(), format, text, dpi, None)
        finally:
            _PROFILE.reset(token)
    buf = io.BytesIO()
    metadata = {"Date": None} if format == "svg" else {"Software": None}
    with mpl.rc_context({"svg.fonttype": "path", "svg.hashsalt": "arms-briefings", "svg.image_inline": True}):
        if text:
            fig.savefig(buf, format=format, dpi=dpi, facecolor="white", metadata=metadata)
        else:
            with _without_text(fig):
                fig.savefig(buf, format=format, dpi=dpi, facecolor="white", metadata=metadata)
    return buf.getvalue()


def to_svg(fig: Figure, text: bool = True, width: float | None = None) -> str:
    """The chart as a self-contained SVG document: glyphs drawn as paths (no font files, no
    external references; the map's colour bar is an inline data: image), ids fixed by a salt and no
    render date. ``text=False`` leaves out the title and the credit line (the page prints
    :func:`info`'s ``title`` and ``credit`` as HTML text). ``width`` (inches) redraws the chart at
    that width first (:data:`PAGE_WIDTH` for a page, with larger type)."""
    return _render(fig, "svg", text, DPI, width).decode("utf-8")


def to_png(fig: Figure, text: bool = True, dpi: float = DPI, width: float | None = None) -> bytes:
    """The chart as PNG bytes at ``dpi``; ``text`` and ``width`` as for :func:`to_svg`. For a web
    page use ``to_png(fig, text=False, width=PAGE_WIDTH, dpi=2 * DPI)``: legible at 390 px and
    sharp on high-density screens."""
    return _render(fig, "png", text, dpi, width)
