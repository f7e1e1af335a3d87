"""Section 3, the supplier in a region: the verdict on its standing in the region and each
sub-region, how many states buy from it, its largest recipients, the newest deliveries."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis import fmt
from analysis.prose.core import EMPTY, Block, figure, leaders, plain, share_of

E = fmt.esc_md


def region_heading(supplier: str, region: str) -> Block:
    return Block(f"# 3. {E(fmt.the(supplier, True))} as an arms supplier to {E(fmt.region_name(region))}")


def region_reason(recipient: str, region: str) -> Block:
    """Why this region: said when it is not SIPRI's Africa (Egypt is in SIPRI's Middle East)."""
    if region == "Africa":
        return EMPTY
    from analysis import params

    home = params.home_region(recipient)
    if home == region and region != "Africa":
        return Block(
            f"SIPRI counts {E(fmt.the(recipient))} in {E(fmt.region_name(region))}, not in Africa, so this "
            f"section compares suppliers there."
        )
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
        verdict = (
            "leads" if has_rank and int(rank) == 1 else f"ranks {fmt.ordinal(int(rank))}" if has_rank else "supplied nothing"
        )
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


def region_verdict(
    supplier: str, region: str, standing: pd.DataFrame, regions_: Sequence[str], last: str, prev: str, release: str, end: int
) -> Block:
    """Is the supplier the region's leading supplier? Answered for the region and each
    sub-region, with the figures."""
    s = fmt.the(supplier)
    rg = fmt.region_name(region)
    main = standing[(standing["recipients"] == region) & (standing["window"] == last)]
    if main.empty:
        return EMPTY
    m = main.iloc[0]
    rank = int(m["rank"]) if pd.notna(m["rank"]) and m["rank"] else None
    holds = [
        r
        for r in regions_[1:]
        if len(x := standing[(standing["recipients"] == r) & (standing["window"] == last)]) and x["rank"].iloc[0] == 1
    ]
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
    md = (
        f"## The verdict\n\n{q}{a}\n\n"
        + "\n".join(lines)
        + f"\n\nShares of each region's imports of major arms, SIPRI {release} release; 5-year windows end in {end}. "
        "Ranks count identified suppliers only."
    )
    figs = []
    share = float(m["share"])
    if rank == 1:
        ft = f"{fmt.capital(s)} supplied {fmt.pct(share)} of the major arms imported by {rg} in {last}, the largest share."
    elif rank is None:
        ft = f"{fmt.capital(s)} delivered no major arms to {rg} in {last}."
    else:
        ft = (
            f"{fmt.capital(s)} supplied {fmt.pct(share)} of the major arms imported by {rg} in {last}, the "
            f"{fmt.ordinal(rank)}-largest share; {fmt.the(m['leader'])} led with {fmt.pct(m['leader_share'])}."
        )
    figs.append(
        figure(
            "share_region_last_window",
            f"{fmt.possessive(supplier, True)} share of major-arms imports, {rg}",
            round(share, 1),
            "percent",
            ft,
            years=last,
            region=rg,
            release=release,
            headline=True,
        )
    )
    for i, r in enumerate(regions_[1:]):
        x = standing[(standing["recipients"] == r) & (standing["window"] == last)]
        if x.empty:
            continue
        xr = x.iloc[0]
        rk = int(xr["rank"]) if pd.notna(xr["rank"]) and xr["rank"] else None
        t = f"In {fmt.region_name(r)}, {s} supplied {fmt.pct(float(xr['share']))} in {last}" + (
            ", more than any other supplier." if rk == 1 else f", the {fmt.ordinal(rk)}-largest share." if rk else "."
        )
        figs.append(
            figure(
                f"share_{r.lower().replace(' ', '_').replace('-', '_')}",
                f"{fmt.possessive(supplier, True)} share of imports, {fmt.region_name(r)}",
                round(float(xr["share"]), 1),
                "percent",
                t,
                years=last,
                region=r,
                release=release,
                headline=(i == 0),
            )
        )
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
        return Block(
            head + f"SIPRI records no deliveries of major arms from {E(s)} to a state in {E(rg)} in {counts[0][0]} to {w}."
        )
    text = f"{fmt.plural(n, 'state')} in {E(rg)} received major arms from {E(s)} in {w}" + (
        f"; by window: {', '.join(f'{c} in {x}' for x, c in counts)}." if len(counts) > 1 else "."
    )
    fig = figure(
        "recipient_states_last_window",
        f"States in {rg} receiving major arms from {fmt.name(supplier)}",
        n,
        "states",
        plain(fmt.capital(text)),
        years=w,
        region=rg,
        release=release,
    )
    return Block(head + fmt.capital(text), (fig,))


def top_recipient_block(supplier: str, region: str, top: pd.DataFrame, last: str, release: str) -> tuple[str, Block]:
    """The chart title and key figure for the supplier's largest recipient."""
    if top.empty:
        return "", EMPTY
    first = top.iloc[0]
    rg = fmt.region_name(region)
    name = fmt.the(first["recipient"])
    title = f"{fmt.capital(name)} took {fmt.pct(first['share'])} of {fmt.possessive(supplier)} arms deliveries to {rg} in {last}"
    fig = figure(
        "top_recipient",
        f"Largest recipient of {fmt.possessive(supplier)} arms in {rg}",
        fmt.name(first["recipient"]),
        "state",
        f"{fmt.capital(name)} received {fmt.pct(first['share'])} of {fmt.possessive(supplier)} deliveries of "
        f"major arms to {rg} in {last}.",
        years=last,
        region=rg,
        release=release,
    )
    return title, Block("", (fig,))


