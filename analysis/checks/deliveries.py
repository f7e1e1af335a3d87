"""Checks of deliveries and deals: what SIPRI's register records of one system (delivered to a
recipient in a year, the states that received it) and of one recipient's orders (by
category, or the deals whose comments name some terms, for a claim the data cannot settle).

Each reads the orders (and, where they help, the yearly transfers) of one SIPRI release and
the curated events and systems tables. :data:`analysis.checks.CHECKS` lists them with their
parameters.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from analysis import fmt, regions
from analysis import transfers as tr
from analysis.verdicts import (
    FAILS,
    HOLDS,
    MIXED,
    NO_RECORD,
    UNCHECKABLE,
    Inputs,
    Part,
    Result,
    disputes,
    estimated,
    event_sources,
    long_date,
    result_of,
    sipri,
    window_of,
    years_of,
)


# --------------------------------------------------------------------------- 4. delivery in a year
def delivery_in(
    i: Inputs,
    recipient: str,
    designation: str,
    year: int,
    month: int | None = None,
    supplier: str | None = None,
    number: int | None = None,
    events: list[str] | None = None,
    release: str | None = None,
) -> Result:
    """Was ``designation`` delivered to ``recipient`` in ``year`` (and ``month``, judged on the
    curated press events named in ``events``, since SIPRI records years only)?"""
    rel = release or i.release()
    rec = regions.resolve(recipient)
    o = i.orders_of(rel)
    o = o[(o["recipient"] == rec) & (o["designation"] == designation)]
    if supplier:
        o = o[o["supplier"] == regions.resolve(supplier)]
    ev_rows = i.events[i.events["event_id"].isin(events or [])]
    dated = [str(d) for d in ev_rows["date"]]
    parts: list[Part] = []
    figures: dict[str, Any] = {}
    sources: list[str] = []
    who, what = regions.display_name(rec), designation
    listed_in_sipri = True
    if i.systems is not None:
        row = i.systems[i.systems["designation"] == designation]
        listed_in_sipri = not (len(row) and row["sipri_listed"].iloc[0] == "no")
    if o.empty:
        ev = f"No record in these data: SIPRI's {rel} release lists no {what} for {who}" + (
            " (SIPRI does not list this system under that name)." if not listed_in_sipri else "."
        )
        parts.append(Part(f"delivered in {year}", NO_RECORD))
    else:
        years = sorted({y for ys in o["delivery_years"] for y in years_of(ys)})
        figures["delivery years"] = years
        n_ord = o["n_ordered"].sum(min_count=1)
        n_del = o["n_delivered"].sum(min_count=1)
        est = bool(o["n_delivered_est"].any() or o["n_ordered_est"].any())
        figures["ordered"] = None if pd.isna(n_ord) else int(n_ord)
        figures["delivered"] = None if pd.isna(n_del) else int(n_del)
        complete = bool((~o["open"]).all()) and not pd.isna(n_ord) and not pd.isna(n_del) and n_del >= n_ord
        sources.append(sipri(rel))
        if year in years:
            parts.append(Part(f"delivered in {year}", HOLDS))
            t = i.transfers_of(rel) if rel in ([i.release()] + list(i.releases)) else None
            n_year = None
            if t is not None:
                tt = t[(t["recipient"] == rec) & (t["designation"] == designation) & (t["delivery_year"] == year)]
                n_year = float(tt["n_delivered"].sum()) if len(tt) else None
            if n_year is None and len(years) == 1 and not pd.isna(n_del):
                n_year = float(n_del)
            figures[f"delivered in {year}"] = None if n_year is None else round(n_year, 1)
            ev = (
                (
                    f"SIPRI's {rel} release records {estimated(n_year, est)} {what} delivered to {who} in {year}"
                    if n_year is not None
                    else f"SIPRI's {rel} release records a delivery of {what} to {who} in {year} (number not given)"
                )
                + (f" (deliveries {fmt.listing(map(str, years))}, spread evenly over those years)" if len(years) > 1 else "")
                + "."
            )
            if number is not None:
                if n_year is not None and round(n_year) == int(number):
                    parts.append(Part(f"number {number}", HOLDS))
                elif est:
                    parts.append(Part(f"number {number}", UNCHECKABLE))
                    ev += f" The {fmt.num(number)} claimed differs from SIPRI's estimate."
                else:
                    parts.append(Part(f"number {number}", FAILS))
                    ev += f" The {fmt.num(number)} claimed differs."
        elif complete and years:
            parts.append(Part(f"delivered in {year}", FAILS))
            ev = (
                f"SIPRI's {rel} release records the whole order of {estimated(n_ord, est)} {what} for {who} "
                f"delivered in {fmt.listing(map(str, years))}, not {year}."
            )
        else:
            parts.append(Part(f"delivered in {year}", NO_RECORD))
            ev = (
                f"No record in these data of a {what} delivery to {who} in {year}: SIPRI's {rel} release records "
                f"deliveries in {fmt.listing(map(str, years)) if years else 'no year yet'}."
            )
    if month is not None:
        want = f"{year}-{int(month):02d}"
        if not dated:
            parts.append(Part(f"month {want}", UNCHECKABLE))
            ev += " SIPRI records years, not months, and no curated press source dates this delivery."
        else:
            hit = any(d.startswith(want) for d in dated)
            parts.append(Part(f"month {want}", HOLDS if hit else NO_RECORD))
            clauses = [c for c in (disputes(r) for _, r in ev_rows.iterrows()) if c]
            ev += (
                f" Curated press sources date the handover to {fmt.listing([long_date(d) for d in sorted(dated)])}"
                + (f" ({clauses[0]})" if clauses else "")
                + "."
            )
        sources += event_sources(ev_rows)
    elif dated:
        sources += event_sources(ev_rows)
    return result_of(parts, ev, figures, sources)


# --------------------------------------------------------------------------- 5. users of a system
def system_users(
    i: Inputs,
    designation: str,
    users: list[str] | None = None,
    at_least: int | None = None,
    only: str | None = None,
    before: int | None = None,
    related: list[str] | None = None,
    release: str | None = None,
) -> Result:
    """Which states SIPRI lists as recipients of ``designation`` (in one release; deliveries
    before ``before`` if given), against the users a claim names."""
    rel = release or i.release()
    o = i.orders_of(rel)
    o = o[(o["designation"] == designation) & (o["n_delivered"].fillna(0) > 0)]
    if before is not None:
        o = o[o["delivery_years"].map(lambda s: any(y < int(before) for y in years_of(s)))]
    listed = sorted(set(o["recipient"]), key=lambda r: regions.display_name(r))
    names = [regions.display_name(r) for r in listed]
    when = f" before {before}" if before is not None else ""
    parts, figures = [], {"users": names}
    ev = f"SIPRI's {rel} release lists deliveries of the {designation}{when} to {fmt.listing(names) if names else 'no state'}."
    missing = []
    for u in users or []:
        r = regions.resolve(u)
        ok = r in listed
        parts.append(Part(f"user {regions.display_name(r)}", HOLDS if ok else NO_RECORD))
        if not ok:
            missing.append(r)
    if missing:
        ev += f" No record in these data for {fmt.listing([regions.display_name(m) for m in missing])}."
        if i.system_users is not None:
            su = i.system_users[(i.system_users["designation"] == designation) & (i.system_users["status"] == "unverified")]
            unv = [
                regions.display_name(m)
                for m in missing
                if regions.display_name(m) in set(su["user_country"]) or m in set(su["user_country"])
            ]
            if unv:
                ev += f" Curated research found no source naming {fmt.listing(unv, 'or')} as a user."
        for d in related or []:
            rr = i.orders_of(rel)
            got = sorted(
                {regions.display_name(x) for x in rr[(rr["designation"] == d) & rr["recipient"].isin(missing)]["recipient"]}
            )
            if got:
                ev += f" {fmt.listing(got)} received the {d}, a different system."
    if at_least is not None:
        parts.append(Part(f"at least {at_least} users", HOLDS if len(listed) >= int(at_least) else NO_RECORD))
    if only is not None:
        r = regions.resolve(only)
        parts.append(Part(f"only user {regions.display_name(r)}", HOLDS if listed == [r] else FAILS))
    return result_of(parts, ev, figures, [sipri(rel)])


# --------------------------------------------------------------------------- 7. orders by category
def orders_by_category(
    i: Inputs, recipient: str, supplier: str, category: str, before: int, at_least: int = 2, release: str | None = None
) -> Result:
    """Designations of ``category`` that ``recipient`` ordered from ``supplier`` before ``before``."""
    rel = release or i.release()
    rec, sup = regions.resolve(recipient), regions.resolve(supplier)
    o = i.orders_of(rel)
    o = o[
        (o["recipient"] == rec)
        & (o["supplier"] == sup)
        & (o["order_year"].fillna(9999) < int(before))
        & (o["category"] == category)
    ].sort_values(["order_year", "designation"])
    kinds = list(dict.fromkeys(o["designation"]))
    items = [
        f"{r.designation} ({r.description}, {estimated(r.n_ordered, r.n_ordered_est)} ordered in {r.order_year})"
        for r in o.itertuples()
    ]
    figures = {"designations": kinds, "deals": len(o)}
    if kinds:
        ev = (
            f"SIPRI's {rel} release lists {fmt.plural(len(kinds), 'design')} of {category.lower()} that "
            f"{regions.display_name(rec)} ordered from {regions.display_name(sup)} before {before}: {fmt.listing(items)}."
        )
    else:
        ev = (
            f"No record in these data: SIPRI's {rel} release lists no {category.lower()} ordered by "
            f"{regions.display_name(rec)} from {regions.display_name(sup)} before {before}."
        )
    status = HOLDS if len(kinds) >= int(at_least) else (MIXED if kinds else NO_RECORD)
    return result_of([Part(f"at least {at_least} kinds", status)], ev, figures, [sipri(rel)])


# --------------------------------------------------------------------------- 10. not checkable
def not_checkable(
    i: Inputs,
    needs: str,
    reason: str = "",
    supplier: str | None = None,
    recipients: str | None = None,
    years: list[int] | None = None,
    comment_terms: list[str] | None = None,
) -> Result:
    """An explicit "not checkable": what the data lack (``reason``) and what would settle it
    (``needs``). With ``comment_terms``, also counts the deals whose SIPRI comments mention them."""
    ev = (reason.rstrip(".") + ". ") if reason else ""
    figures: dict[str, Any] = {}
    sources: list[str] = []
    if comment_terms:
        rel = i.release()
        t = i.transfers
        lo, hi = tr.check_years(t, window_of(years) if years else None)
        o = i.orders_of(rel)
        if supplier:
            o = o[o["supplier"].isin(regions.resolve_selection(supplier))]
        if recipients:
            o = o[o["recipient"].isin(regions.resolve_selection(recipients))]
        o = o[o["order_year"].between(lo, hi)]
        pat = "|".join(rf"\b{re.escape(w)}\b" for w in comment_terms)
        hit = o[o["comments"].fillna("").str.contains(pat, case=False, regex=True)]
        figures = {"deals": len(o), "with terms": len(hit)}
        where = fmt.region_name(recipients) if recipients else "all recipients"
        ev += (
            f"SIPRI notes terms only in free-text comments: {len(hit)} of {fmt.plural(len(o), 'deal')} "
            f"{'from ' + regions.display_name(regions.resolve(supplier)) + ' ' if supplier else ''}with {where} "
            f"ordered in {fmt.years(lo, hi)} mention {fmt.listing(comment_terms, 'or')} ({sipri(rel)}). "
        )
        sources.append(sipri(rel))
    ev += f"Settling it needs {needs.rstrip('.')}."
    return result_of([Part("not checkable", UNCHECKABLE)], ev, figures, sources)
