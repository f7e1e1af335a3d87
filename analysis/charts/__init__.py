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

The package, one module a job: :mod:`~analysis.charts.style` (the house style and shared helpers),
:mod:`~analysis.charts.bars` (shares by window, annual TIV), :mod:`~analysis.charts.timelines` (deal
timeline, deaths and imports), :mod:`~analysis.charts.maps` (the share map),
:mod:`~analysis.charts.rankings` (bar rankings) and :mod:`~analysis.charts.output` (files, SVG, PNG).
Everything public is here: ``from analysis import charts; charts.shares_by_window_chart(...)``.
"""

from __future__ import annotations

from analysis import chartinfo, fmt
from analysis.charts.bars import annual_tiv_chart, shares_by_window_chart, top_suppliers
from analysis.charts.maps import StateCollection, read_base_map, share_map, state_collections, state_colours
from analysis.charts.output import page_charts, save, to_png, to_svg
from analysis.charts.rankings import bar_ranking_chart
from analysis.charts.style import (
    CHART_CREDIT,
    DPI,
    FONT,
    HEIGHT,
    HOUSE_COLOUR,
    MUTED,
    NEUTRAL_COLOURS,
    OTHERS,
    OTHERS_COLOUR,
    PAGE_FONT_SCALE,
    PAGE_WIDTH,
    SHARE_AXIS,
    SIPRI_DATABASE,
    STYLE,
    SUPPLIER_COLOURS,
    TEXT_COLOUR,
    TIV_AXIS,
    WIDTH,
    ChartInfo,
    apply_style,
    credit_line,
    credit_text,
    info,
    share_cmap,
    sipri_credit,
    supplier_colour,
)
from analysis.charts.timelines import deal_timeline_chart, deaths_and_imports_chart

__all__ = [
    "CHART_CREDIT",
    "DPI",
    "FONT",
    "HEIGHT",
    "HOUSE_COLOUR",
    "MUTED",
    "NEUTRAL_COLOURS",
    "OTHERS",
    "OTHERS_COLOUR",
    "PAGE_FONT_SCALE",
    "PAGE_WIDTH",
    "SHARE_AXIS",
    "SIPRI_DATABASE",
    "STYLE",
    "SUPPLIER_COLOURS",
    "TEXT_COLOUR",
    "TIV_AXIS",
    "WIDTH",
    "ChartInfo",
    "StateCollection",
    "annual_tiv_chart",
    "apply_style",
    "bar_ranking_chart",
    "chartinfo",
    "credit_line",
    "credit_text",
    "deal_timeline_chart",
    "deaths_and_imports_chart",
    "fmt",
    "info",
    "page_charts",
    "read_base_map",
    "save",
    "share_cmap",
    "share_map",
    "shares_by_window_chart",
    "sipri_credit",
    "state_collections",
    "state_colours",
    "supplier_colour",
    "to_png",
    "to_svg",
    "top_suppliers",
]
