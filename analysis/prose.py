"""The briefing's sentences, built from computed figures: one function per paragraph.

Each function takes the figures it states (small DataFrames from :mod:`analysis.transfers`,
numbers, names) and returns a :class:`Block`: the Markdown a notebook displays and the key
figures it states, or an empty block when there is nothing to say, so that a section appears
only when the data hold something for it. Every function handles zero, one, ties, missing years,
unchanged values, no supplier, and names that need an article ("the United States").

Conventions: names are SIPRI's canonical names on the way in and display names on the way out
(:func:`analysis.fmt.name`); shares are percent of the named region's or state's imports of
major arms in the named years; TIV is SIPRI's volume index in millions, never money; every
figure names its SIPRI release. Data-derived text is escaped for Markdown.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from analysis import fmt

E = fmt.esc_md

#: UCDP's thresholds: 25 battle-related deaths a year make an armed conflict; 1,000 a war.
CONFLICT_DEATHS = 25
WAR_DEATHS = 1000


@dataclasses.dataclass(frozen=True)
class Block:
    """A paragraph (Markdown) and the key figures it states (see :func:`figure`)."""

    md: str = ""
    figures: tuple[dict[str, Any], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.md.strip())


EMPTY = Block()


def figure(id: str, label: str, value: Any, unit: str, text: str, *, years: str = "", region: str = "",
           release: str = "", headline: bool = False) -> dict[str, Any]:
    """One key figure: a value with its unit, years, region and release, and the sentence that
    states it (the briefing's key findings use those marked ``headline``)."""
    if isinstance(value, float) and pd.isna(value):
        value = None
    elif hasattr(value, "item"):
        value = value.item()
    return {"id": id, "label": label, "value": value, "unit": unit, "years": years, "region": region,
            "release": release, "text": text, "headline": headline}


def _plain(md: str) -> str:
    """Markdown escapes removed, for the key-figure text (shown as text, escaped again there)."""
    import re

    return re.sub(r"\\([\\`*_\[\]#|])", r"\1", md.replace("**", ""))


def _identified(shares: pd.DataFrame) -> pd.DataFrame:
    """Rows of a shares table whose supplier is identified (SIPRI's 'unknown supplier(s)' and
    other unknowns are shown but never ranked)."""
    if shares.empty:
        return shares
    col = "supplier" if "supplier" in shares else shares.columns[0]
    unknown = shares[col].astype(str).str.lower().str.startswith("unknown")
    return shares[~unknown]


def leaders(shares: pd.DataFrame) -> list[str]:
    """The identified supplier(s) with the largest share (several when tied), display names."""
    ident = _identified(shares)
    if ident.empty:
        return []
    top = ident["share"].max()
    return sorted(fmt.name(s) for s in ident.loc[ident["share"] == top, "supplier"])


def rank_of(shares: pd.DataFrame, supplier: str) -> int | None:
    """The supplier's rank among identified suppliers (1 = largest; ties share a rank), or None
    when it delivered nothing."""
    ident = _identified(shares)
    row = ident[ident["supplier"] == supplier]
    if row.empty:
        return None
    return int((ident["share"] > float(row["share"].iloc[0])).sum()) + 1


def share_of(shares: pd.DataFrame, supplier: str) -> float:
    row = shares[shares["supplier"] == supplier]
    return float(row["share"].iloc[0]) if len(row) else 0.0


def _unknown_share(shares: pd.DataFrame) -> float:
    if shares.empty:
        return 0.0
    unknown = shares["supplier"].astype(str).str.lower().str.startswith("unknown")
    return float(shares.loc[unknown, "share"].sum())


def standing_phrase(shares: pd.DataFrame, supplier: str) -> str:
    """'the largest supplier', 'joint largest supplier with France', 'the 2nd-largest supplier'."""
    rank = rank_of(shares, supplier)
    if rank is None:
        return "not a supplier"
    if len(_identified(shares)) == 1:
        return "its only identified supplier"
    tied = [x for x in leaders(shares) if x != fmt.name(supplier)]
    if rank == 1 and tied:
        return f"the joint largest supplier with {fmt.names(tied)}"
    if rank == 1:
        return "the largest supplier"
    return f"the {fmt.ordinal(rank)}-largest supplier"


# --------------------------------------------------------------------------- 1. the deal
def deal_heading(recipient: str, supplier: str, agreement: bool) -> Block:
    r, s = E(fmt.the(recipient, True)), E(fmt.the(supplier))
    if agreement:
        return Block(f"# 1. The deal: {r} and {s}")
    return Block(f"# 1. {E(fmt.possessive(supplier, True))} arms deliveries to {E(fmt.the(recipient))}")


def agreement_block(recipient: str, supplier: str, agreement_date: str, events: pd.DataFrame) -> Block:
    """What the curated timeline says was signed on ``agreement_date`` (events of the recipient
    with the supplier on that date). Empty without a date."""
    if not agreement_date:
        return EMPTY
    day = fmt.long_date(agreement_date)
    if events.empty:
        return Block(f"## {day}\n\nNo curated source records an agreement between {E(fmt.the(recipient))} and "
                     f"{E(fmt.the(supplier))} on {day}.")
    lines = []
    for e in events.itertuples():
        src = f" ([source]({e.source_url}))" if e.source_url else ""
        note = " *Sources disagree on details; see the timeline.*" if e.status == "conflict" else ""
        unver = " *(unverified)*" if e.status == "unverified" else ""
        lines.append(f"- **{fmt.long_date(e.date)}**: {E(e.title)}. {E(e.description)}{unver}{note}{src}")
    return Block(f"## What was signed on {day}\n\nThe curated timeline, each entry with a source that states it:\n\n"
                 + "\n".join(lines))


def orders_in_year_block(recipient: str, supplier: str, agreement_date: str, shown: pd.DataFrame) -> Block:
    """What SIPRI lists as ordered by the recipient from the supplier in the agreement's year
    (``shown``: the deal register, each deal from its newest release)."""
    if not agreement_date:
        return EMPTY
    year = int(agreement_date[:4])
    ordered = shown[shown["order_year"] == year]
    r, s = fmt.the(recipient), fmt.the(supplier)
    if ordered.empty:
        return Block(f"**What SIPRI records.** No release held lists an order by {E(r)} from {E(s)} in {year}. "
                     "SIPRI names no makers and records orders only once it has evidence of them.")
    rels = fmt.listing(sorted(ordered["release"].unique()))
    items = fmt.listing([f"{E(x.designation)} ({E(x.description)}, {fmt.num(x.n_ordered)})" for x in ordered.itertuples()])
    delivered = sorted({y for ys in ordered["delivery_years"] for y in str(ys).split("; ") if y})
    n = len(ordered)
    text = (f"**What SIPRI records.** SIPRI lists weapons by designation and never names a maker. Its {rels} "
            f"{fmt.verb(rels.count(' and ') + 1, 'release lists', 'releases list')} {fmt.plural(n, 'system')} supplied by "
            f"{E(s)} that {E(r)} ordered in {year}: {items}; "
            + (f"deliveries are recorded in {fmt.listing(delivered)}. " if delivered else "no delivery is recorded yet. ")
            + f"Whether these are the items of the {fmt.long_date(agreement_date)} agreement SIPRI does not say: "
            "no value, quantities or item list of the agreement were published.")
    fig = figure("orders_in_agreement_year", f"Systems ordered from {fmt.name(supplier)} in {year}", n, "deals",
                 f"SIPRI's {rels} release lists {fmt.plural(n, 'system')} {r} ordered from {s} in {year}.",
                 years=str(year), region=fmt.name(recipient), release=rels, headline=True)
    return Block(text, (fig,))


def deliveries_block(recipient: str, supplier: str, shares: pd.DataFrame, window: tuple[int, int], n_deals: int,
                     total_tiv: float, coverage: tuple[int, int], release: str, heading: bool = True) -> Block:
    """The supplier's deliveries to the recipient in the release, and its standing in the last
    window. ``shares``: :func:`analysis.transfers.supplier_shares` of the recipient in ``window``;
    ``heading`` adds a sub-heading (when the section opens with an agreement)."""
    r, s, w = fmt.the(recipient), fmt.the(supplier), fmt.years(*window)
    lo, hi = coverage
    head = f"## {E(fmt.possessive(supplier, True))} arms deliveries to {E(r)} in SIPRI's data\n\n" if heading else ""
    figures = []
    if n_deals == 0:
        record = (f"SIPRI's {release} release lists no deal for major arms from {E(s)} to {E(r)} "
                  f"with deliveries in {lo}-{hi}.")
    else:
        record = (f"SIPRI's {release} release lists {fmt.plural(n_deals, 'deal')} for major arms from {E(s)} to "
                  f"{E(r)}, with {fmt.tiv(total_tiv)} delivered over {fmt.years(lo, hi)}.")
        figures.append(figure("deals_count", f"Deals from {fmt.name(supplier)} to {fmt.name(recipient)}", n_deals,
                              "deals", _plain(record), years=fmt.years(lo, hi), region=fmt.name(recipient), release=release))
    if shares.empty:
        last = f"SIPRI records no imports of major arms by {E(r)} in {w}."
    elif rank_of(shares, supplier) is None:
        lead = leaders(shares)
        top = float(_identified(shares)["share"].max()) if lead else 0.0
        role = (f"the only identified supplier" if top >= 99.95 else
                f"the largest supplier{'' if len(lead) == 1 else 's'} ({fmt.pct(top)})")
        last = (f"{E(fmt.capital(s))} delivered no major arms to {E(r)} in {w}; "
                f"{E(fmt.names(lead))} {fmt.verb(lead, 'was', 'were')} {role}.") if lead else (
                f"{E(fmt.capital(s))} delivered no major arms to {E(r)} in {w}; SIPRI does not identify who did.")
    else:
        share = share_of(shares, supplier)
        phrase = standing_phrase(shares, supplier)
        lead = [x for x in leaders(shares) if x != fmt.name(supplier)]
        last = f"In {w}, {E(s)} supplied {fmt.pct(share)} of {E(fmt.possessive(recipient))} imports of major arms, {phrase}"
        if rank_of(shares, supplier) != 1 and lead:
            last += f"; the largest was {E(fmt.names(lead))} ({fmt.pct(_identified(shares)['share'].max())})"
        last += "."
        figures.append(figure("supplier_share_last_window",
                              f"{fmt.possessive(supplier, True)} share of {fmt.possessive(recipient)} major-arms imports",
                              round(share, 1), "percent", _plain(last), years=w, region=fmt.name(recipient),
                              release=release, headline=True))
    unknown = _unknown_share(shares)
    if unknown > 0:
        last += (f" SIPRI could not identify the supplier of {fmt.pct(unknown)} of the volume, which is left out of "
                 "every ranking.")
    return Block(head + record + " " + last, tuple(figures))


DEAL_COLUMNS = {"designation": "Designation", "description": "Description", "n_ordered": "Ordered",
                "order_year": "Order year", "delivery_years": "Delivered in", "status": "Status",
                "tiv_delivered": "TIV delivered (m)", "release": "SIPRI release"}
DEAL_FORMATS = {"tiv_delivered": "{:,.1f}"}


def deal_rows(deals: pd.DataFrame) -> pd.DataFrame:
    """The deal register as shown: the columns of :data:`DEAL_COLUMNS`, numbers ordered and
    order years as text with SIPRI's estimate mark "?" beside those SIPRI estimates, and the
    status with SIPRI's note where it changes the row's meaning ("New (Possibly Second-hand)");
    from the ``*_shown`` columns of :func:`analysis.deals.between`."""
    d = deals.copy()
    for col in ("n_ordered", "order_year", "status"):
        shown = f"{col}_shown"
        if shown in d:
            d[col] = d[shown]
        elif col != "status":
            d[col] = ["" if pd.isna(v) else f"{v:.0f}" for v in d[col]]
    return d[[c for c in DEAL_COLUMNS if c in d]]


def has_estimates(deals: pd.DataFrame) -> bool:
    """Whether a shown register carries SIPRI's estimate mark."""
    rows = deal_rows(deals)
    return bool(len(rows)) and any(str(v).endswith("?") for c in ("n_ordered", "order_year") if c in rows for v in rows[c])


def deal_title(recipient: str, supplier: str, agreement: bool) -> str:
    if agreement:
        return f"The deal: {fmt.the(recipient)} and {fmt.the(supplier)}"
    return f"{fmt.possessive(supplier, True)} arms deliveries to {fmt.the(recipient)}"


def timeline_title(recipient: str, supplier: str, shown: pd.DataFrame) -> str:
    first = int(shown["order_year"].min())
    last = shown["last_delivery"].max()
    span = fmt.years(first, int(last)) if pd.notna(last) and int(last) > first else str(first)
    return f"{fmt.possessive(supplier, True)} deals with {fmt.the(recipient)}, {span}: order to delivery"


def deals_caption(recipient: str, supplier: str, estimates: bool = False) -> str:
    return (f"Major arms from {fmt.the(supplier)} to {fmt.the(recipient)}: each deal from the newest release that lists it. "
            "TIV is a volume index in millions, not money." + (" ? marks a SIPRI estimate." if estimates else ""))


def deliveries_title(recipient: str, supplier: str, annual: pd.Series, start: int) -> str:
    """The annual chart's title: the peak year of the supplier's deliveries (ties: the first)."""
    if annual.max() <= 0:
        return f"No deliveries from {fmt.the(supplier)} to {fmt.the(recipient)} since {start}"
    peak = int(annual.idxmax())
    return f"{fmt.possessive(supplier, True)} deliveries to {fmt.the(recipient)} peaked in {peak}"


def newest_block(recipient: str, supplier: str, new_rows: pd.DataFrame, release: str) -> Block:
    """Deliveries a newer (supplier-only) release lists that the primary release does not."""
    if new_rows.empty:
        return EMPTY
    rel = fmt.listing(sorted(new_rows["release"].unique()))
    n = len(new_rows)
    md = (f"## Newest deliveries, from a newer release\n\nSIPRI's {rel} release, which covers {E(fmt.the(supplier))} "
          f"as a supplier only, records {fmt.plural(n, 'deal')} with deliveries that the {release} release does not yet "
          f"hold. They are shown apart and never added to the {release} series.")
    fig = figure("newest_deliveries", f"Deals with deliveries newer than the {release} release", n, "deals",
                 f"SIPRI's {rel} release adds {fmt.plural(n, 'deal')} with deliveries from {fmt.the(supplier)} to "
                 f"{fmt.the(recipient)} not in the {release} release.", region=fmt.name(recipient), release=rel)
    return Block(md, (fig,))


def systems_intro(n: int) -> Block:
    if n == 0:
        return EMPTY
    return Block("## The systems\n\nSIPRI names designations, not makers. The maker is given only where a source "
                 "states it; each note is the first sentence of the system's entry in the curated systems table.")


def coverage_note(agreement: bool) -> Block:
    """What SIPRI's data cannot show (always true, so always said)."""
    tail = (" A government-to-company agreement such as the one above appears in SIPRI's data only as the orders and "
            "deliveries SIPRI can identify, often years later." if agreement else "")
    return Block("## What SIPRI cannot see\n\nSIPRI's Arms Transfers Database covers **major conventional arms** only: "
                 "aircraft, armoured vehicles, artillery, missiles, ships, sensors and the like. It does not record small "
                 "arms and light weapons, ammunition, training, maintenance or other services, and it lists weapons by "
                 "designation without naming the company that made them." + tail)


# --------------------------------------------------------------------------- 2. context
def violence_level(deaths: pd.Series, recent: int | None = None) -> str:
    """'war' (a year with at least 1,000 deaths), 'conflict' (at least 25), or 'none' (deaths by
    year, one series); with ``recent``, over the last ``recent`` years of the series only."""
    if recent is not None and len(deaths):
        deaths = deaths[deaths.index > deaths.index.max() - recent]
    if deaths.empty or deaths.max() < CONFLICT_DEATHS:
        return "none"
    return "war" if deaths.max() >= WAR_DEATHS else "conflict"


def context_heading(recipient: str, level: str) -> Block:
    r = fmt.the(recipient)
    if level == "war":
        return Block(f"# 2. Context: {E(fmt.possessive(recipient))} security crisis and its arms suppliers")
    if level == "conflict":
        return Block(f"# 2. Context: conflict in {E(r)} and its arms suppliers")
    return Block(f"# 2. Context: {E(fmt.possessive(recipient))} arms suppliers")


def deaths_block(recipient: str, deaths: pd.Series, source: str, start: int) -> Block:
    """UCDP deaths in organised violence: the last year and the worst year since ``start``.
    ``deaths``: one series, by year. Empty where it records no conflict."""
    if violence_level(deaths) == "none":
        return EMPTY
    r = fmt.the(recipient)
    last_year, last = int(deaths.index.max()), float(deaths.loc[deaths.index.max()])
    peak_year, peak = int(deaths.idxmax()), float(deaths.max())
    text = f"UCDP counts {fmt.num(last)} deaths in organised violence in {E(r)} in {last_year}"
    if peak_year == last_year:
        text += f", the most in any year since {start}"
    else:
        text += f"; the highest yearly count since {start} was {fmt.num(peak)}, in {peak_year}"
    text += f". Source: {E(source)}."
    fig = figure("conflict_deaths_last_year", f"Conflict deaths in {fmt.name(recipient)}, {last_year}", last, "deaths",
                 _plain(text), years=str(last_year), region=fmt.name(recipient), release=source, headline=True)
    return Block("## Conflict deaths\n\n" + text, (fig,))


def deaths_title(recipient: str, deaths: pd.Series, imports: pd.Series) -> str:
    r = fmt.the(recipient)
    py = int(deaths.idxmax())
    if imports.max() > 0:
        return f"Conflict deaths in {r} peaked in {py}; its arms imports peaked in {int(imports.idxmax())}"
    return f"Conflict deaths in {r} peaked in {py}"


def acled_block(recipient: str, fatalities: pd.Series, source: str, as_of: str) -> Block:
    """ACLED's reported fatalities in the last year it covers (partial when ``as_of`` falls in
    that year). Empty without ACLED rows or with none reported."""
    if fatalities.empty or fatalities.max() <= 0:
        return EMPTY
    y = int(fatalities.index.max())
    partial = bool(as_of) and as_of.startswith(str(y))
    when = f"in {y} up to {fmt.long_date(as_of)}, a partial year" if partial else f"in {y}"
    return Block(f"ACLED, which counts reported fatalities from news and local sources and so differs from UCDP, "
                 f"records {fmt.num(fatalities.loc[y])} {when}. Source: {E(source)}.")


def spending_block(recipient: str, spend: pd.DataFrame) -> Block:
    """The latest military spending (money: US$ millions, constant 2023 prices) and its real
    change over ten years. ``spend``: :func:`analysis.context.military_spending` rows with values."""
    if spend.empty:
        return EMPTY
    y = spend.iloc[-1]
    year = int(y["year"])
    r = fmt.the(recipient, True)
    base = spend[spend["year"] == year - 10]
    growth = ""
    if len(base) and float(base["constant_2023_usd_m"].iloc[0]) > 0:
        ch = 100 * (float(y["constant_2023_usd_m"]) / float(base["constant_2023_usd_m"].iloc[0]) - 1)
        growth = f"; {fmt.change(ch)} in real terms since {year - 10}"
    gdp = f", {fmt.pct(float(y['share_of_gdp_pct']), 2)} of GDP" if pd.notna(y.get("share_of_gdp_pct")) else ""
    text = (f"{E(r)} spent US${fmt.num(y['constant_2023_usd_m'])} million (constant 2023 prices) on its military in "
            f"{year}{gdp}{growth} (SIPRI Military Expenditure Database, {E(str(y['release']).split(' (')[0])}). Spending is money; SIPRI's "
            "arms-transfer figures (TIV) are not, and the two are never compared.")
    fig = figure("milex_last_year", f"Military spending of {fmt.name(recipient)}, {year}",
                 round(float(y["constant_2023_usd_m"]), 1), "US$ m, constant 2023", _plain(text).split(" Spending is")[0],
                 years=str(year), region=fmt.name(recipient), release=str(y["release"]))
    return Block("## Military spending\n\n" + text, (fig,))


def spending_caption(recipient: str) -> str:
    return f"Military expenditure of {fmt.the(recipient)} (SIPRI Military Expenditure Database)"


def context_title(recipient: str, level: str) -> str:
    return _plain(context_heading(recipient, level).md.removeprefix("# 2. "))


def window_leaders(longw: pd.DataFrame) -> dict[str, list[str]]:
    """The identified leader(s) of each window of a long :func:`shares_by_window` table."""
    out: dict[str, list[str]] = {}
    for w, part in longw.groupby("window", sort=False):
        lead = leaders(part)
        if lead:
            out[str(w)] = lead
    return out


def watch_list(longw: pd.DataFrame, supplier: str, former: Sequence[str], n: int = 5) -> list[str]:
    """The suppliers whose shares the context paragraph follows: the former power(s), the
    supplier, then the largest identified suppliers of the last window; ``n`` at most, and
    only those with deliveries in some window."""
    windows = longw.attrs.get("windows") or sorted(longw["window"].unique())
    last = longw[longw["window"] == windows[-1]] if len(windows) else longw.iloc[0:0]
    top = list(_identified(last).sort_values("share", ascending=False)["supplier"])
    first = longw[longw["window"] == windows[0]] if len(windows) else longw.iloc[0:0]
    present = set(first.loc[first["share"] > 0, "supplier"]) | set(last.loc[last["share"] > 0, "supplier"])
    out: list[str] = []
    for s in [*former, supplier, *top]:
        if s in present and s not in out and not str(s).lower().startswith("unknown"):
            out.append(s)
    return out[:n]


def suppliers_block(recipient: str, supplier: str, longw: pd.DataFrame, former: Sequence[str], release: str) -> Block:
    """Who supplied the recipient by 5-year window, and how the main suppliers' shares moved
    between the first and the last window. ``longw``: long :func:`shares_by_window`."""
    r = fmt.the(recipient)
    head = f"## Who supplies {E(r)}\n\n"
    windows = list(longw.attrs.get("windows") or [])
    lead = window_leaders(longw)
    if not lead:
        return Block(head + f"SIPRI records no imports of major arms by {E(r)} from an identified supplier in "
                     f"{windows[0] if windows else ''}-{windows[-1][-2:] if windows else ''} ({release} release).")
    first_w, last_w = windows[0], windows[-1]
    parts = [f"{E(fmt.names(lead[w]))} in {w}" for w in windows if w in lead]
    text = f"The largest supplier of major arms by 5-year window: {fmt.listing(parts, 'and')}."

    def share_in(w: str, s: str) -> float:
        row = longw[(longw["window"] == w) & (longw["supplier"] == s)]
        return float(row["share"].iloc[0]) if len(row) else 0.0

    moves = [f"{E(fmt.the(s))} {fmt.pct(share_in(first_w, s))} in {first_w} and {fmt.pct(share_in(last_w, s))} in {last_w}"
             for s in watch_list(longw, supplier, former)]
    if last_w not in lead:
        text += f" SIPRI records no imports of major arms by {E(r)} from an identified supplier in {last_w}."
    elif moves and first_w != last_w:
        text += f" Shares of {E(fmt.possessive(recipient))} imports: {'; '.join(moves)} (SIPRI {release} release)."
    figures = []
    if last_w in lead:
        lw = lead[last_w]
        top_share = float(_identified(longw[longw["window"] == last_w])["share"].max())
        ftext = (f"{fmt.names(lw)} {fmt.verb(lw, 'was', 'were')} {fmt.possessive(recipient)} largest "
                 f"supplier{'' if len(lw) == 1 else 's'} of major arms in {last_w} ({fmt.pct(top_share)}")
        ftext += ")." if len(lw) == 1 else " each)."
        for fp in former:
            fr = longw[longw["supplier"] == fp]
            if len(fr):
                peak = fr.loc[fr["share"].idxmax()]
                ftext += (f" {fmt.possessive(fp, True)} share, as the former colonial power, peaked at "
                          f"{fmt.pct(float(peak['share']))} in {peak['window']}"
                          + (f" and was {fmt.pct(share_in(last_w, fp))} in {last_w}." if peak["window"] != last_w else "."))
        figures.append(figure("leader_last_window", f"Largest supplier of {fmt.name(recipient)}, {last_w}", fmt.listing(lw),
                              "supplier", fmt.capital(ftext), years=last_w, region=fmt.name(recipient), release=release,
                              headline=True))
    return Block(head + text, tuple(figures))


def suppliers_title(recipient: str, longw: pd.DataFrame) -> str:
    windows = list(longw.attrs.get("windows") or [])
    lead = window_leaders(longw)
    if not windows or windows[-1] not in lead:
        return f"{fmt.possessive(recipient, True)} arms suppliers by 5-year window"
    lw = lead[windows[-1]]
    return (f"{fmt.capital(fmt.names(lw))} {fmt.verb(lw, 'was', 'were')} {fmt.possessive(recipient)} largest arms "
            f"supplier{'' if len(lw) == 1 else 's'} in {windows[-1]}")


def peers_heading(recipient: str, peers: Sequence[str]) -> Block:
    if not peers:
        return EMPTY
    return Block(f"### {E(fmt.the(recipient, True))} beside {E(fmt.names(peers))}")


def peers_rows(shares_by_state: Mapping[str, Mapping[str, pd.DataFrame]]) -> pd.DataFrame:
    """The peers table: state, years, top three identified suppliers with shares. Input: for
    each state, for each window label, its :func:`supplier_shares`."""
    rows = []
    for state, by_w in shares_by_state.items():
        for w, sh in by_w.items():
            ident = _identified(sh).head(3)
            top = "; ".join(f"{fmt.name(s)} {fmt.pct(v)}" for s, v in zip(ident["supplier"], ident["share"]))
            rows.append({"state": fmt.name(state), "window": w, "top suppliers": top or "no imports recorded"})
    return pd.DataFrame(rows, columns=["state", "window", "top suppliers"])


def timeline_intro(recipient: str, n_events: int, release: str) -> Block:
    if n_events == 0:
        return EMPTY
    return Block("## Timeline: events beside deliveries\n\nEach event comes from the curated timeline with its source; "
                 f"deliveries are SIPRI TIV millions that year by supplier (top three, {release} release).")


TIMELINE_COLUMNS = {"date": "Date", "title": "Event", "status": "Caveat", "deliveries": "Deliveries that year (TIV m)",
                    "source_url": "Source"}


def timeline_rows(events: pd.DataFrame, by_year: pd.DataFrame) -> pd.DataFrame:
    """The timeline table: each curated event with the top three suppliers' deliveries that year
    (``by_year``: :func:`annual_tiv` by supplier)."""
    tl = events.assign(year=events["start"].dt.year)
    tl["deliveries"] = tl["year"].map(lambda y: deliveries_that_year(by_year, int(y)) if pd.notna(y) else "")
    tl["status"] = tl["status"].replace({"confirmed": "", "conflict": "sources disagree", "unverified": "unverified"})
    tl["date"] = tl["date"].map(fmt.long_date)
    return tl[list(TIMELINE_COLUMNS)]


def deliveries_that_year(by_year: pd.DataFrame, year: int) -> str:
    """'Russia 12.0; China 3.0' for one year of :func:`annual_tiv` by supplier; '(after the
    release)' for a year it does not hold; 'none recorded' for a year without deliveries."""
    if year not in by_year.index:
        return "(after the release)"
    row = by_year.loc[year]
    row = row[row > 0].sort_values(ascending=False).head(3)
    return "; ".join(f"{fmt.name(s)} {v:,.1f}" for s, v in row.items()) or "none recorded"


# --------------------------------------------------------------------------- 3. the supplier in a region
def region_heading(supplier: str, region: str) -> Block:
    return Block(f"# 3. {E(fmt.the(supplier, True))} as an arms supplier to {E(fmt.region_name(region))}")


def region_reason(recipient: str, region: str) -> Block:
    """Why this region: said when it is not SIPRI's Africa (Egypt is in SIPRI's Middle East)."""
    if region == "Africa":
        return EMPTY
    from analysis import params

    home = params.home_region(recipient)
    if home == region and region != "Africa":
        return Block(f"SIPRI counts {E(fmt.the(recipient))} in {E(fmt.region_name(region))}, not in Africa, so this "
                     f"section compares suppliers there.")
    return EMPTY


def standing_lines(standing: pd.DataFrame, supplier: str, regions_: Sequence[str], last: str, prev: str) -> list[str]:
    """One line per region: the supplier's share and rank in the last window, its move from the
    window before, and the leader when it is not the supplier. ``standing``:
    :func:`analysis.transfers.standing` (ranks among identified suppliers)."""
    s = fmt.the(supplier)
    lines = []
    for r in regions_:
        row = standing[(standing["recipients"] == r) & (standing["window"] == last)]
        if row.empty:
            continue
        row = row.iloc[0]
        before = standing[(standing["recipients"] == r) & (standing["window"] == prev)]
        rank = row["rank"]
        has_rank = pd.notna(rank) and rank
        verdict = ("leads" if has_rank and int(rank) == 1 else f"ranks {fmt.ordinal(int(rank))}" if has_rank
                   else "supplied nothing")
        line = f"- **{E(fmt.capital(fmt.region_name(r)))}**: {E(s)} {verdict}"
        if has_rank:
            line += f" with {fmt.pct(row['share'])} in {last}"
        else:
            line += f" in {last}"
        if len(before) and prev != last:
            b = float(before["share"].iloc[0])
            line += f" ({fmt.shift(float(row['share']), b)} in {prev})" if has_rank or b > 0 else ""
        if not (has_rank and int(rank) == 1) and row.get("leader") and pd.notna(row.get("leader")):
            line += f"; the leader is {E(fmt.the(row['leader']))} with {fmt.pct(row['leader_share'])}"
        lines.append(line + ".")
    return lines


def region_verdict(supplier: str, region: str, standing: pd.DataFrame, regions_: Sequence[str], last: str,
                   prev: str, release: str, end: int) -> Block:
    """Is the supplier the region's leading supplier? Answered for the region and each
    sub-region, with the figures."""
    s = fmt.the(supplier)
    rg = fmt.region_name(region)
    main = standing[(standing["recipients"] == region) & (standing["window"] == last)]
    if main.empty:
        return EMPTY
    m = main.iloc[0]
    rank = int(m["rank"]) if pd.notna(m["rank"]) and m["rank"] else None
    holds = [r for r in regions_[1:]
             if len(x := standing[(standing["recipients"] == r) & (standing["window"] == last)]) and x["rank"].iloc[0] == 1]
    q = f"**Is {E(s)} the leading arms supplier to {E(rg)}?** "
    if rank == 1:
        a = f"Yes, in {last}."
    elif rank is None:
        a = f"No: it delivered no major arms to {E(rg)} in {last}."
    else:
        a = f"No: in {last} it ranked {fmt.ordinal(rank)}, behind {E(fmt.the(m['leader']))}."
    if holds and rank != 1:
        a += f" It did lead in {E(fmt.listing([fmt.region_name(h) for h in holds]))}."
    lines = standing_lines(standing, supplier, regions_, last, prev)
    md = (f"## The verdict\n\n{q}{a}\n\n" + "\n".join(lines)
          + f"\n\nShares of each region's imports of major arms, SIPRI {release} release; 5-year windows end in {end}. "
          "Ranks count identified suppliers only.")
    figs = []
    share = float(m["share"])
    if rank == 1:
        ft = f"{fmt.capital(s)} supplied {fmt.pct(share)} of the major arms imported by {rg} in {last}, the largest share."
    elif rank is None:
        ft = f"{fmt.capital(s)} delivered no major arms to {rg} in {last}."
    else:
        ft = (f"{fmt.capital(s)} supplied {fmt.pct(share)} of the major arms imported by {rg} in {last}, the "
              f"{fmt.ordinal(rank)}-largest share; {fmt.the(m['leader'])} led with {fmt.pct(m['leader_share'])}.")
    figs.append(figure("share_region_last_window", f"{fmt.possessive(supplier, True)} share of major-arms imports, {rg}",
                       round(share, 1), "percent", ft, years=last, region=rg, release=release, headline=True))
    for i, r in enumerate(regions_[1:]):
        x = standing[(standing["recipients"] == r) & (standing["window"] == last)]
        if x.empty:
            continue
        xr = x.iloc[0]
        rk = int(xr["rank"]) if pd.notna(xr["rank"]) and xr["rank"] else None
        t = (f"In {fmt.region_name(r)}, {s} supplied {fmt.pct(float(xr['share']))} in {last}"
             + (", more than any other supplier." if rk == 1 else f", the {fmt.ordinal(rk)}-largest share." if rk
                else "."))
        figs.append(figure(f"share_{r.lower().replace(' ', '_').replace('-', '_')}",
                           f"{fmt.possessive(supplier, True)} share of imports, {fmt.region_name(r)}", round(float(xr["share"]), 1),
                           "percent", t, years=last, region=r, release=release, headline=(i == 0)))
    return Block(md, tuple(figs))


def region_chart_title(supplier: str, region: str, last_shares: pd.DataFrame, last: str) -> str:
    lead = leaders(last_shares)
    s_share = share_of(last_shares, supplier)
    rg = fmt.region_name(region)
    if not lead:
        return f"Suppliers of major arms to {rg} by 5-year window"
    if fmt.name(supplier) in lead:
        return f"{fmt.capital(fmt.the(supplier))} led {rg} in {last} with {fmt.pct(s_share)}"
    return f"{fmt.capital(fmt.names(lead))} led {rg} in {last}; {fmt.the(supplier)} had {fmt.pct(s_share)}"


def buyers_block(supplier: str, region: str, counts: Sequence[tuple[str, int]], release: str) -> Block:
    """How many states in the region received major arms from the supplier, by window."""
    if not counts:
        return EMPTY
    s, rg = fmt.the(supplier), fmt.region_name(region)
    w, n = counts[-1]
    head = f"## How many states buy from {E(s)}\n\n"
    if n == 0 and all(c == 0 for _, c in counts):
        return Block(head + f"SIPRI records no deliveries of major arms from {E(s)} to a state in {E(rg)} in "
                     f"{counts[0][0]} to {w}.")
    text = (f"{fmt.plural(n, 'state')} in {E(rg)} received major arms from {E(s)} in {w}"
            + (f"; by window: {', '.join(f'{c} in {x}' for x, c in counts)}." if len(counts) > 1 else "."))
    fig = figure("recipient_states_last_window", f"States in {rg} receiving major arms from {fmt.name(supplier)}", n,
                 "states", _plain(fmt.capital(text)), years=w, region=rg, release=release)
    return Block(head + fmt.capital(text), (fig,))


def top_recipient_block(supplier: str, region: str, top: pd.DataFrame, last: str, release: str) -> tuple[str, Block]:
    """The chart title and key figure for the supplier's largest recipient."""
    if top.empty:
        return "", EMPTY
    first = top.iloc[0]
    rg = fmt.region_name(region)
    name = fmt.the(first["recipient"])
    title = f"{fmt.capital(name)} took {fmt.pct(first['share'])} of {fmt.possessive(supplier)} arms deliveries to {rg} in {last}"
    fig = figure("top_recipient", f"Largest recipient of {fmt.possessive(supplier)} arms in {rg}", fmt.name(first["recipient"]),
                 "state", f"{fmt.capital(name)} received {fmt.pct(first['share'])} of {fmt.possessive(supplier)} deliveries of "
                 f"major arms to {rg} in {last}.", years=last, region=rg, release=release)
    return title, Block("", (fig,))


def category_title(supplier: str, region: str, cats: pd.DataFrame, last: str) -> str:
    mapped = cats[cats["category"] != "Unmapped"]
    first = mapped.iloc[0] if len(mapped) else cats.iloc[0]
    return (f"{first['category']} made up {fmt.pct(first['share'])} of {fmt.possessive(supplier)} deliveries to "
            f"{fmt.region_name(region)}, {last}")


def unmapped_note(cats: pd.DataFrame) -> Block:
    unm = float(cats.loc[cats["category"] == "Unmapped", "share"].sum()) if len(cats) else 0.0
    if unm <= 0:
        return EMPTY
    return Block(f"{fmt.capital(fmt.pct(unm))} of the volume comes from weapon descriptions without a curated SIPRI "
                 "category (listed in data/curated/armament_categories_unmapped.csv).")


def newest_year_block(supplier: str, region: str, newer: pd.DataFrame, year: int, newer_release: str,
                      release: str) -> Block:
    """Deliveries of the newest year, from a newer release that covers only this supplier."""
    if newer.empty:
        return EMPTY
    s, rg = fmt.the(supplier), fmt.region_name(region)
    tot = float(newer["tiv_delivered"].sum())
    top = newer.groupby("recipient")["tiv_delivered"].sum().sort_values(ascending=False).head(3)
    top = top[top > 0]
    led = (", led by " + fmt.listing([f"{E(fmt.the(r))} ({v:,.1f})" for r, v in top.items()])) if len(top) else ""
    md = (f"## {year}: the newest deliveries\n\nSIPRI's {newer_release} release, which covers {E(s)} as a supplier only, "
          f"records {fmt.tiv(tot)} of deliveries to {E(rg)} in {year}{led}. No all-supplier release with {year} deliveries "
          f"is held, so {E(fmt.possessive(supplier))} {year} share cannot be computed and these values are not added to "
          f"the {release} series.")
    fig = figure("newest_year_tiv", f"{fmt.possessive(supplier, True)} deliveries to {rg} in {year}", round(tot, 1),
                 "TIV millions", f"SIPRI's {newer_release} release records {fmt.tiv(tot)} of deliveries from {s} to {rg} "
                 f"in {year}.", years=str(year), region=rg, release=newer_release)
    return Block(md, (fig,))


def mappable(region: str) -> bool:
    """Whether the region lies in Africa, which the share map draws."""
    from analysis import regions

    try:
        inside = set(regions.members(region, include_non_state=False))
    except Exception:
        return False
    return bool(inside) and inside <= set(regions.members("Africa", include_non_state=False))


def map_title(supplier: str, region: str, last: str) -> str:
    return f"{fmt.possessive(supplier, True)} share of each state's arms imports, {fmt.region_name(region)}, {last}"


def region_title(supplier: str, region: str) -> str:
    return f"{fmt.the(supplier, True)} in {fmt.region_name(region)}"


def standing_columns(supplier: str, rivals: Sequence[str]) -> dict[str, str]:
    cols = {"recipients": "Region", "window": "Years", "share": f"{fmt.name(supplier)} (%)", "rank": "Rank",
            "leader": "Leader", "leader_share": "Leader (%)"}
    cols.update({f"share_{r}": f"{fmt.name(r)} (%)" for r in rivals})
    cols["share_unknown"] = "Unidentified suppliers (%)"
    return cols


def standing_formats(standing: pd.DataFrame) -> dict[str, str]:
    out = {c: "{:.1f}" for c in standing.columns if "share" in c}
    out["rank"] = "{:.0f}"
    return out
