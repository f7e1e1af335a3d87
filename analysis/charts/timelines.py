"""Charts over time: the deal timeline (orders and deliveries by release) and conflict deaths beside imports.

Part of :mod:`analysis.charts` (see its docstring for the rules every chart follows)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

from analysis import chartinfo, fmt
from analysis.chartinfo import UNIT_DEATHS, UNIT_TIV, UNIT_YEARS
from analysis.charts.bars import annual_rows, annual_what, stacked_year_bars
from analysis.charts.style import (
    DPI,
    MUTED,
    PROFILE,
    RELEASE_COLOURS,
    SERIES,
    TYPES_OF_VIOLENCE,
    VIOLENCE,
    WIDTH,
    apply_style,
    constrained_engine,
    credit_text,
    figure_and_axes,
    figure_of,
    finish,
    font_size,
    frame_attr,
    legend_above,
    named,
    recorded_chart,
    release_label,
    supplier_colour,
    window_label,
)
from analysis.errors import ParameterError
from analysis.i18n import _, language, ngettext


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


def _route(sups: list, recs: list) -> str:
    """Where the deals go: "from China to Mali", "from 3 suppliers to Mali" (French: "de la Chine
    à destination du Mali")."""
    if len(sups) == 1 and len(recs) == 1:
        return _("from {supplier:the} to {recipient:the}").format(supplier=named(sups[0]), recipient=named(recs[0]))
    if len(sups) == 1:
        return ngettext("from {supplier:the} to {n} recipient", "from {supplier:the} to {n} recipients", len(recs)).format(
            supplier=named(sups[0]), n=fmt.num(len(recs))
        )
    if len(recs) == 1:
        return ngettext("from {n} supplier to {recipient:the}", "from {n} suppliers to {recipient:the}", len(sups)).format(
            recipient=named(recs[0]), n=fmt.num(len(sups))
        )
    return _("from {n} suppliers to {k} recipients").format(n=fmt.num(len(sups)), k=fmt.num(len(recs)))


def _default_deals_title(d: pd.DataFrame, releases: list[str]) -> str:
    route = _route(sorted(d["supplier"].unique()), sorted(d["recipient"].unique()))
    newest = d[d["release"] == releases[0]]
    n = len(newest)
    years = [int(y) for y in newest["order_year"].dropna()]
    span = _(", ordered {years}").format(years=window_label((min(years), max(years)))) if years else ""
    n_open = int(newest["open"].fillna(False).astype(bool).sum())
    tail = ngettext("; {n} not yet delivered", "; {n} not yet delivered", n_open).format(n=fmt.num(n_open)) if n_open else ""
    args = {"route": route, "span": span, "tail": tail, "release": release_label(releases[0]), "total": fmt.num(n)}
    if len(releases) > 1:
        older = d[d["release"] == releases[1]]
        new = _deal_keys(newest) - _deal_keys(older)
        if new:
            return ngettext(
                "The {release} release lists {n} deal {route} that the {older} release did not ({total} in all{span})",
                "The {release} release lists {n} deals {route} that the {older} release did not ({total} in all{span})",
                len(new),
            ).format(n=fmt.num(len(new)), older=release_label(releases[1]), **args)
        return ngettext(
            "The {release} release lists {n} deal {route}{span}{tail}",
            "The {release} release lists {n} deals {route}{span}{tail}",
            n,
        ).format(n=fmt.num(n), **args)
    return ngettext("{n} deal for major arms {route}{span}{tail}", "{n} deals for major arms {route}{span}{tail}", n).format(
        n=fmt.num(n), **args
    )


@recorded_chart
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
    fig, ax, own = figure_and_axes(ax, WIDTH, height)
    all_years = [y for v in deals_df["delivery_years"] for y in _years_list(v)]
    all_years += [int(y) for y in deals_df["order_year"].dropna()]
    x_left = min(all_years) - 1
    x_right = max(all_years) + 1.5
    rel_colour = {r: RELEASE_COLOURS[i % len(RELEASE_COLOURS)] for i, r in enumerate(releases)}
    labels = []
    drawn: list[dict[str, object]] = []
    any_open = False
    for row_i, key in enumerate(keys):
        part = groups[key]
        k = len(part)
        offsets = np.linspace(-0.22, 0.22, k) if k > 1 else [0.0]
        for off, (_row, d) in zip(offsets, part.iterrows()):
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
    ax.set_xlabel(_("Year (order to last delivery)"))
    ax.grid(False, axis="y")
    ax.grid(True, axis="x")
    ax.tick_params(axis="y", length=0)
    handles: list = []
    leg_labels: list[str] = []
    if several:
        for i, r in enumerate(releases):
            handles.append(Line2D([], [], color=rel_colour[r], linewidth=2.5))
            if i == 0:
                leg_labels.append(_("{release} release (newest deliveries)").format(release=release_label(r)))
            else:
                leg_labels.append(_("{release} release").format(release=release_label(r)))
    handles += [
        Line2D([], [], color="#444444", marker="|", markersize=8, markeredgewidth=1.6, linestyle="none"),
        Line2D([], [], color="#444444", marker="o", markersize=4.2, linestyle="none"),
    ]
    leg_labels += [_("Order year"), _("Delivery year")]
    if any_open:
        handles.append(Line2D([], [], color="#444444", linewidth=1.6, linestyle=(0, (3, 2))))
        leg_labels.append(_("Open: no delivery recorded yet"))
    legend_above(ax, handles, leg_labels, ncol=min(len(handles), 3 if several else 4), right=True)
    rels = releases[::-1] if several else releases
    extra = [_("Each line is one deal in one release; the number ordered is the newest release's")] if several else []
    data = chartinfo.table(drawn, list(drawn[0]), deals_df, unit=UNIT_YEARS)
    data["n_ordered"] = data["n_ordered"].astype("Int64")
    data["order_year"] = data["order_year"].astype("Int64")
    data["last_delivery"] = data["last_delivery"].astype("Int64")
    return finish(
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
    route = _route(sorted(newest["supplier"].unique()), sorted(newest["recipient"].unique()))
    n = len(newest)
    args = {"n": fmt.num(n), "route": route, "release": release_label(releases[0]), "k": fmt.num(len(releases))}
    if len(releases) > 1:
        text = ngettext(
            "Timeline of {n} deal for major arms {route} in the {release} release (lines for {k} releases side by side), "
            "each from its order year to its last delivery.",
            "Timeline of {n} deals for major arms {route} in the {release} release (lines for {k} releases side by side), "
            "each from its order year to its last delivery.",
            n,
        ).format(**args)
    else:
        text = ngettext(
            "Timeline of {n} deal for major arms {route} in the {release} release, each from its order year to its last delivery.",
            "Timeline of {n} deals for major arms {route} in the {release} release, each from its order year to its last delivery.",
            n,
        ).format(**args)
    years = newest["order_year"].dropna().astype(int)
    if len(years):
        span = window_label((years.min(), years.max()))
        n_open = int(newest["open"].astype(bool).sum())
        if n_open:
            text += " " + ngettext(
                "Orders were placed in {years}; {n} has no delivery recorded yet.",
                "Orders were placed in {years}; {n} have no delivery recorded yet.",
                n_open,
            ).format(years=span, n=fmt.num(n_open))
        else:
            text += " " + _("Orders were placed in {years}.").format(years=span)
    return text


# --------------------------------------------------------------------------- deaths and imports
def _violence_legend(label: str) -> str:
    """'state-based' -> 'State-based violence'; 'all (UCDP GED via OWID)' -> 'All types (UCDP GED via OWID)'."""
    label = str(label)
    if label.startswith("all"):
        return _("All types") + label[3:]
    kinds = {"state-based": _("State-based violence"), "non-state": _("Non-state violence"), "one-sided": _("One-sided violence")}
    if label in kinds:
        return kinds[label]
    return label[:1].upper() + label[1:] + ("" if "(" in label else " violence")


def _violence_label(v: Any) -> str:
    try:
        return TYPES_OF_VIOLENCE[int(v)]
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


@recorded_chart
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
        prof = PROFILE.get()
        fig = Figure(figsize=(prof[0] if prof else WIDTH, 5.4), dpi=DPI, layout="constrained")
        constrained_engine(fig).set(h_pad=0.04, w_pad=0.04)
        top_ax, bottom_ax = fig.subplots(2, 1, sharex=True, height_ratios=[1, 1])
        own = True
    else:
        apply_style()
        top_ax, bottom_ax = ax
        fig = figure_of(top_ax)
        own = False
    d = deaths_df.assign(_type=deaths_df["type_of_violence"].map(_violence_label))
    table = d.pivot_table(index="year", columns="_type", values="deaths", aggfunc="sum", fill_value=0)
    order = [t for t in TYPES_OF_VIOLENCE.values() if t in table.columns] + [
        t for t in table.columns if t not in TYPES_OF_VIOLENCE.values()
    ]
    table = table[order]
    years_all = sorted(set(table.index.astype(int)) | set(annual_df.index.astype(int)))
    bottom = np.zeros(len(table))
    handles = []
    for i, col in enumerate(table.columns):
        vals = table[col].to_numpy(dtype=float)
        colour = VIOLENCE.get(col, SERIES[i % len(SERIES)])
        handles.append(
            top_ax.bar(table.index.to_numpy(dtype=int), vals, bottom=bottom, width=0.78, color=colour, linewidth=0, label=col)
        )
        bottom = bottom + vals
    top_ax.set_ylabel(_("Conflict deaths\n(best estimate)"))
    top_ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt.num(v)))
    legend_above(top_ax, handles, [_violence_legend(c) for c in table.columns], ncol=3)
    if len(table) and (table.index.min() > years_all[0] or table.index.max() < years_all[-1]):
        top_ax.text(
            0.01,
            0.96,
            _("Conflict-death data cover {years}").format(years=window_label((table.index.min(), table.index.max()))),
            transform=top_ax.transAxes,
            ha="left",
            va="top",
            fontsize=font_size(7),
            color=MUTED,
        )
    imp_handles, imp_labels = stacked_year_bars(bottom_ax, annual_df, top)
    legend_above(bottom_ax, imp_handles, imp_labels, ncol=min(len(imp_handles), 4))
    bottom_ax.set_xlabel(_("Year"))
    bottom_ax.set_xlim(years_all[0] - 0.7, years_all[-1] + 0.7)
    top_ax.tick_params(labelbottom=False)
    countries = sorted(d["country"].dropna().astype(str).unique())
    place = Places(countries)
    if title is None:
        deaths_by_year = table.sum(axis=1)
        total = annual_df.sum(axis=1)
        if len(deaths_by_year) and deaths_by_year.max() > 0:
            args = {"place": place, "year": int(deaths_by_year.idxmax()), "deaths": fmt.num(deaths_by_year.max())}
            if len(total) and total.max() > 0:
                title = _("Conflict deaths {place:a} peaked in {year} ({deaths}); arms imports peaked in {imports_year}").format(
                    imports_year=int(total.idxmax()), **args
                )
            else:
                title = _("Conflict deaths {place:a} peaked in {year} ({deaths})").format(**args)
        else:
            title = _("Conflict deaths and arms imports, {place}").format(place=place)
    sources_ = _source_names(deaths_df.get("source", pd.Series(dtype=str)).unique())
    extra = [_("Conflict deaths: {source}").format(source=fmt.source_name(s)) for s in sources_]
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
    imports_rows = annual_rows(annual_df, top).assign(panel="arms imports")
    data = pd.concat([deaths_rows, imports_rows], ignore_index=True)
    front = ["panel", "year", "series", "value", "unit"]
    data = data[front + [c for c in data.columns if c not in front]]
    return finish(
        fig,
        top_ax,
        own,
        title,
        credit_text(frame_attr(annual_df, "release"), credit, extra),
        _deaths_alt(data, place_raw, annual_df),
        data,
    )