def category_title(supplier: str, region: str, cats: pd.DataFrame, last: str) -> str:
    mapped = cats[cats["category"] != "Unmapped"]
    first = mapped.iloc[0] if len(mapped) else cats.iloc[0]
    return (
        f"{first['category']} made up {fmt.pct(first['share'])} of {fmt.possessive(supplier)} deliveries to "
        f"{fmt.region_name(region)}, {last}"
    )


def unmapped_note(cats: pd.DataFrame) -> Block:
    unm = float(cats.loc[cats["category"] == "Unmapped", "share"].sum()) if len(cats) else 0.0
    if unm <= 0:
        return EMPTY
    return Block(
        f"{fmt.capital(fmt.pct(unm))} of the volume comes from weapon descriptions without a curated SIPRI "
        "category (listed in data/curated/armament_categories_unmapped.csv)."
    )


def newest_year_block(supplier: str, region: str, newer: pd.DataFrame, year: int, newer_release: str, release: str) -> Block:
    """Deliveries of the newest year, from a newer release that covers only this supplier."""
    if newer.empty:
        return EMPTY
    s, rg = fmt.the(supplier), fmt.region_name(region)
    tot = float(newer["tiv_delivered"].sum())
    top = newer.groupby("recipient")["tiv_delivered"].sum().sort_values(ascending=False).head(3)
    top = top[top > 0]
    led = (", led by " + fmt.listing([f"{E(fmt.the(r))} ({v:,.1f})" for r, v in top.items()])) if len(top) else ""
    md = (
        f"## {year}: the newest deliveries\n\nSIPRI's {newer_release} release, which covers {E(s)} as a supplier only, "
        f"records {fmt.tiv(tot)} of deliveries to {E(rg)} in {year}{led}. No all-supplier release with {year} deliveries "
        f"is held, so {E(fmt.possessive(supplier))} {year} share cannot be computed and these values are not added to "
        f"the {release} series."
    )
    fig = figure(
        "newest_year_tiv",
        f"{fmt.possessive(supplier, True)} deliveries to {rg} in {year}",
        round(tot, 1),
        "TIV millions",
        f"SIPRI's {newer_release} release records {fmt.tiv(tot)} of deliveries from {s} to {rg} in {year}.",
        years=str(year),
        region=rg,
        release=newer_release,
    )
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
    cols = {
        "recipients": "Region",
        "window": "Years",
        "share": f"{fmt.name(supplier)} (%)",
        "rank": "Rank",
        "leader": "Leader",
        "leader_share": "Leader (%)",
    }
    cols.update({f"share_{r}": f"{fmt.name(r)} (%)" for r in rivals})
    cols["share_unknown"] = "Unidentified suppliers (%)"
    return cols


def standing_formats(standing: pd.DataFrame) -> dict[str, str]:
    out = {c: "{:.1f}" for c in standing.columns if "share" in c}
    out["rank"] = "{:.0f}"
    return out
