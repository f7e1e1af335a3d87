"""Typed checks: each one judges one kind of news claim against the tidy and curated tables.

Every check is a pure function ``check(inputs, **params) -> Result`` over the tables in
:class:`Inputs` (passed in, never read from disk here), and returns a verdict, one or two
sentences of evidence built from computed figures, the figures used, and the sources.
:data:`CHECKS` lists them with their parameters; ``analysis.claims`` validates claims files
against it. The verdict rules every check applies are in :mod:`analysis.verdicts`
(:func:`rules_text` returns them for the methods appendix).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import pandas as pd

from analysis import fmt, regions
from analysis import transfers as tr
from analysis.verdicts import (  # noqa: F401 - re-exported: claims files and the briefing use them from here
    CONTRADICTED,
    DISPUTE_LABELS,
    FAILS,
    HOLDS,
    MIXED,
    NO_RECORD,
    NOT_CHECKABLE,
    PARTLY,
    STATUSES,
    SUPPORTED,
    UNCHECKABLE,
    UNKNOWN_SUPPLIER,
    VERDICTS,
    Inputs,
    Part,
    Result,
    clean_text,
    combine,
    display,
    disputes,
    estimated,
    event_row,
    event_sources,
    event_start,
    identified_shares,
    latest_windows,
    long_date,
    rank_words,
    region_meanings,
    result_of,
    rules_text,
    sipri,
    years_of,
)


def _pair(years: list[int]) -> tuple[int, int]:
    """A claim's ``[first, last]`` years as a window; ``analysis.claims`` has checked it is a pair."""
    return cast("tuple[int, int]", tuple(years))


def leading_supplier(
    i: Inputs, supplier: str, recipients: str | list[str], rival: str | None = None, release: str | None = None, width: int = 5
) -> Result:
    """Is ``supplier`` the largest identified supplier of ``recipients`` in the latest window,
    for every region the name could mean? The earlier window is reported for the trend."""
    t = i.transfers_of(release)
    rel = tr.release_label(t)
    ws = latest_windows(t, 2, width)
    sup = regions.resolve(supplier)
    riv = regions.resolve(rival) if rival else None
    parts: list[Part] = []
    figures: dict[str, Any] = {}
    clauses: list[str] = []
    for label, sel in region_meanings(recipients):
        bits = []
        for w in ws:
            sh = identified_shares(t, sel, w).set_index("supplier")
            share = float(sh["share"].get(sup, 0.0))
            rank = sh["rank"].get(sup, pd.NA)
            leader = sh[sh["rank"] == 1].index.tolist()
            key = f"{label} {tr.window_label(w)}"
            figures[f"{key} share"] = round(share, 1)
            figures[f"{key} rank"] = None if rank is pd.NA else int(rank)
            bit = f"{fmt.pct(share)}, {rank_words(rank).replace('the ', '', 1)}"
            if riv:
                rs = float(sh["share"].get(riv, 0.0))
                figures[f"{key} {riv} share"] = round(rs, 1)
                bit += f"; {regions.display_name(riv)} {fmt.pct(rs)}"
            elif leader and leader[0] != sup:
                bit += f"; {regions.display_name(leader[0])} {fmt.pct(float(sh['share'][leader[0]]))}"
            bits.append(f"{tr.window_label(w)} {bit}")
            if w == ws[-1]:
                ok = rank is not pd.NA and int(rank) == 1
                parts.append(Part(f"leads {label} in {tr.window_label(w)}", HOLDS if ok else FAILS))
        clauses.append(f"{label}: {'; '.join(bits)}")
    holds = [p.label.split(" in ")[0][6:] for p in parts if p.status == HOLDS]
    fails = [p.label.split(" in ")[0][6:] for p in parts if p.status != HOLDS]
    who = regions.display_name(sup)
    last = tr.window_label(ws[-1])
    if holds and fails:
        head = f"In {last} {who} was the largest identified supplier to {fmt.listing(holds)} but not to {fmt.listing(fails)}."
    elif holds:
        head = f"In {last} {who} was the largest identified supplier to {fmt.listing(holds)}."
    else:
        head = f"In {last} {who} was not the largest identified supplier to {fmt.listing(fails, 'or')}."
    ev = f"{head} {who}'s share of major-arms imports ({sipri(rel)}): {' | '.join(clauses)}."
    return result_of(parts, ev, figures, [sipri(rel)])


