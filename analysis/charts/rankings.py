"""Horizontal bar rankings (recipients or suppliers by share or TIV).

Part of :mod:`analysis.charts` (see its docstring for the rules every chart follows)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from analysis import chartinfo, fmt
from analysis.chartinfo import UNIT_SHARE, UNIT_SHARE_DELIVERIES, UNIT_TIV
from analysis.charts.style import (
    HOUSE_COLOUR,
    SHARE_AXIS,
    TEXT_COLOUR,
    TIV_AXIS,
    WIDTH,
    canonical_supplier,
    credit_text,
    figure_and_axes,
    finish,
    fmt_tiv,
    font_size,
    frame_attr,
    named,
    pct_label,
    recorded_chart,
    supplier_colour,
    window_label,
)
from analysis.errors import ParameterError
from analysis.i18n import _, ngettext


# --------------------------------------------------------------------------- rankings
def _default_ranking_title(df: pd.DataFrame, label_col: str, value_col: str) -> str:
    top = df.sort_values(value_col, ascending=False).iloc[0]
    years = window_label(frame_attr(df, "years"))
    rec_raw = str(frame_attr(df, "recipients", "the selection"))
    sup = str(frame_attr(df, "supplier", "all"))
    when = _(" in {years}").format(years=years) if years else ""
    flows = _flows(sup, rec_raw)
    args = {"name": named(top[label_col]), "flows": flows, "when": when, "recipient": named(rec_raw)}
    if "share" in df.columns and pd.notna(top["share"]):
        v = pct_label(top["share"])
        if label_col == "recipient" and sup != "all":
            return _("{name:The} received {share} of {flows}{when}").format(share=v, **args)
        if label_col == "supplier":
            return _("{name:The} supplied {share} of {recipient:poss} imports of major arms{when}").format(share=v, **args)
        if label_col == "category":
            return _("{name:The} made up {share} of {flows}{when}").format(share=v, **args)
        return _("{name:The} ranks first with {share}{when}").format(share=v, **args)
    return _("{name:The} ranks first (TIV {value} million){when}").format(value=fmt_tiv(float(top[value_col])), **args)


def _flows(sup: str, rec: str) -> str:
    """What a ranking counts: "Russia's deliveries of major arms to Mali", "Mali's imports of major arms"."""
    if sup != "all":
        return _("{supplier:poss} deliveries of major arms to {recipient:the}").format(supplier=named(sup), recipient=named(rec))
    return _("{recipient:poss} imports of major arms").format(recipient=named(rec))


@recorded_chart
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
    fig, ax, own = figure_and_axes(ax, WIDTH, height)
    names = [str(x) for x in d[label_col]]
    vals = d[value_col].to_numpy(dtype=float)
    if colour_by_supplier:
        colours = [supplier_colour(n) for n in names]
    else:
        sup = str(frame_attr(df, "supplier", "all"))
        colours = [supplier_colour(sup) if sup != "all" and canonical_supplier(sup) else HOUSE_COLOUR] * len(names)
    ypos = np.arange(len(names))
    bars = ax.barh(ypos, vals, height=0.7, color=colours, linewidth=0)
    for rect, name in zip(bars.patches, names):
        rect.set_gid(f"bar:{name}")
    vmax = float(np.nanmax(vals)) if len(vals) else 1.0
    for y, v in zip(ypos, vals):
        text = pct_label(v) if value_col == "share" and v >= 1 else (pct_label(v, 1) if value_col == "share" else fmt_tiv(v))
        ax.text(v + vmax * 0.01, float(y), text, va="center", ha="left", fontsize=font_size(7.5), color=TEXT_COLOUR)
    ax.set_yticks(ypos, [fmt.name(n) for n in names])
    ax.set_ylim(len(names) - 0.5, -0.6)
    ax.set_xlim(0, vmax * 1.1 if vmax > 0 else 1)
    ax.set_xlabel({"share": _(SHARE_AXIS), "tiv": _(TIV_AXIS)}.get(value_col, value_col))
    ax.grid(False, axis="y")
    ax.grid(True, axis="x")
    ax.tick_params(axis="y", length=0)
    unit = _ranking_unit(df, label_col, value_col)
    about = {
        "unit": unit,
        "recipients": str(frame_attr(df, "recipients", "")),
        "supplier": str(frame_attr(df, "supplier", "all")),
        "years": window_label(frame_attr(df, "years")),
        "release": chartinfo.release_of(df),
    }
    data = chartinfo.table(
        pd.DataFrame({"rank": np.arange(1, len(names) + 1), label_col: names, "value": vals}),
        ["rank", label_col, "value"],
        df,
        **{k: v for k, v in about.items() if k != label_col},  # the ranked names stay in their column
    )
    return finish(
        fig,
        ax,
        own,
        title or _default_ranking_title(d, label_col, value_col),
        credit_text(frame_attr(df, "release"), credit),
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
    years = window_label(frame_attr(df, "years"))
    when = _(" in {years}").format(years=years) if years else ""
    rec = str(frame_attr(df, "recipients", "the selection"))
    sup = str(frame_attr(df, "supplier", "all"))
    n = len(data)
    unit = str(data["unit"].iloc[0])
    args = {"n": fmt.num(n), "flows": _flows(sup, rec), "when": when, "unit": _(unit) if unit else unit}
    if label_col == "recipient":
        msg = ngettext(
            "Horizontal bar chart ranking {n} recipients of {flows}{when}, in {unit}.",
            "Horizontal bar chart ranking {n} recipients of {flows}{when}, in {unit}.",
            n,
        )
    elif label_col == "supplier":
        msg = ngettext(
            "Horizontal bar chart ranking {n} suppliers of {flows}{when}, in {unit}.",
            "Horizontal bar chart ranking {n} suppliers of {flows}{when}, in {unit}.",
            n,
        )
    elif label_col == "category":
        msg = ngettext(
            "Horizontal bar chart ranking {n} armament categories of {flows}{when}, in {unit}.",
            "Horizontal bar chart ranking {n} armament categories of {flows}{when}, in {unit}.",
            n,
        )
    else:
        msg = _("Horizontal bar chart ranking {n} {column} values of {flows}{when}, in {unit}.")
    text = msg.format(column=label_col, **args)
    top = data.sort_values("value", ascending=False, kind="mergesort").iloc[0]
    value = fmt.tiv(float(top["value"])) if unit == UNIT_TIV else fmt.pct(float(top["value"]))
    return text + " " + _("{name:The} ranks first with {value}.").format(name=named(top[label_col]), value=value)
