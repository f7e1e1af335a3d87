"""Section 1, the deal: the agreement, SIPRI's record of the supplier's deals with the recipient,
the systems, what SIPRI cannot see."""

from __future__ import annotations

import pandas as pd

from analysis import fmt
from analysis.prose.core import (
    EMPTY,
    Block,
    figure,
    identified,
    leaders,
    plain,
    rank_of,
    share_of,
    standing_phrase,
    unknown_share,
)

E = fmt.esc_md


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
        return Block(
            f"## {day}\n\nNo curated source records an agreement between {E(fmt.the(recipient))} and "
            f"{E(fmt.the(supplier))} on {day}."
        )
    lines = []
    for e in events.itertuples():
        src = f" ([source]({e.source_url}))" if e.source_url else ""
        note = " *Sources disagree on details; see the timeline.*" if e.status == "conflict" else ""
        unver = " *(unverified)*" if e.status == "unverified" else ""
        lines.append(f"- **{fmt.long_date(e.date)}**: {E(e.title)}. {E(e.description)}{unver}{note}{src}")
    return Block(
        f"## What was signed on {day}\n\nThe curated timeline, each entry with a source that states it:\n\n" + "\n".join(lines)
    )


def orders_in_year_block(recipient: str, supplier: str, agreement_date: str, shown: pd.DataFrame) -> Block:
    """What SIPRI lists as ordered by the recipient from the supplier in the agreement's year
    (``shown``: the deal register, each deal from its newest release)."""
    if not agreement_date:
        return EMPTY
    year = int(agreement_date[:4])
    ordered = shown[shown["order_year"] == year]
    r, s = fmt.the(recipient), fmt.the(supplier)
    if ordered.empty:
        return Block(
            f"**What SIPRI records.** No release held lists an order by {E(r)} from {E(s)} in {year}. "
            "SIPRI names no makers and records orders only once it has evidence of them."
        )
    rels = fmt.listing(sorted(ordered["release"].unique()))
    items = fmt.listing([f"{E(x.designation)} ({E(x.description)}, {fmt.num(x.n_ordered)})" for x in ordered.itertuples()])
    delivered = sorted({y for ys in ordered["delivery_years"] for y in str(ys).split("; ") if y})
    n = len(ordered)
    text = (
        f"**What SIPRI records.** SIPRI lists weapons by designation and never names a maker. Its {rels} "
        f"{fmt.verb(rels.count(' and ') + 1, 'release lists', 'releases list')} {fmt.plural(n, 'system')} supplied by "
        f"{E(s)} that {E(r)} ordered in {year}: {items}; "
        + (f"deliveries are recorded in {fmt.listing(delivered)}. " if delivered else "no delivery is recorded yet. ")
        + f"Whether these are the items of the {fmt.long_date(agreement_date)} agreement SIPRI does not say: "
        "no value, quantities or item list of the agreement were published."
    )
    fig = figure(
        "orders_in_agreement_year",
        f"Systems ordered from {fmt.name(supplier)} in {year}",
        n,
        "deals",
        f"SIPRI's {rels} release lists {fmt.plural(n, 'system')} {r} ordered from {s} in {year}.",
        years=str(year),
        region=fmt.name(recipient),
        release=rels,
        headline=True,
    )
    return Block(text, (fig,))