# --------------------------------------------------------------------------- 2. rank or share
def supplier_rank(
    i: Inputs,
    supplier: str,
    recipients: str | list[str],
    years: list[int] | None = None,
    rank: int | None = None,
    share: float | None = None,
    tolerance: float = 1.0,
    release: str | None = None,
) -> Result:
    """A supplier's rank among identified suppliers and its share of the volume of
    ``recipients``' imports in ``years`` (default: the latest five-year window)."""
    t = i.transfers_of(release)
    rel = tr.release_label(t)
    w = _pair(years) if years else latest_windows(t, 1)[0]
    sup = regions.resolve(supplier)
    parts: list[Part] = []
    figures: dict[str, Any] = {}
    bits: list[str] = []
    for label, sel in region_meanings(recipients):
        sh = identified_shares(t, sel, w).set_index("supplier")
        s = float(sh["share"].get(sup, 0.0))
        r = sh["rank"].get(sup, pd.NA)
        figures[f"{label} share"] = round(s, 1)
        figures[f"{label} rank"] = None if r is pd.NA else int(r)
        bit = f"{regions.display_name(sup)} was {rank_words(r)} to {label} in {fmt.years(*w)}, with {fmt.pct(s)} of the volume"
        if rank is not None:
            parts.append(Part(f"rank {rank} in {label}", HOLDS if r is not pd.NA and int(r) == int(rank) else FAILS))
        if share is not None:
            ok = abs(s - float(share)) <= tolerance
            parts.append(Part(f"share {share}% in {label}", HOLDS if ok else FAILS))
            if not ok:
                bit += f", against the {fmt.num(share, 1 if share % 1 else 0)}% claimed"
        bits.append(bit)
    ev = "; ".join(bits) + f" ({sipri(rel)}; ranks count identified suppliers only)."
    return result_of(parts, fmt.capital(ev), figures, [sipri(rel)])


# --------------------------------------------------------------------------- 3. rise or fall
def import_change(
    i: Inputs,
    recipients: str | list[str],
    direction: str,
    supplier: str | None = None,
    change_pct: float | None = None,
    tolerance: float = 3.0,
    windows: list[list[int]] | None = None,
    release: str | None = None,
) -> Result:
    """Did ``recipients``' imports (from ``supplier``, if given) rise or fall between two
    windows? Volume always; with a supplier, also the number of recipient states (rule 5).
    ``change_pct`` is a claimed percent change, held if within ``tolerance`` points."""
    t = i.transfers_of(release)
    rel = tr.release_label(t)
    ws = [_pair(w) for w in windows] if windows else latest_windows(t)
    a, b = ws[0], ws[-1]
    sign = 1 if direction == "rise" else -1
    parts: list[Part] = []
    figures: dict[str, Any] = {}
    bits: list[str] = []
    for label, sel in region_meanings(recipients):
        v = [float(tr.select(t, suppliers=supplier, recipients=sel, years=w)["tiv_delivered"].sum()) for w in (a, b)]
        chg = 100 * (v[1] - v[0]) / v[0] if v[0] > 0 else float("nan")
        figures[f"{label} tiv {tr.window_label(a)}"] = round(v[0], 1)
        figures[f"{label} tiv {tr.window_label(b)}"] = round(v[1], 1)
        figures[f"{label} change %"] = None if math.isnan(chg) else round(chg, 1)
        vol_ok = (v[1] - v[0]) * sign > 0
        what = (
            f"{regions.display_name(regions.resolve(supplier))}'s deliveries to {label}"
            if supplier
            else f"imports of major arms by {label}"
        )
        bit = (
            f"{what} {'rose' if v[1] > v[0] else 'fell' if v[1] < v[0] else 'did not change'} "
            f"from {fmt.tiv(v[0])} in {tr.window_label(a)} to {fmt.tiv(v[1])} in {tr.window_label(b)}"
            + (
                f" ({chg:+.1f}%)"
                if not math.isnan(chg) and abs(chg) < 10
                else f" ({fmt.change(chg)})"
                if not math.isnan(chg)
                else ""
            )
        )
        status = HOLDS if vol_ok else FAILS
        if supplier:
            n = [tr.recipient_states(t, supplier, sel, w).attrs["count"] for w in (a, b)]
            figures[f"{label} states {tr.window_label(a)}"], figures[f"{label} states {tr.window_label(b)}"] = n
            cnt_ok = (n[1] - n[0]) * sign > 0
            bit += f", while the number of recipient states went from {n[0]} to {n[1]}"
            status = HOLDS if vol_ok and cnt_ok else (MIXED if vol_ok or cnt_ok else FAILS)
        parts.append(Part(f"{direction} in {label}", status))
        if change_pct is not None and not math.isnan(chg):
            ok = abs(chg - float(change_pct)) <= tolerance
            parts.append(Part(f"change of {change_pct}% in {label}", HOLDS if ok else FAILS))
            if not ok:
                bit += f", not the {fmt.change(float(change_pct))} claimed"
        bits.append(bit)
    ev = "; ".join(bits) + f" ({sipri(rel)})."
    return result_of(parts, fmt.capital(ev), figures, [sipri(rel)])


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


