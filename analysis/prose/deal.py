"""Section 1, the deal: the agreement, SIPRI's record of the supplier's deals with the recipient,
the systems, what SIPRI cannot see."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from analysis import fmt
from analysis.i18n import N_, _, language, ngettext
from analysis.prose.core import EMPTY, Block, english_name, figure, identified, leaders, plain, rank_of, share_of, unknown_share

E = fmt.esc_md


def N(x: object) -> fmt.Named:
    """A name for a Markdown message (escaped)."""
    return fmt.Named(x, E)


def P(x: object) -> fmt.Named:
    """A name for plain text (titles, captions, key figures)."""
    return fmt.Named(x)


def release_label(label: str) -> str:
    """A SIPRI release label as a reader reads it: 'March 2025' in English, 'mars 2025' in
    French (the label itself when it is not a month and a year)."""
    if language() == "en":
        return label
    try:
        d = dt.datetime.strptime(str(label).strip(), "%B %Y")
    except ValueError:
        return label
    return fmt.long_date(f"{d.year}-{d.month:02d}")


def releases_label(labels: Any) -> str:
    return fmt.listing(release_label(x) for x in labels)


def deal_heading(recipient: str, supplier: str, agreement: bool) -> Block:
    if agreement:
        return Block(_("# 1. The deal: {recipient:The} and {supplier:the}").format(recipient=N(recipient), supplier=N(supplier)))
    return Block(
        _("# 1. {supplier:Poss} arms deliveries to {recipient:the}").format(recipient=N(recipient), supplier=N(supplier))
    )


def agreement_block(recipient: str, supplier: str, agreement_date: str, events: pd.DataFrame) -> Block:
    """What the curated timeline says was signed on ``agreement_date`` (events of the recipient
    with the supplier on that date). Empty without a date."""
    if not agreement_date:
        return EMPTY
    day = fmt.long_date(agreement_date)
    if events.empty:
        return Block(
            f"## {day}\n\n"
            + _("No curated source records an agreement between {recipient:the} and {supplier:the} on {date}.").format(
                recipient=N(recipient), supplier=N(supplier), date=day
            )
        )
    lines = []
    for e in events.itertuples():
        src = " " + _("([source]({url}))").format(url=e.source_url) if e.source_url else ""
        note = " " + _("*Sources disagree on details; see the timeline.*") if e.status == "conflict" else ""
        unver = " " + _("*(unverified)*") if e.status == "unverified" else ""
        entry = _("**{date}**: {title}. {description}").format(
            date=fmt.long_date(e.date), title=E(e.title), description=E(e.description)
        )
        lines.append(f"- {entry}{unver}{note}{src}")
    return Block(
        _("## What was signed on {date}").format(date=day)
        + "\n\n"
        + _("The curated timeline, each entry with a source that states it:")
        + "\n\n"
        + "\n".join(lines)
    )


def orders_in_year_block(recipient: str, supplier: str, agreement_date: str, shown: pd.DataFrame) -> Block:
    """What SIPRI lists as ordered by the recipient from the supplier in the agreement's year
    (``shown``: the deal register, each deal from its newest release)."""
    if not agreement_date:
        return EMPTY
    year = int(agreement_date[:4])
    ordered = shown[shown["order_year"] == year]
    lead = _("**What SIPRI records.**")
    if ordered.empty:
        return Block(
            lead
            + " "
            + _("No release held lists an order by {recipient:the} from {supplier:the} in {year}.").format(
                recipient=N(recipient), supplier=N(supplier), year=year
            )
            + " "
            + _("SIPRI names no makers and records orders only once it has evidence of them.")
        )
    labels = sorted(ordered["release"].unique())
    rels = fmt.listing(labels)
    items = fmt.listing([f"{E(x.designation)} ({E(x.description)}, {fmt.num(x.n_ordered)})" for x in ordered.itertuples()])
    delivered = sorted({y for ys in ordered["delivery_years"] for y in str(ys).split("; ") if y})
    n = len(ordered)
    values = dict(
        releases=releases_label(labels),
        n=fmt.num(n),
        supplier=N(supplier),
        recipient=N(recipient),
        year=year,
        items=items,
        delivered=fmt.listing(delivered),
    )
    if len(labels) == 1 and delivered:
        record = ngettext(
            "Its {releases} release lists {n} system supplied by {supplier:the} that {recipient:the} ordered in {year}: "
            "{items}; deliveries are recorded in {delivered}.",
            "Its {releases} release lists {n} systems supplied by {supplier:the} that {recipient:the} ordered in {year}: "
            "{items}; deliveries are recorded in {delivered}.",
            n,
        )
    elif len(labels) == 1:
        record = ngettext(
            "Its {releases} release lists {n} system supplied by {supplier:the} that {recipient:the} ordered in {year}: "
            "{items}; no delivery is recorded yet.",
            "Its {releases} release lists {n} systems supplied by {supplier:the} that {recipient:the} ordered in {year}: "
            "{items}; no delivery is recorded yet.",
            n,
        )
    elif delivered:
        record = ngettext(
            "Its {releases} releases list {n} system supplied by {supplier:the} that {recipient:the} ordered in {year}: "
            "{items}; deliveries are recorded in {delivered}.",
            "Its {releases} releases list {n} systems supplied by {supplier:the} that {recipient:the} ordered in {year}: "
            "{items}; deliveries are recorded in {delivered}.",
            n,
        )
    else:
        record = ngettext(
            "Its {releases} releases list {n} system supplied by {supplier:the} that {recipient:the} ordered in {year}: "
            "{items}; no delivery is recorded yet.",
            "Its {releases} releases list {n} systems supplied by {supplier:the} that {recipient:the} ordered in {year}: "
            "{items}; no delivery is recorded yet.",
            n,
        )
    text = " ".join(
        [
            lead,
            _("SIPRI lists weapons by designation and never names a maker."),
            record.format(**values),
            _(
                "Whether these are the items of the {date} agreement SIPRI does not say: "
                "no value, quantities or item list of the agreement were published."
            ).format(date=fmt.long_date(agreement_date)),
        ]
    )
    fig = figure(
        "orders_in_agreement_year",
        _("Systems ordered from {supplier} in {year}").format(supplier=P(supplier), year=year),
        n,
        "deals",
        ngettext(
            "SIPRI's {releases} release lists {n} system {recipient:the} ordered from {supplier:the} in {year}.",
            "SIPRI's {releases} release lists {n} systems {recipient:the} ordered from {supplier:the} in {year}.",
            n,
        ).format(releases=releases_label(labels), n=fmt.num(n), recipient=P(recipient), supplier=P(supplier), year=year),
        years=str(year),
        region=fmt.name(recipient),
        release=rels,
        headline=True,
    )
    return Block(text, (fig,))


def _standing(shares: pd.DataFrame, supplier: str, values: dict[str, Any]) -> str:
    """The sentence on a ranked supplier's share in the last window (``values``: the message's
    placeholders years, supplier, recipient, share)."""
    rank = rank_of(shares, supplier)
    others = [x for x in leaders(shares) if x != english_name(supplier)]
    if len(identified(shares)) == 1:
        msg = _(
            "In {years}, {supplier:the} supplied {share} of {recipient:poss} imports of major arms, its only identified supplier."
        )
    elif rank == 1 and others:
        msg = _(
            "In {years}, {supplier:the} supplied {share} of {recipient:poss} imports of major arms, "
            "the joint largest supplier with {others}."
        )
    elif rank == 1:
        msg = _("In {years}, {supplier:the} supplied {share} of {recipient:poss} imports of major arms, the largest supplier.")
    elif others:
        msg = _(
            "In {years}, {supplier:the} supplied {share} of {recipient:poss} imports of major arms, "
            "the {rank}-largest supplier; the largest was {others} ({top})."
        )
    else:
        msg = _(
            "In {years}, {supplier:the} supplied {share} of {recipient:poss} imports of major arms, the {rank}-largest supplier."
        )
    top = fmt.pct(identified(shares)["share"].max())
    return msg.format(**values, others=E(fmt.names(others)), rank=fmt.ordinal(rank or 0), top=top)


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
    w = fmt.years(*window)
    lo, hi = coverage
    names = dict(recipient=N(recipient), supplier=N(supplier))
    head = _("## {supplier:Poss} arms deliveries to {recipient:the} in SIPRI's data").format(**names) + "\n\n" if heading else ""
    figures = []
    rel = release_label(release)
    if n_deals == 0:
        record = _(
            "SIPRI's {release} release lists no deal for major arms from {supplier:the} to {recipient:the} "
            "with deliveries in {first}-{last}."
        ).format(**names, release=rel, first=lo, last=hi)
    else:
        record = ngettext(
            "SIPRI's {release} release lists {n} deal for major arms from {supplier:the} to {recipient:the}, "
            "with {tiv} delivered over {years}.",
            "SIPRI's {release} release lists {n} deals for major arms from {supplier:the} to {recipient:the}, "
            "with {tiv} delivered over {years}.",
            n_deals,
        ).format(**names, release=rel, n=fmt.num(n_deals), tiv=fmt.tiv(total_tiv), years=fmt.years(lo, hi))
        figures.append(
            figure(
                "deals_count",
                _("Deals from {supplier} to {recipient}").format(supplier=P(supplier), recipient=P(recipient)),
                n_deals,
                "deals",
                plain(record),
                years=fmt.years(lo, hi),
                region=fmt.name(recipient),
                release=release,
            )
        )
    if shares.empty:
        last = _("SIPRI records no imports of major arms by {recipient:the} in {years}.").format(**names, years=w)
    elif rank_of(shares, supplier) is None:
        lead = leaders(shares)
        top = float(identified(shares)["share"].max()) if lead else 0.0
        if not lead:
            msg = _("{supplier:The} delivered no major arms to {recipient:the} in {years}; SIPRI does not identify who did.")
        elif top >= 99.95:
            msg = ngettext(
                "{supplier:The} delivered no major arms to {recipient:the} in {years}; "
                "{leaders} was the only identified supplier.",
                "{supplier:The} delivered no major arms to {recipient:the} in {years}; "
                "{leaders} were the only identified supplier.",
                len(lead),
            )
        else:
            msg = ngettext(
                "{supplier:The} delivered no major arms to {recipient:the} in {years}; "
                "{leaders} was the largest supplier ({share}).",
                "{supplier:The} delivered no major arms to {recipient:the} in {years}; "
                "{leaders} were the largest suppliers ({share}).",
                len(lead),
            )
        last = msg.format(**names, years=w, leaders=E(fmt.names(lead)), share=fmt.pct(top))
    else:
        share = share_of(shares, supplier)
        last = _standing(shares, supplier, dict(names, years=w, share=fmt.pct(share)))
        figures.append(
            figure(
                "supplier_share_last_window",
                _("{supplier:Poss} share of {recipient:poss} major-arms imports").format(
                    supplier=P(supplier), recipient=P(recipient)
                ),
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
        last += " " + _(
            "SIPRI could not identify the supplier of {share} of the volume, which is left out of every ranking."
        ).format(share=fmt.pct(unknown))
    return Block(head + record + " " + last, tuple(figures))


#: The deal register's columns, in order, with their headings (translated by :func:`deals_columns`).
DEAL_COLUMNS = {
    "designation": N_("Designation"),
    "description": N_("Description"),
    "n_ordered": N_("Ordered"),
    "order_year": N_("Order year"),
    "delivery_years": N_("Delivered in"),
    "status": N_("Status"),
    "tiv_delivered": N_("TIV delivered (m)"),
    "release": N_("SIPRI release"),
}


def deals_columns() -> dict[str, str]:
    """The deal register's column headings in the current language."""
    return {k: _(v) for k, v in DEAL_COLUMNS.items()}


