"""Shares by 5-year window (stacked bars of supplier shares) and annual TIV (stacked yearly bars).

Part of :mod:`analysis.charts` (see its docstring for the rules every chart follows)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MultipleLocator

from analysis import chartinfo, fmt
from analysis.chartinfo import UNIT_SHARE, UNIT_TIV
from analysis.charts.style import (
    HOUSE_COLOUR,
    MUTED,
    OTHERS,
    OTHERS_COLOUR,
    SERIES,
    SHARE_AXIS,
    TIV_AXIS,
    canonical_supplier,
    credit_text,
    figure_and_axes,
    finish,
    fmt_tiv,
    font_size,
    frame_attr,
    ink_on,
    legend_above,
    named,
    pct_label,
    recorded_chart,
    supplier_colour,
    window_label,
)
from analysis.errors import ParameterError
from analysis.i18n import _


# --------------------------------------------------------------------------- shares by window
def top_suppliers(long_df: pd.DataFrame, top: int) -> list[str]:
    """The ``top`` largest suppliers of the last window, then the largest supplier of each
    earlier window not yet named (so no window's leader hides in "Others")."""
    last = long_df.loc[long_df["start"] == long_df["start"].max()]
    by_name = "supplier_sipri" if "supplier_sipri" in last else "supplier"  # ties in SIPRI's order, as before
    named = last.sort_values(["rank", by_name])["supplier"].head(top).tolist()
    leaders = long_df[long_df["rank"] == 1].sort_values("start", ascending=False)["supplier"]
    for s in leaders:
        if s not in named:
            named.append(s)
    return named


def _default_shares_title(long_df: pd.DataFrame) -> str:
    who_raw = str(frame_attr(long_df, "recipients", "the selection"))
    if long_df.empty:
        return _("No deliveries of major arms to {who:the} recorded").format(who=named(who_raw))
    last = long_df.loc[long_df["start"] == long_df["start"].max()].sort_values("rank")
    window = str(last["window"].iloc[0])
    known = last[last["supplier"] != "unknown supplier(s)"]
    identified = bool(len(known) and known.index[0] != last.index[0])
    row = known.iloc[0] if len(known) else last.iloc[0]
    if identified:
        msg = _("{supplier:The} was {who:poss} largest identified supplier of major arms in {window} ({share} of TIV)")
    else:
        msg = _("{supplier:The} was {who:poss} largest supplier of major arms in {window} ({share} of TIV)")
    return msg.format(supplier=named(row["supplier"]), who=named(who_raw), window=window, share=pct_label(row["share"]))


@recorded_chart
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
    fig, ax, own = figure_and_axes(ax)
    windows = list(frame_attr(long_df, "windows", []) or sorted(long_df["window"].unique(), key=str))
    named = top_suppliers(long_df, top) if not long_df.empty else []
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
                    pct_label(v),
                    ha="center",
                    va="center",
                    fontsize=font_size(7.5),
                    color=ink_on(colour),
                    clip_on=True,
                )
        left = left + vals
        handles.append(bars)
    for y, total in zip(ypos, totals):
        if total <= 0:
            ax.text(1, float(y), _("no deliveries recorded"), va="center", ha="left", fontsize=font_size(7.5), color=MUTED)
    ax.set_yticks(ypos, windows)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}"))
    ax.set_xlabel(_(SHARE_AXIS))
    ax.set_ylabel(_("{n}-year period").format(n=int(frame_attr(long_df, "width", 5))))
    ax.grid(False, axis="y")
    ax.grid(True, axis="x")
    ax.tick_params(axis="y", length=0)
    legend_above(ax, handles, [fmt.name(n) for n in segs.columns], ncol=min(len(handles), 4))
    who = str(frame_attr(long_df, "recipients", "the selection"))
    width = int(frame_attr(long_df, "width", 5))
    rows = [
        {"years": w, "supplier": name, "value": float(segs.at[w, name])}
        for w in windows
        for name in segs.columns
        if float(segs.at[w, name]) > 0
    ]
    data = chartinfo.table(
        rows, ["years", "supplier", "value"], long_df, unit=UNIT_SHARE, recipients=who, release=chartinfo.release_of(long_df)
    )
    return finish(
        fig,
        ax,
        own,
        title or _default_shares_title(long_df),
        credit_text(frame_attr(long_df, "release"), credit),
        _shares_alt(data, who, width, frame_attr(long_df, "years")),
        data,
    )