# --------------------------------------------------------------------------- 6. suppliers since
def suppliers_since(
    i: Inputs,
    recipient: str,
    suppliers: list[str],
    since: int | None = None,
    since_event: str | None = None,
    absent: list[str] | None = None,
    release: str | None = None,
) -> Result:
    """Which suppliers delivered to ``recipient`` from ``since`` (or from the first full year
    after the curated event ``since_event``) to the release's last year."""
    t = i.transfers_of(release)
    rel = tr.release_label(t)
    _, hi = tr.coverage(t)
    rec = regions.resolve(recipient)
    after, sources = "", [sipri(rel)]
    if since_event:
        row = event_row(i, since_event)
        assert row is not None, "analysis.claims checks that event ids exist"
        start = event_start(row)
        since = int(start.year) + (0 if (start.month, start.day) == (1, 1) else 1)
        after = f", the years after {long_date(row['date'])} (\u201c{row['title']}\u201d)"
        sources += event_sources(pd.DataFrame([row]))
    w = (int(since), hi)  # type: ignore[arg-type]  # neither since nor since_event: TypeError, as before
    sh = identified_shares(t, rec, w).set_index("supplier")
    parts: list[Part] = []
    figures: dict[str, Any] = {}
    bits: list[str] = []
    for s in sorted(suppliers, key=lambda x: -float(sh["share"].get(regions.resolve(x), 0.0))):
        r = regions.resolve(s)
        share = float(sh["share"].get(r, 0.0))
        figures[f"{r} share"] = round(share, 1)
        parts.append(Part(f"supplier {r}", HOLDS if share > 0 else NO_RECORD))
        bits.append(f"{regions.display_name(r)} {fmt.pct(share)}" if share > 0 else f"no record for {regions.display_name(r)}")
    for s in absent or []:
        r = regions.resolve(s)
        share = float(sh["share"].get(r, 0.0))
        figures[f"{r} share"] = round(share, 1)
        parts.append(Part(f"no longer {r}", HOLDS if share == 0 else FAILS))
        bits.append(f"{regions.display_name(r)} {fmt.pct(share)}")
    unk = float(sh["share"].get(UNKNOWN_SUPPLIER, 0.0))
    figures["unknown share"] = round(unk, 1)
    ev = (
        f"Shares of {fmt.possessive(regions.display_name(rec))} major-arms imports in {fmt.years(*w)}{after}: "
        f"{', '.join(bits)}" + (f"; unknown suppliers {fmt.pct(unk)}" if unk else "") + f" ({sipri(rel)})."
    )
    return result_of(parts, ev, figures, sources)


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