def systems_columns() -> dict[str, str]:
    """The systems table's column headings in the current language."""
    return {"designation": _("System"), "type": _("Type"), "maker": _("Maker"), "note": _("Note"), "source_url": _("Source")}


def deal_rows(deals: pd.DataFrame) -> pd.DataFrame:
    """The deal register as shown: the columns of :data:`DEAL_COLUMNS`, numbers ordered and
    order years as text with SIPRI's estimate mark "?" beside those SIPRI estimates, the
    status with SIPRI's note where it changes the row's meaning ("New (Possibly Second-hand)"),
    TIV delivered with one decimal in the current language's digits and the release as a reader
    reads it (:func:`release_label`); from the ``*_shown`` columns of :func:`analysis.deals.between`.
    SIPRI's own words (designation, description, status) stay as SIPRI writes them."""
    d = deals.copy()
    for col in ("n_ordered", "order_year", "status"):
        shown = f"{col}_shown"
        if shown in d:
            d[col] = d[shown]
        elif col != "status":
            d[col] = ["" if pd.isna(v) else f"{v:.0f}" for v in d[col]]
    if "tiv_delivered" in d:
        d["tiv_delivered"] = ["" if pd.isna(v) else fmt.num(v, 1) for v in d["tiv_delivered"]]
    if "release" in d:
        d["release"] = [release_label(v) for v in d["release"]]
    return d[[c for c in DEAL_COLUMNS if c in d]]