def _shares_alt(data: pd.DataFrame, who: str, width: int, years: object) -> str:
    span = window_label(years)
    if span:
        text = _("Bar chart of {who:poss} imports of major arms by supplier and {width}-year window, {span}, in {unit}.")
    else:
        text = _("Bar chart of {who:poss} imports of major arms by supplier and {width}-year window, in {unit}.")
    text = text.format(who=named(who), width=width, span=span, unit=_(UNIT_SHARE))
    shown = data[~data["supplier"].isin([OTHERS, "unknown supplier(s)"])]
    if shown.empty:
        return text + " " + _("No deliveries of major arms were recorded.")
    last = shown[shown["years"] == shown["years"].iloc[-1]]  # the newest window with deliveries
    top = last.sort_values("value", ascending=False, kind="mergesort").iloc[0]
    return (
        text
        + " "
        + _("{supplier:The} had the largest share in {years}, {share}.").format(
            supplier=named(top["supplier"]), years=top["years"], share=fmt.pct(top["value"])
        )
    )


# --------------------------------------------------------------------------- annual TIV
def _series_colours(columns: Sequence[str], by: object) -> list[str]:
    if by == "supplier":
        return [supplier_colour(c) for c in columns]
    out, i = [], 0
    for c in columns:
        if c == OTHERS:
            out.append(OTHERS_COLOUR)
        else:
            out.append(SERIES[i % len(SERIES)])
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


def stacked_year_bars(ax: Axes, annual_df: pd.DataFrame, top: int = 6) -> tuple[list, list[str]]:
    """Stacked bars of TIV per year (columns = series); returns legend handles and labels."""
    by = frame_attr(annual_df, "by", "supplier")
    frame = _top_columns(annual_df, top)
    years = frame.index.to_numpy(dtype=int)
    if list(frame.columns) == ["total"]:
        sup = str(frame_attr(annual_df, "suppliers", "all"))
        colours = [supplier_colour(sup) if sup != "all" and canonical_supplier(sup) else HOUSE_COLOUR]
        labels = [_("All suppliers") if sup == "all" else fmt.name(sup)]
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
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt.num(v)))
    ax.set_ylabel(_(TIV_AXIS))
    ax.set_xlim(years.min() - 0.7, years.max() + 0.7) if len(years) else None
    return handles, labels


def _year_ticks(ax: Axes, years: Sequence[int]) -> None:
    """Year ticks on round numbers: every 5 years over long spans, every 2 or every year otherwise."""
    span = (max(years) - min(years)) if len(years) else 0
    ax.xaxis.set_major_locator(MultipleLocator(5 if span > 14 else 2 if span > 7 else 1))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}"))


def _default_annual_title(annual_df: pd.DataFrame) -> str:
    total = annual_df.sum(axis=1)
    rec = str(frame_attr(annual_df, "recipients", "all"))
    sup = str(frame_attr(annual_df, "suppliers", "all"))
    if total.empty or total.max() <= 0:
        return _("No deliveries of major arms recorded")
    peak = int(total.idxmax())
    value = fmt_tiv(float(total.max()))
    if sup != "all" and rec != "all":
        msg = _("Deliveries of major arms from {supplier:the} to {recipient:the} peaked in {year} (TIV {value} million)")
    elif sup != "all":
        msg = _("{supplier:Poss} deliveries of major arms peaked in {year} (TIV {value} million)")
    elif rec != "all":
        msg = _("{recipient:Poss} imports of major arms peaked in {year} (TIV {value} million)")
    else:
        msg = _("Deliveries of major arms peaked in {year} (TIV {value} million)")
    return msg.format(supplier=named(sup), recipient=named(rec), year=peak, value=value)