# --------------------------------------------------------------------------- 8. curated event
def event(
    i: Inputs,
    event: str,
    date: str | None = None,
    states: list[str] | None = None,
    after: str | None = None,
    within_days: int | None = None,
) -> Result:
    """A curated event found by its id: its date against the claimed ``date``, the phrases the
    curated record must state (``states``), and whether it came within ``within_days`` after
    the curated event ``after``."""
    row = event_row(i, event)
    if row is None:
        return result_of([Part("event", NO_RECORD)], f"No record in these data: no curated event {event}.", {}, [])
    parts: list[Part] = []
    figures: dict[str, Any] = {"date": str(row["date"])}
    rows = pd.DataFrame([row])
    sources = event_sources(rows)
    title = str(row["title"])
    end = str(row.get("date_end", "") or "")
    span = f"from {long_date(row['date'])} to {long_date(end)}" if end and end != row["date"] else f"to {long_date(row['date'])}"
    ev = f"Curated sources date \u201c{title}\u201d {span}"
    if date is not None:
        ok = str(row["date"]).startswith(str(date)) or str(date).startswith(str(row["date"]))
        parts.append(Part(f"date {date}", HOLDS if ok else FAILS))
        if not ok:
            ev += f", not {long_date(date)}"
    if after is not None:
        other = event_row(i, after)
        assert other is not None, "analysis.claims checks that event ids exist"
        gap = (event_start(row) - event_start(other)).days
        figures["days after"] = int(gap)
        ok = 0 < gap <= int(within_days if within_days is not None else 7)
        parts.append(Part(f"within {within_days} days after {after}", HOLDS if ok else FAILS))
        ev += f", {fmt.plural(gap, 'day')} after \u201c{other['title']}\u201d ({long_date(other['date'])})"
        sources += event_sources(pd.DataFrame([other]))
    ev += "."
    text = f"{row['title']} {row['description']}".lower()
    if states:
        found = [s for s in states if s.lower() in text]
        missing = [s for s in states if s.lower() not in text]
        for s in states:
            parts.append(Part(f"states '{s}'", HOLDS if s in found else NO_RECORD))
        if found:
            ev += f" The curated record states {fmt.listing([chr(8216) + x + chr(8217) for x in found])}."
        if missing:
            ev += f" No record in these data of {fmt.listing([chr(8216) + x + chr(8217) for x in missing])}."
    clause = disputes(row)
    if clause:
        ev += f" On this event {clause}."
    if not parts:
        parts.append(Part("event recorded", HOLDS))
    return result_of(parts, ev, figures, sources)


# --------------------------------------------------------------------------- 9. conflict
def conflict_persistence(
    i: Inputs, country: str, years: int = 10, threshold: int = 25, source: str = "Our World in Data", worsening: bool = False
) -> Result:
    """Conflict deaths in ``country`` in each of the last ``years`` years of the series: every
    year at or above ``threshold`` (UCDP's 25 battle-related deaths) holds. With ``worsening``,
    a second part: more deaths in the later half of those years than in the earlier half."""
    d = i.deaths
    name = regions.display_name(regions.resolve(country))
    if d is None or d.empty:
        return result_of([Part("deaths", UNCHECKABLE)], "Conflict-death data are missing; run `briefing data status`.", {}, [])
    code = regions.iso3(regions.resolve(country))
    s = d[(d["iso3"] == code) & d["source"].str.contains(source, regex=False)] if "iso3" in d else d.iloc[0:0]
    if s.empty:
        return result_of([Part("deaths", NO_RECORD)], f"No record in these data: no conflict-death series for {name}.", {}, [])
    hi = int(s["year"].max())
    lo = hi - int(years) + 1
    series = s[s["year"].between(lo, hi)].groupby("year")["deaths"].sum().reindex(range(lo, hi + 1), fill_value=0)
    above = int((series >= threshold).sum())
    src = str(s["source"].iloc[0])
    figures = {
        "min": float(series.min()),
        "total": float(series.sum()),
        "years above": above,
        str(lo): float(series.iloc[0]),
        str(hi): float(series.iloc[-1]),
    }
    status = HOLDS if above == len(series) else (MIXED if above else FAILS)
    ev = (
        f"UCDP counts at least {fmt.num(threshold)} conflict deaths in {name} in {above} of the {len(series)} years "
        f"{fmt.years(lo, hi)} ({fmt.num(series.sum())} in all; {fmt.num(series.iloc[0])} in {lo}, "
        f"{fmt.num(series.iloc[-1])} in {hi}; {src})."
    )
    parts = [Part(f"conflict every year {lo}-{hi}", status)]
    if worsening:
        half = len(series) // 2
        early, late = float(series.iloc[:half].sum()), float(series.iloc[half:].sum())
        figures.update({"earlier half": early, "later half": late})
        parts.append(Part("worsening", HOLDS if late > early else FAILS))
        ev += (
            f" Deaths {'rose' if late > early else 'did not rise'} from {fmt.num(early)} in "
            f"{fmt.years(lo, lo + half - 1)} to {fmt.num(late)} in {fmt.years(lo + half, hi)}."
        )
    return result_of(parts, ev, figures, [src])


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
        lo, hi = tr.check_years(t, _pair(years) if years else None)
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


