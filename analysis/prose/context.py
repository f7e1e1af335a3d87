"""Section 2, context: conflict deaths (one UCDP series), military spending, who supplies the
recipient by 5-year window, its peers, the curated timeline."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from analysis import fmt
from analysis.prose.core import CONFLICT_DEATHS, EMPTY, WAR_DEATHS, Block, figure, identified, leaders, plain

E = fmt.esc_md


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
    fig = figure(
        "conflict_deaths_last_year",
        f"Conflict deaths in {fmt.name(recipient)}, {last_year}",
        last,
        "deaths",
        plain(text),
        years=str(last_year),
        region=fmt.name(recipient),
        release=source,
        headline=True,
    )
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
    return Block(
        f"ACLED, which counts reported fatalities from news and local sources and so differs from UCDP, "
        f"records {fmt.num(fatalities.loc[y])} {when}. Source: {E(source)}."
    )


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
    text = (
        f"{E(r)} spent US${fmt.num(y['constant_2023_usd_m'])} million (constant 2023 prices) on its military in "
        f"{year}{gdp}{growth} (SIPRI Military Expenditure Database, {E(str(y['release']).split(' (')[0])}). Spending is money; SIPRI's "
        "arms-transfer figures (TIV) are not, and the two are never compared."
    )
    fig = figure(
        "milex_last_year",
        f"Military spending of {fmt.name(recipient)}, {year}",
        round(float(y["constant_2023_usd_m"]), 1),
        "US$ m, constant 2023",
        plain(text).split(" Spending is")[0],
        years=str(year),
        region=fmt.name(recipient),
        release=str(y["release"]),
    )
    return Block("## Military spending\n\n" + text, (fig,))


def spending_caption(recipient: str) -> str:
    return f"Military expenditure of {fmt.the(recipient)} (SIPRI Military Expenditure Database)"


def context_title(recipient: str, level: str) -> str:
    return plain(context_heading(recipient, level).md.removeprefix("# 2. "))


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
    top = list(identified(last).sort_values("share", ascending=False)["supplier"])
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
        return Block(
            head + f"SIPRI records no imports of major arms by {E(r)} from an identified supplier in "
            f"{windows[0] if windows else ''}-{windows[-1][-2:] if windows else ''} ({release} release)."
        )
    first_w, last_w = windows[0], windows[-1]
    parts = [f"{E(fmt.names(lead[w]))} in {w}" for w in windows if w in lead]
    text = f"The largest supplier of major arms by 5-year window: {fmt.listing(parts, 'and')}."

    def share_in(w: str, s: str) -> float:
        row = longw[(longw["window"] == w) & (longw["supplier"] == s)]
        return float(row["share"].iloc[0]) if len(row) else 0.0

    moves = [
        f"{E(fmt.the(s))} {fmt.pct(share_in(first_w, s))} in {first_w} and {fmt.pct(share_in(last_w, s))} in {last_w}"
        for s in watch_list(longw, supplier, former)
    ]
    if last_w not in lead:
        text += f" SIPRI records no imports of major arms by {E(r)} from an identified supplier in {last_w}."
    elif moves and first_w != last_w:
        text += f" Shares of {E(fmt.possessive(recipient))} imports: {'; '.join(moves)} (SIPRI {release} release)."
    figures = []
    if last_w in lead:
        lw = lead[last_w]
        top_share = float(identified(longw[longw["window"] == last_w])["share"].max())
        ftext = (
            f"{fmt.names(lw)} {fmt.verb(lw, 'was', 'were')} {fmt.possessive(recipient)} largest "
            f"supplier{'' if len(lw) == 1 else 's'} of major arms in {last_w} ({fmt.pct(top_share)}"
        )
        ftext += ")." if len(lw) == 1 else " each)."
        for fp in former:
            fr = longw[longw["supplier"] == fp]
            if len(fr):
                peak = fr.loc[fr["share"].idxmax()]
                ftext += (
                    f" {fmt.possessive(fp, True)} share, as the former colonial power, peaked at "
                    f"{fmt.pct(float(peak['share']))} in {peak['window']}"
                    + (f" and was {fmt.pct(share_in(last_w, fp))} in {last_w}." if peak["window"] != last_w else ".")
                )
        figures.append(
            figure(
                "leader_last_window",
                f"Largest supplier of {fmt.name(recipient)}, {last_w}",
                fmt.listing(lw),
                "supplier",
                fmt.capital(ftext),
                years=last_w,
                region=fmt.name(recipient),
                release=release,
                headline=True,
            )
        )
    return Block(head + text, tuple(figures))


def suppliers_title(recipient: str, longw: pd.DataFrame) -> str:
    windows = list(longw.attrs.get("windows") or [])
    lead = window_leaders(longw)
    if not windows or windows[-1] not in lead:
        return f"{fmt.possessive(recipient, True)} arms suppliers by 5-year window"
    lw = lead[windows[-1]]
    return (
        f"{fmt.capital(fmt.names(lw))} {fmt.verb(lw, 'was', 'were')} {fmt.possessive(recipient)} largest arms "
        f"supplier{'' if len(lw) == 1 else 's'} in {windows[-1]}"
    )


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
            ident = identified(sh).head(3)
            top = "; ".join(f"{fmt.name(s)} {fmt.pct(v)}" for s, v in zip(ident["supplier"], ident["share"]))
            rows.append({"state": fmt.name(state), "window": w, "top suppliers": top or "no imports recorded"})
    return pd.DataFrame(rows, columns=["state", "window", "top suppliers"])


def timeline_intro(recipient: str, n_events: int, release: str) -> Block:
    if n_events == 0:
        return EMPTY
    return Block(
        "## Timeline: events beside deliveries\n\nEach event comes from the curated timeline with its source; "
        f"deliveries are SIPRI TIV millions that year by supplier (top three, {release} release)."
    )


TIMELINE_COLUMNS = {
    "date": "Date",
    "title": "Event",
    "status": "Caveat",
    "deliveries": "Deliveries that year (TIV m)",
    "source_url": "Source",
}


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