def has_estimates(deals: pd.DataFrame) -> bool:
    """Whether a shown register carries SIPRI's estimate mark."""
    rows = deal_rows(deals)
    return bool(len(rows)) and any(str(v).endswith("?") for c in ("n_ordered", "order_year") if c in rows for v in rows[c])


def deal_title(recipient: str, supplier: str, agreement: bool) -> str:
    if agreement:
        return _("The deal: {recipient:the} and {supplier:the}").format(recipient=P(recipient), supplier=P(supplier))
    return _("{supplier:Poss} arms deliveries to {recipient:the}").format(recipient=P(recipient), supplier=P(supplier))


def timeline_title(recipient: str, supplier: str, shown: pd.DataFrame) -> str:
    first = int(shown["order_year"].min())
    last = shown["last_delivery"].max()
    span = fmt.years(first, int(last)) if pd.notna(last) and int(last) > first else str(first)
    return _("{supplier:Poss} deals with {recipient:the}, {span}: order to delivery").format(
        supplier=P(supplier), recipient=P(recipient), span=span
    )


def deals_caption(recipient: str, supplier: str, estimates: bool = False) -> str:
    parts = [
        _("Major arms from {supplier:the} to {recipient:the}: each deal from the newest release that lists it.").format(
            supplier=P(supplier), recipient=P(recipient)
        ),
        _("TIV is a volume index in millions, not money."),
    ]
    if estimates:
        parts.append(_("? marks a SIPRI estimate."))
    return " ".join(parts)