def _deaths_alt(data: pd.DataFrame, place: str, annual_df: pd.DataFrame) -> str:
    years = data["year"]
    span = window_label((years.min(), years.max())) if len(years) else ""
    text = _(
        "Two bar charts on one year axis{span}: conflict deaths {place:a} by type of violence (best estimate), "
        "above {what} in {unit}."
    ).format(span=", " + span if span else "", place=Places(place.split(", ")), what=annual_what(annual_df), unit=_(UNIT_TIV))
    deaths = data[data["panel"] == "conflict deaths"].groupby("year")["value"].sum()
    imports = data[data["panel"] == "arms imports"].groupby("year")["value"].sum()
    args: dict[str, object] = {}
    if len(imports) and imports.max() > 0:
        args.update(imports_year=int(imports.idxmax()), imports=fmt.tiv(float(imports.max())))
    if len(deaths) and deaths.max() > 0:
        args.update(year=int(deaths.idxmax()), deaths=fmt.num(deaths.max()))
        if "imports" in args:
            found = _("Deaths peaked in {year} ({deaths}); imports peaked in {imports_year} ({imports}).")
        else:
            found = _("Deaths peaked in {year} ({deaths}).")
    elif "imports" in args:
        found = _("No conflict deaths were recorded; imports peaked in {imports_year} ({imports}).")
    else:
        found = _("No conflict deaths were recorded.")
    return text + " " + found.format(**args)


class Places:
    """Several countries in a message template, listed; the format spec as for :class:`analysis.fmt.Named`
    (``{place}`` / ``{place:the}``: "Mali and Niger", "le Mali et le Niger"; ``{place:a}``: "in Mali and
    Niger", "au Mali et au Niger"; ``{place:de}``: "of ...", "du Mali et du Niger")."""

    def __init__(self, names: list[str]) -> None:
        self.names = list(names)

    def __format__(self, spec: str) -> str:
        low = spec.lower()
        if low in ("", "the", "le"):
            text = fmt.names(self.names)
        elif low in ("a", "de") and language() != "en":
            text = fmt.listing([format(named(x), low) for x in self.names])
        elif low in ("a", "de"):
            text = ("in " if low == "a" else "of ") + fmt.names(self.names)
        else:
            raise ValueError(f"unknown form {spec!r}: use the, a or de")
        return text[:1].upper() + text[1:] if spec[:1].isupper() else text
