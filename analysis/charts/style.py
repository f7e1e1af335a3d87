"""The house style: constants, the style sheet, supplier colours, credit lines, titles, layout and the
helpers every chart uses (figures, legends, recording a chart's data for :func:`analysis.charts.info`).

Part of :mod:`analysis.charts` (see its docstring for the rules every chart follows)."""

from __future__ import annotations

import colorsys
import contextvars
import functools
import math
import zlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

import matplotlib as mpl
import pandas as pd
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap, to_hex, to_rgb
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.text import Text
from matplotlib.textpath import TextToPath
from matplotlib.typing import RcKeyType

from analysis import chartinfo, fmt, regions
from analysis.chartinfo import ChartInfo
from analysis.errors import ParameterError, UnknownNameError
from analysis.i18n import N_, _, language, ngettext

# --------------------------------------------------------------------------- constants
WIDTH, HEIGHT = 7.0, 3.8  # inches: one A4 text column
DPI = 150
FONT = "DejaVu Sans"
#: Reader-visible constants are English msgids: translate them where they are used (``_(TIV_AXIS)``).
CHART_CREDIT = N_("Chart: arms-briefings.")
SIPRI_DATABASE = N_("SIPRI Arms Transfers Database")
TIV_AXIS = N_("SIPRI TIV (millions)")
SHARE_AXIS = N_("Share of SIPRI TIV delivered (%)")
OTHERS = "Others"  # a data label (the series' name); shown through fmt.name
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