# --------------------------------------------------------------------------- registry
@dataclass(frozen=True)
class Spec:
    """A check type: its function and parameters, each with a kind for validation
    (country, selection, supplier, designation, year, years, windows, event, events, category,
    release, int, float, str, strs, bool, countries, direction, month, date)."""

    fn: Callable[..., Result]
    required: dict[str, str]
    optional: dict[str, str]

    def kinds(self) -> dict[str, str]:
        return {**self.required, **self.optional}


CHECKS: dict[str, Spec] = {
    "leading_supplier": Spec(
        leading_supplier,
        {"supplier": "supplier", "recipients": "selection"},
        {"rival": "supplier", "release": "release", "width": "int"},
    ),
    "supplier_rank": Spec(
        supplier_rank,
        {"supplier": "supplier", "recipients": "selection"},
        {"years": "years", "rank": "int", "share": "float", "tolerance": "float", "release": "release"},
    ),
    "import_change": Spec(
        import_change,
        {"recipients": "selection", "direction": "direction"},
        {"supplier": "supplier", "change_pct": "float", "tolerance": "float", "windows": "windows", "release": "release"},
    ),
    "delivery_in": Spec(
        delivery_in,
        {"recipient": "country", "designation": "designation", "year": "year"},
        {"month": "month", "supplier": "supplier", "number": "int", "events": "events", "release": "release"},
    ),
    "system_users": Spec(
        system_users,
        {"designation": "designation"},
        {
            "users": "countries",
            "at_least": "int",
            "only": "country",
            "before": "year",
            "related": "designations",
            "release": "release",
        },
    ),
    "suppliers_since": Spec(
        suppliers_since,
        {"recipient": "country", "suppliers": "suppliers"},
        {"since": "year", "since_event": "event", "absent": "suppliers", "release": "release"},
    ),
    "orders_by_category": Spec(
        orders_by_category,
        {"recipient": "country", "supplier": "supplier", "category": "category", "before": "year"},
        {"at_least": "int", "release": "release"},
    ),
    "event": Spec(event, {"event": "event"}, {"date": "date", "states": "strs", "after": "event", "within_days": "int"}),
    "conflict_persistence": Spec(
        conflict_persistence, {"country": "country"}, {"years": "int", "threshold": "int", "source": "str", "worsening": "bool"}
    ),
    "not_checkable": Spec(
        not_checkable,
        {"needs": "str"},
        {"reason": "str", "supplier": "supplier", "recipients": "selection", "years": "years", "comment_terms": "strs"},
    ),
}


def run(i: Inputs, parts: list[tuple[str, dict[str, Any]]]) -> Result:
    """Run one or more checks for one claim and combine them (rule 2): the verdict over every
    part of every check, the evidence joined, figures prefixed by check when there are several."""
    results = [CHECKS[name].fn(i, **params) for name, params in parts]
    if len(results) == 1:
        return results[0]
    all_parts = tuple(p for r in results for p in r.parts)
    figures = {f"{k + 1}. {key}": v for k, r in enumerate(results) for key, v in r.figures.items()}
    sources = [s for r in results for s in r.sources]
    return result_of(list(all_parts), " ".join(r.evidence for r in results), figures, sources)