@recorded_chart
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
    fig, ax, own = figure_and_axes(ax)
    handles, labels = stacked_year_bars(ax, annual_df, top)
    total = annual_df.sum(axis=1).astype(float)
    if average_window > 1 and len(total) >= average_window:
        avg = total.rolling(average_window, min_periods=average_window).mean()
        (line,) = ax.plot(avg.index.to_numpy(dtype=int), avg.to_numpy(), color="#1a1a1a", linewidth=1.8, gid="trailing-average")
        handles.append(line)
        if annual_df.shape[1] > 1:
            labels.append(_("{n}-year trailing average of the total").format(n=average_window))
        else:
            labels.append(_("{n}-year trailing average").format(n=average_window))
    ax.set_xlabel(_("Year of delivery"))
    legend_above(ax, handles, labels, ncol=min(len(handles), 4))
    data = annual_rows(annual_df, top)
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
    return finish(
        fig,
        ax,
        own,
        title or _default_annual_title(annual_df),
        credit_text(frame_attr(annual_df, "release"), credit),
        _annual_alt(data, annual_df, average_window if len(total) >= average_window > 1 else 0),
        data,
    )


def _annual_constants(annual_df: pd.DataFrame) -> dict[str, object]:
    return {
        "unit": UNIT_TIV,
        "recipients": str(frame_attr(annual_df, "recipients", "all")),
        "suppliers": str(frame_attr(annual_df, "suppliers", "all")),
        "release": chartinfo.release_of(annual_df),
    }


def annual_rows(annual_df: pd.DataFrame, top: int) -> pd.DataFrame:
    """One row per year and series, as :func:`stacked_year_bars` draws them (the ``top``
    largest named, the rest as "Others"; a single ``total`` column is labelled by supplier)."""
    frame = _top_columns(annual_df, top)
    if list(frame.columns) == ["total"]:
        sup = str(frame_attr(annual_df, "suppliers", "all"))
        frame = frame.rename(columns={"total": "All suppliers" if sup == "all" else sup})
    long = frame.rename_axis(index="year", columns="series").stack().rename("value").reset_index()
    long["year"] = long["year"].astype(int)
    long["series"] = long["series"].astype(str)
    long["value"] = long["value"].astype(float)
    long = long.sort_values(["year"], kind="mergesort")
    return chartinfo.table(long, ["year", "series", "value"], annual_df, **_annual_constants(annual_df))


def annual_what(annual_df: pd.DataFrame) -> str:
    rec = str(frame_attr(annual_df, "recipients", "all"))
    sup = str(frame_attr(annual_df, "suppliers", "all"))
    if sup != "all" and rec != "all":
        return _("{recipient:poss} imports of major arms from {supplier:the}").format(recipient=named(rec), supplier=named(sup))
    if sup != "all":
        return _("{supplier:poss} deliveries of major arms").format(supplier=named(sup))
    if rec != "all":
        return _("{recipient:poss} imports of major arms").format(recipient=named(rec))
    return _("deliveries of major arms")


def _annual_alt(data: pd.DataFrame, annual_df: pd.DataFrame, average_window: int) -> str:
    bars = data[~data["series"].str.endswith("trailing average")]
    by = frame_attr(annual_df, "by", None)
    by_name = {"supplier": _("supplier"), "recipient": _("recipient"), "category": _("category")}.get(str(by), str(by))
    stacked = _(", stacked by {by}").format(by=by_name) if by and bars["series"].nunique() > 1 else ""
    span = window_label((bars["year"].min(), bars["year"].max())) if len(bars) else ""
    avg = _(", with the {n}-year trailing average of the total").format(n=average_window) if average_window else ""
    text = _("Bar chart of {what} by year{span}, in {unit}{stacked}{average}.").format(
        what=annual_what(annual_df), span=", " + span if span else "", unit=_(UNIT_TIV), stacked=stacked, average=avg
    )
    total = bars.groupby("year")["value"].sum()
    if total.empty or total.max() <= 0:
        return text + " " + _("No deliveries were recorded.")
    return (
        text
        + " "
        + _("The total peaked in {year} at {value}.").format(year=int(total.idxmax()), value=fmt.tiv(float(total.max())))
    )
