"""What a chart shows, kept on its Figure: title, credit line, alt text and the data drawn.

Every public chart function in :mod:`analysis.charts` calls :func:`attach` with a
:class:`ChartInfo`; :func:`info` gives it back. The page uses it to print the title and the
credit as HTML text (beside an image drawn with ``text=False``), to give the image its alt text
and to offer the figures behind the chart as a table or CSV.

``data`` is tidy: one row per plotted value (a bar segment, a year's bar, a point on a line, a
state on a map, a deal's line), with the value in ``value`` and its ``unit`` (one of
:data:`UNITS`), the period (``years`` as "2020-24", or ``year``), who (``recipients``,
``supplier`` ...), the SIPRI ``release`` and, where the input frame says how yearly values were
allocated, ``method``. Only derived figures: never a whole source file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis.errors import ParameterError
from analysis.i18n import N_

#: The units are data (English in every edition, as the tables keep them); an alt text
#: translates the one it names with ``_(UNIT_TIV)``.
UNIT_TIV = N_("TIV millions (SIPRI trend-indicator value; not money)")
UNIT_SHARE = N_("percent of imports")
UNIT_SHARE_DELIVERIES = N_("percent of deliveries")
UNIT_DEATHS = N_("deaths")
UNIT_YEARS = N_("years (order and deliveries)")
UNITS = (UNIT_TIV, UNIT_SHARE, UNIT_SHARE_DELIVERIES, UNIT_DEATHS, UNIT_YEARS)

_KEY = "_chart_info"


@dataclass(frozen=True, eq=False)
class ChartInfo:
    """What one chart shows. ``title`` and ``credit`` are the texts drawn (without line breaks),
    ``alt`` one or two sentences for a screen reader, ``data`` the tidy table of what is drawn."""

    title: str
    credit: str
    alt: str
    data: pd.DataFrame


def attach(fig: Any, ax: Any, chart: ChartInfo) -> ChartInfo:
    """Keep ``chart`` on the figure (and on its main axes, for a figure holding several charts)."""
    setattr(fig, _KEY, chart)
    if ax is not None:
        setattr(ax, _KEY, chart)
    return chart


def info(obj: Any) -> ChartInfo:
    """The :class:`ChartInfo` of a chart: pass the Figure a chart function returned, or the axes
    it drew into (when several charts share one figure, the figure holds the last one)."""
    chart = getattr(obj, _KEY, None)
    if chart is None:
        raise ParameterError("this figure was not drawn by analysis.charts, so it has no chart info")
    return chart


def release_of(df: pd.DataFrame) -> str:
    return str(df.attrs.get("release", "") or "")


def method_of(df: pd.DataFrame) -> str | None:
    """How the yearly values were allocated: the frame's ``method`` column (its distinct values
    joined with "; ") or ``attrs["method"]``; None when the frame does not say."""
    if "method" in getattr(df, "columns", ()):
        vals = [str(v) for v in pd.unique(df["method"].dropna())]
        return "; ".join(sorted(vals)) if vals else None
    m = df.attrs.get("method")
    if m is None or m == "":
        return None
    if isinstance(m, str):
        return m
    return "; ".join(sorted(str(x) for x in m))


def table(
    rows: Iterable[dict[str, Any]] | pd.DataFrame, columns: list[str], frame: pd.DataFrame | None = None, **constant: Any
) -> pd.DataFrame:
    """A tidy table with ``columns`` first, then the constant columns (``unit``, ``release`` ...),
    and ``method`` when the input ``frame`` says how its values were allocated. A constant never
    replaces a column of the rows (a ranking of suppliers keeps its names in ``supplier``):
    ParameterError if one would."""
    d = rows.copy() if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows), columns=columns)
    d = d.reset_index(drop=True)
    clash = [k for k in constant if k in d.columns]
    if clash:
        raise ParameterError(f"chart data: the constant column(s) {', '.join(clash)} would overwrite the plotted values")
    for k, v in constant.items():
        d[k] = v
    if frame is not None:
        m = method_of(frame)
        if m is not None:
            d["method"] = m
    d.attrs = {}
    return d


def one_line(text: str) -> str:
    """Text as drawn, without the line breaks the wrapping added."""
    return " ".join(str(text).split())