SERIES = (
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
VIOLENCE = {"state-based": "#3b4b5c", "non-state": "#9db0c2", "one-sided": "#b4643f"}
TYPES_OF_VIOLENCE = {1: "state-based", 2: "non-state", 3: "one-sided"}
RELEASE_COLOURS = ("#0072b2", "#e69f00", "#8c8c8c", "#b07aa1", "#59a14f")
_TEXT_TO_PATH = TextToPath()
BORDER = "#8f8f8f"
NO_DATA = "#eaeaea"
AFRICA_BBOX = (-19.5, -36.0, 53.5, 38.5)  # lon/lat: west, south, east, north

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
    "axes.prop_cycle": cycler(color=list(SERIES)),
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
PROFILE: contextvars.ContextVar[tuple[float, float] | None] = contextvars.ContextVar("chart_profile", default=None)


def font_size(size: float) -> float:
    """A font size in points, scaled when the chart is redrawn for a page."""
    prof = PROFILE.get()
    return size * prof[1] if prof else size


def apply_style() -> None:
    """Set the house style in ``matplotlib.rcParams`` (idempotent: calling it again changes nothing).

    White background, no top/right spines, a light horizontal grid, DejaVu Sans (bundled with
    matplotlib, so available offline), 150 dpi, 7 x 3.8 inch figures (an A4 text column)."""
    style = dict(STYLE)
    if PROFILE.get():
        style.update({k: font_size(float(style[k])) for k in _FONT_KEYS})
    mpl.rcParams.update(style)


# --------------------------------------------------------------------------- names and colours
def canonical_supplier(name: str) -> str | None:
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
    canon = canonical_supplier(str(name))
    if canon in SUPPLIER_COLOURS:
        return SUPPLIER_COLOURS[canon]
    key = (canon or str(name).strip()).lower()
    return NEUTRAL_COLOURS[zlib.crc32(key.encode("utf-8")) % len(NEUTRAL_COLOURS)]


def ink_on(colour: str) -> str:
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
def window_label(years: Any) -> str:
    try:
        a, b = (int(years[0]), int(years[1]))
    except (TypeError, ValueError, IndexError):
        return ""
    return fmt.years(a, b)


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
        missing = [r for r in rels if r not in text and release_label(r) not in text]
        if missing:
            text += " " + ngettext("({releases} release)", "({releases} releases)", len(missing)).format(
                releases=join_names([release_label(r) for r in missing])
            )
    else:
        generated = ""
        if isinstance(credit, Mapping):
            rel = str(credit.get("release", "") or "")
            if rels and rel and rel not in rels:
                raise ParameterError(
                    f"the credit names the {rel} release but the data are from the {join_names(rels)} "
                    "release; pass the release_of() stamp of the source you plotted"
                )
            rels = rels or ([rel] if rel else [])
            generated = str(credit.get("generated", "") or "")
        if not rels:
            text = _("Source: SIPRI Arms Transfers Database")
        elif len(rels) == 1:
            if generated:
                text = _("Source: SIPRI Arms Transfers Database, {release} release (data generated {date})").format(
                    release=release_label(rels[0]), date=generated if language() == "en" else fmt.long_date(generated)
                )
            else:
                text = _("Source: SIPRI Arms Transfers Database, {release} release").format(release=release_label(rels[0]))
        else:
            text = _("Source: SIPRI Arms Transfers Database, {releases} releases").format(
                releases=join_names([release_label(r) for r in rels])
            )
    parts = [text, *[e for e in extras if e.lower() not in text.lower()]]
    out = ". ".join(parts) + "."
    if "arms-briefings" not in out:
        out += " " + _(CHART_CREDIT)
    return out


def release_label(release: str) -> str:
    """A SIPRI release label as the current language writes it (:func:`analysis.fmt.release_name`)."""
    return fmt.release_name(release)


def join_names(items: Sequence[str]) -> str:
    items = list(items)
    if language() != "en":
        return fmt.listing(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def sipri_credit(source: str = "sipri_register") -> dict[str, str]:
    """The release stamp of a SIPRI register (``{"release", "generated", ...}``) to pass as
    ``credit=``: the credit line then gives the date the data were generated."""
    from analysis import data  # loads the register; kept out of module import

    return data.release_of(source)


@functools.lru_cache(maxsize=8192)
def _text_width(text: str, fontsize: float, bold: bool = False) -> float:
    """Width of one line of ``text`` in points, measured with the house font (remembered: the
    same credit line and legend labels are measured for every chart of every briefing)."""
    prop = FontProperties(family=FONT, size=fontsize, weight="bold" if bold else "normal")
    w, _, _ = _TEXT_TO_PATH.get_text_width_height_descent(text, prop, ismath=False)
    return float(w)


def wrap_text(text: str, fig: Figure, fontsize: float, bold: bool = False, fraction: float = 0.97) -> str:
    """``text`` broken into lines that fit ``fraction`` of the figure's width (measured, not guessed)."""
    return _wrapped(str(text), fig.get_figwidth() * 72 * fraction, fontsize, bold)


@functools.lru_cache(maxsize=2048)
def _wrapped(text: str, limit: float, fontsize: float, bold: bool) -> str:
    """``text`` in lines of at most ``limit`` points (a word longer than that gets a line of its own)."""
    out: list[str] = []
    for para in text.split("\n"):
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
    wrapped = wrap_text(text, fig, fontsize, fraction=0.93)  # 0.97 overran the right edge at 100 dpi
    for t in fig.texts:
        if t.get_gid() == "credit":
            t.remove()
    n_lines = wrapped.count("\n") + 1
    height = (n_lines * fontsize * 1.3 + 8) / (fig.get_figheight() * 72)
    engine = fig.get_layout_engine()
    if engine is not None and hasattr(engine, "set") and type(engine).__name__ == "ConstrainedLayoutEngine":
        cast(ConstrainedLayoutEngine, engine).set(rect=(0, height, 1, 1 - height))
    return fig.text(0.008, 0.006, wrapped, ha="left", va="bottom", fontsize=fontsize, color=MUTED, gid="credit", linespacing=1.25)


def new_figure(width: float = WIDTH, height: float = HEIGHT, **subplot_kw) -> tuple[Figure, Axes]:
    apply_style()
    prof = PROFILE.get()
    if prof:
        width = prof[0]
    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    constrained_engine(fig).set(h_pad=0.04, w_pad=0.04)
    ax = fig.add_subplot(**subplot_kw)
    return fig, ax


def constrained_engine(fig: Figure) -> ConstrainedLayoutEngine:
    """The layout engine of a figure made with ``layout="constrained"``."""
    return cast(ConstrainedLayoutEngine, fig.get_layout_engine())


def figure_of(ax: Axes) -> Figure:
    """The Figure ``ax`` is drawn in. Charts draw into a Figure's axes, never a SubFigure's
    (the title and credit line need the figure's size, which a SubFigure does not have)."""
    return cast(Figure, ax.figure)


def figure_and_axes(ax: Axes | None, width: float = WIDTH, height: float = HEIGHT) -> tuple[Figure, Axes, bool]:
    if ax is None:
        fig, ax = new_figure(width, height)
        return fig, ax, True
    apply_style()
    return figure_of(ax), ax, False


def _title(fig: Figure, ax: Axes, title: str, own: bool) -> None:
    """The finding, in bold at the top-left: of the figure when the chart owns it, of the axes
    when drawn into the caller's figure. The text carries the gid "chart-title"."""
    if own:
        t = fig.suptitle(wrap_text(title, fig, 11, bold=True), x=0.008, ha="left", fontsize=11, fontweight="bold")
    else:
        t = ax.set_title(wrap_text(title, fig, 9.5, bold=True), loc="left", fontweight="bold")
    t.set_gid("chart-title")


def recorded_chart(func):
    """Keep the call on the Figure a chart function returns (when it made the Figure itself), so
    :func:`to_png` / :func:`to_svg` can redraw the chart at another width."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        fig = func(*args, **kwargs)
        if kwargs.get("ax") is None and not any(
            isinstance(a, Axes) or (isinstance(a, Sequence) and a and isinstance(a[0], Axes)) for a in args[1:]
        ):
            fig._chart_call = functools.partial(func, *args, **kwargs)
            fig._chart_profile = PROFILE.get()  # the width and type it was made with (None: the house's)
        return fig

    return wrapper


def finish(fig: Figure, ax: Axes, own: bool, title: str, credit: str, alt: str, data: pd.DataFrame) -> Figure:
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


def frame_attr(df: pd.DataFrame, key: str, default: Any = None) -> Any:
    return df.attrs.get(key, default)


def legend_above(ax: Axes, handles: list, labels: list[str], ncol: int | None = None, right: bool = False) -> None:
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
    limit = figure_of(ax).get_figwidth() * 72 * 0.95
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


def fmt_tiv(v: float) -> str:
    """A TIV value on a chart: '1,363' (no decimals from 10 up), '4.2'; French '1 363', '4,2'."""
    if language() != "en":
        return fmt.num(v, 0 if abs(v) >= 10 else 1)
    return f"{v:,.0f}" if abs(v) >= 10 else f"{v:,.1f}"


def pct_label(v: float, digits: int = 0) -> str:
    """A share on a chart: '42%' (French '42 %'); never 'less than' (a label on a bar)."""
    if language() != "en":
        return f"{fmt.num(v, digits)}{fmt.PERCENT_SPACE.get(language(), '')}%"
    return f"{v:.{digits}f}%"


def named(x: object) -> fmt.Named:
    """A name for a chart's message template (``{x:the}``, ``{x:poss}``; see :class:`analysis.fmt.Named`)."""
    return fmt.Named(x)