def deliveries_title(recipient: str, supplier: str, annual: pd.Series, start: int) -> str:
    """The annual chart's title: the peak year of the supplier's deliveries (ties: the first)."""
    if annual.max() <= 0:
        return _("No deliveries from {supplier:the} to {recipient:the} since {start}").format(
            supplier=P(supplier), recipient=P(recipient), start=start
        )
    peak = int(annual.idxmax())
    return _("{supplier:Poss} deliveries to {recipient:the} peaked in {peak}").format(
        supplier=P(supplier), recipient=P(recipient), peak=peak
    )


def newest_block(recipient: str, supplier: str, new_rows: pd.DataFrame, release: str) -> Block:
    """Deliveries a newer (supplier-only) release lists that the primary release does not."""
    if new_rows.empty:
        return EMPTY
    labels = sorted(new_rows["release"].unique())
    rel = fmt.listing(labels)
    n = len(new_rows)
    values = dict(newer=releases_label(labels), release=release_label(release), n=fmt.num(n))
    md = " ".join(
        [
            _("## Newest deliveries, from a newer release")
            + "\n\n"
            + ngettext(
                "SIPRI's {newer} release, which covers {supplier:the} as a supplier only, records {n} deal "
                "with deliveries that the {release} release does not yet hold.",
                "SIPRI's {newer} release, which covers {supplier:the} as a supplier only, records {n} deals "
                "with deliveries that the {release} release does not yet hold.",
                n,
            ).format(**values, supplier=N(supplier)),
            _("They are shown apart and never added to the {release} series.").format(**values),
        ]
    )
    fig = figure(
        "newest_deliveries",
        _("Deals with deliveries newer than the {release} release").format(**values),
        n,
        "deals",
        ngettext(
            "SIPRI's {newer} release adds {n} deal with deliveries from {supplier:the} to {recipient:the} "
            "not in the {release} release.",
            "SIPRI's {newer} release adds {n} deals with deliveries from {supplier:the} to {recipient:the} "
            "not in the {release} release.",
            n,
        ).format(**values, supplier=P(supplier), recipient=P(recipient)),
        region=fmt.name(recipient),
        release=rel,
    )
    return Block(md, (fig,))


def systems_intro(n: int) -> Block:
    if n == 0:
        return EMPTY
    return Block(
        _("## The systems")
        + "\n\n"
        + _("SIPRI names designations, not makers.")
        + " "
        + _(
            "The maker is given only where a source states it; each note is the first sentence of the "
            "system's entry in the curated systems table."
        )
    )


def coverage_note(agreement: bool) -> Block:
    """What SIPRI's data cannot show (always true, so always said)."""
    parts = [
        _(
            "SIPRI's Arms Transfers Database covers **major conventional arms** only: aircraft, armoured vehicles, "
            "artillery, missiles, ships, sensors and the like."
        ),
        _(
            "It does not record small arms and light weapons, ammunition, training, maintenance or other services, "
            "and it lists weapons by designation without naming the company that made them."
        ),
    ]
    if agreement:
        parts.append(
            _(
                "A government-to-company agreement such as the one above appears in SIPRI's data only as the orders "
                "and deliveries SIPRI can identify, often years later."
            )
        )
    return Block(_("## What SIPRI cannot see") + "\n\n" + " ".join(parts))
