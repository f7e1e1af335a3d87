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
from analysis.i18n import _, ngettext
from analysis.verdicts import (
    FAILS,
    HOLDS,
    MIXED,
    NO_RECORD,
    UNCHECKABLE,
    Inputs,
    Part,
    Places,
    Result,
    category_shown,
    disputes,
    estimated,
    event_sources,
    long_date,
    result_of,
    sipri,
    sipri_release,
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
    who, what = fmt.Named(rec), designation
    listed_in_sipri = True
    if i.systems is not None:
        row = i.systems[i.systems["designation"] == designation]
        listed_in_sipri = not (len(row) and row["sipri_listed"].iloc[0] == "no")
    names = {"release": sipri_release(rel), "system": what, "recipient": who, "year": year}
    if o.empty:
        if listed_in_sipri:
            ev = _("No record in these data: {release} lists no {system} for {recipient}.")
        else:
            ev = _(
                "No record in these data: {release} lists no {system} for {recipient} "
                "(SIPRI does not list this system under that name)."
            )
        ev = fmt.capital(ev.format(**names))
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
        spread = fmt.listing(map(str, years))
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
            if n_year is not None and len(years) > 1:
                ev = _(
                    "{release} records {n} {system} delivered to {recipient} in {year} "
                    "(deliveries {years}, spread evenly over those years)."
                )
            elif n_year is not None:
                ev = _("{release} records {n} {system} delivered to {recipient} in {year}.")
            elif len(years) > 1:
                ev = _(
                    "{release} records a delivery of {system} to {recipient} in {year} (number not given) "
                    "(deliveries {years}, spread evenly over those years)."
                )
            else:
                ev = _("{release} records a delivery of {system} to {recipient} in {year} (number not given).")
            ev = fmt.capital(ev.format(**names, n=estimated(n_year, est), years=spread))
            if number is not None:
                if n_year is not None and round(n_year) == int(number):
                    parts.append(Part(f"number {number}", HOLDS))
                elif est:
                    parts.append(Part(f"number {number}", UNCHECKABLE))
                    ev += " " + _("The {n} claimed differs from SIPRI's estimate.").format(n=fmt.num(number))
                else:
                    parts.append(Part(f"number {number}", FAILS))
                    ev += " " + _("The {n} claimed differs.").format(n=fmt.num(number))
        elif complete and years:
            parts.append(Part(f"delivered in {year}", FAILS))
            ev = _("{release} records the whole order of {n} {system} for {recipient} delivered in {years}, not {year}.")
            ev = fmt.capital(ev.format(**names, n=estimated(n_ord, est), years=spread))
        else:
            parts.append(Part(f"delivered in {year}", NO_RECORD))
            if years:
                ev = _(
                    "No record in these data of a {system} delivery to {recipient} in {year}: {release} records deliveries in {years}."
                )
            else:
                ev = _(
                    "No record in these data of a {system} delivery to {recipient} in {year}: {release} records "
                    "deliveries in no year yet."
                )
            ev = fmt.capital(ev.format(**names, years=spread))
    if month is not None:
        want = f"{year}-{int(month):02d}"
        if not dated:
            parts.append(Part(f"month {want}", UNCHECKABLE))
            ev += " " + _("SIPRI records years, not months, and no curated press source dates this delivery.")
        else:
            hit = any(d.startswith(want) for d in dated)
            parts.append(Part(f"month {want}", HOLDS if hit else NO_RECORD))
            clauses = [c for c in (disputes(r) for _i, r in ev_rows.iterrows()) if c]
            dates = fmt.listing([long_date(d) for d in sorted(dated)])
            if clauses:
                ev += " " + _("Curated press sources date the handover to {dates} ({disputes}).").format(
                    dates=dates, disputes=clauses[0]
                )
            else:
                ev += " " + _("Curated press sources date the handover to {dates}.").format(dates=dates)
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
    states = Places([fmt.Named(r) for r in listed])
    parts, figures = [], {"users": names}
    if before is not None and names:
        ev = _("{release} lists deliveries of the {system} before {year} to {states}.")
    elif names:
        ev = _("{release} lists deliveries of the {system} to {states}.")
    elif before is not None:
        ev = _("{release} lists deliveries of the {system} before {year} to no state.")
    else:
        ev = _("{release} lists deliveries of the {system} to no state.")
    ev = fmt.capital(ev.format(release=sipri_release(rel), system=designation, year=before, states=states))
    missing = []
    for u in users or []:
        r = regions.resolve(u)
        ok = r in listed
        parts.append(Part(f"user {regions.display_name(r)}", HOLDS if ok else NO_RECORD))
        if not ok:
            missing.append(r)
    if missing:
        ev += " " + _("No record in these data for {states}.").format(states=Places([fmt.Named(m) for m in missing]))
        if i.system_users is not None:
            su = i.system_users[(i.system_users["designation"] == designation) & (i.system_users["status"] == "unverified")]
            unv = [m for m in missing if regions.display_name(m) in set(su["user_country"]) or m in set(su["user_country"])]
            if unv:
                ev += " " + _("Curated research found no source naming {states} as a user.").format(
                    states=Places([fmt.Named(m) for m in unv], "or")
                )
        for d in related or []:
            rr = i.orders_of(rel)
            got = sorted(
                set(rr[(rr["designation"] == d) & rr["recipient"].isin(missing)]["recipient"]),
                key=lambda x: regions.display_name(x),
            )
            if got:
                msg = ngettext(
                    "{states} received the {system}, a different system.",
                    "{states} received the {system}, a different system.",
                    len(got),
                )
                ev += " " + fmt.capital(msg.format(states=Places([fmt.Named(x) for x in got]), system=d))
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
        _("{designation} ({description}, {n} ordered in {year})").format(
            designation=r.designation, description=r.description, n=estimated(r.n_ordered, r.n_ordered_est), year=r.order_year
        )
        for r in o.itertuples()
    ]
    figures = {"designations": kinds, "deals": len(o)}
    names = {
        "release": sipri_release(rel),
        "category": category_shown(category),
        "recipient": fmt.Named(rec),
        "supplier": fmt.Named(sup),
        "year": before,
    }
    if kinds:
        ev = ngettext(
            "{release} lists {n} design of {category} that {recipient} ordered from {supplier} before {year}: {items}.",
            "{release} lists {n} designs of {category} that {recipient} ordered from {supplier} before {year}: {items}.",
            len(kinds),
        ).format(**names, n=fmt.num(len(kinds)), items=fmt.listing(items))
    else:
        ev = _(
            "No record in these data: {release} lists no {category} ordered by {recipient} from {supplier} before {year}."
        ).format(**names)
    ev = fmt.capital(ev)
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
        if supplier:
            msg = _(
                "SIPRI notes terms only in free-text comments: {hits} of {deals} from {supplier} with {where} "
                "ordered in {years} mention {terms} ({source})."
            )
        else:
            msg = _(
                "SIPRI notes terms only in free-text comments: {hits} of {deals} with {where} "
                "ordered in {years} mention {terms} ({source})."
            )
        ev += msg.format(
            hits=fmt.num(len(hit)),
            deals=ngettext("{n} deal", "{n} deals", len(o)).format(n=fmt.num(len(o))),
            supplier=fmt.Named(regions.resolve(supplier)) if supplier else "",
            where=fmt.region_name(recipients) if recipients else _("all recipients"),
            years=fmt.years(lo, hi),
            terms=fmt.listing(comment_terms, "or"),
            source=sipri(rel),
        )
        ev += " "
        sources.append(sipri(rel))
    ev += _("Settling it needs {needs}.").format(needs=needs.rstrip("."))
    return result_of([Part("not checkable", UNCHECKABLE)], ev, figures, sources)