def deliveries_block(
    recipient: str,
    supplier: str,
    shares: pd.DataFrame,
    window: tuple[int, int],
    n_deals: int,
    total_tiv: float,
    coverage: tuple[int, int],
    release: str,
    heading: bool = True,
) -> Block:
    """The supplier's deliveries to the recipient in the release, and its standing in the last
    window. ``shares``: :func:`analysis.transfers.supplier_shares` of the recipient in ``window``;
    ``heading`` adds a sub-heading (when the section opens with an agreement)."""
    r, s, w = fmt.the(recipient), fmt.the(supplier), fmt.years(*window)
    lo, hi = coverage
    head = f"## {E(fmt.possessive(supplier, True))} arms deliveries to {E(r)} in SIPRI's data\n\n" if heading else ""
    figures = []
    if n_deals == 0:
        record = f"SIPRI's {release} release lists no deal for major arms from {E(s)} to {E(r)} with deliveries in {lo}-{hi}."
    else:
        record = (
            f"SIPRI's {release} release lists {fmt.plural(n_deals, 'deal')} for major arms from {E(s)} to "
            f"{E(r)}, with {fmt.tiv(total_tiv)} delivered over {fmt.years(lo, hi)}."
        )
        figures.append(
            figure(
                "deals_count",
                f"Deals from {fmt.name(supplier)} to {fmt.name(recipient)}",
                n_deals,
                "deals",
                plain(record),
                years=fmt.years(lo, hi),
                region=fmt.name(recipient),
                release=release,
            )
        )
    if shares.empty:
        last = f"SIPRI records no imports of major arms by {E(r)} in {w}."
    elif rank_of(shares, supplier) is None:
        lead = leaders(shares)
        top = float(identified(shares)["share"].max()) if lead else 0.0
        role = (
            "the only identified supplier"
            if top >= 99.95
            else f"the largest supplier{'' if len(lead) == 1 else 's'} ({fmt.pct(top)})"
        )
        last = (
            (
                f"{E(fmt.capital(s))} delivered no major arms to {E(r)} in {w}; "
                f"{E(fmt.names(lead))} {fmt.verb(lead, 'was', 'were')} {role}."
            )
            if lead
            else (f"{E(fmt.capital(s))} delivered no major arms to {E(r)} in {w}; SIPRI does not identify who did.")
        )
    else:
        share = share_of(shares, supplier)
        phrase = standing_phrase(shares, supplier)
        lead = [x for x in leaders(shares) if x != fmt.name(supplier)]
        last = f"In {w}, {E(s)} supplied {fmt.pct(share)} of {E(fmt.possessive(recipient))} imports of major arms, {phrase}"
        if rank_of(shares, supplier) != 1 and lead:
            last += f"; the largest was {E(fmt.names(lead))} ({fmt.pct(identified(shares)['share'].max())})"
        last += "."
        figures.append(
            figure(
                "supplier_share_last_window",
                f"{fmt.possessive(supplier, True)} share of {fmt.possessive(recipient)} major-arms imports",
                round(share, 1),
                "percent",
                plain(last),
                years=w,
                region=fmt.name(recipient),
                release=release,
                headline=True,
            )
        )
    unknown = unknown_share(shares)
    if unknown > 0:
        last += f" SIPRI could not identify the supplier of {fmt.pct(unknown)} of the volume, which is left out of every ranking."
    return Block(head + record + " " + last, tuple(figures))


DEAL_COLUMNS = {
    "designation": "Designation",
    "description": "Description",
    "n_ordered": "Ordered",
    "order_year": "Order year",
    "delivery_years": "Delivered in",
    "status": "Status",
    "tiv_delivered": "TIV delivered (m)",
    "release": "SIPRI release",
}
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
    return (
        f"Major arms from {fmt.the(supplier)} to {fmt.the(recipient)}: each deal from the newest release that lists it. "
        "TIV is a volume index in millions, not money." + (" ? marks a SIPRI estimate." if estimates else "")
    )


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
    md = (
        f"## Newest deliveries, from a newer release\n\nSIPRI's {rel} release, which covers {E(fmt.the(supplier))} "
        f"as a supplier only, records {fmt.plural(n, 'deal')} with deliveries that the {release} release does not yet "
        f"hold. They are shown apart and never added to the {release} series."
    )
    fig = figure(
        "newest_deliveries",
        f"Deals with deliveries newer than the {release} release",
        n,
        "deals",
        f"SIPRI's {rel} release adds {fmt.plural(n, 'deal')} with deliveries from {fmt.the(supplier)} to "
        f"{fmt.the(recipient)} not in the {release} release.",
        region=fmt.name(recipient),
        release=rel,
    )
    return Block(md, (fig,))


def systems_intro(n: int) -> Block:
    if n == 0:
        return EMPTY
    return Block(
        "## The systems\n\nSIPRI names designations, not makers. The maker is given only where a source "
        "states it; each note is the first sentence of the system's entry in the curated systems table."
    )


def coverage_note(agreement: bool) -> Block:
    """What SIPRI's data cannot show (always true, so always said)."""
    tail = (
        " A government-to-company agreement such as the one above appears in SIPRI's data only as the orders and "
        "deliveries SIPRI can identify, often years later."
        if agreement
        else ""
    )
    return Block(
        "## What SIPRI cannot see\n\nSIPRI's Arms Transfers Database covers **major conventional arms** only: "
        "aircraft, armoured vehicles, artillery, missiles, ships, sensors and the like. It does not record small "
        "arms and light weapons, ammunition, training, maintenance or other services, and it lists weapons by "
        "designation without naming the company that made them." + tail
    )
