"""Checks of shares, ranks and changes in volume: who supplied how much of a recipient's
major-arms imports, in which window, and whether that rose or fell.

Each reads the tidy transfers of one SIPRI release (``Inputs.transfers_of``) and ranks
identified suppliers only (rule 4 of :mod:`analysis.verdicts`). :data:`analysis.checks.CHECKS`
lists them with their parameters.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from analysis import fmt, regions
from analysis import transfers as tr
from analysis.errors import ParameterError
from analysis.i18n import _, language
from analysis.verdicts import (
    FAILS,
    HOLDS,
    MIXED,
    NO_RECORD,
    UNKNOWN_SUPPLIER,
    Inputs,
    Part,
    Place,
    Places,
    Result,
    event_row,
    event_sources,
    event_start,
    event_title,
    identified_shares,
    latest_windows,
    long_date,
    region_meanings,
    result_of,
    sipri,
    window_of,
)


def by_rank(rank: Any, unranked: str, first: str, nth: str) -> str:
    """The message for a rank among identified suppliers (none, first, another), with its
    ``{rank}`` ("2nd", "2e") filled in; the caller fills the rest."""
    if rank is None or rank is pd.NA or (isinstance(rank, float) and math.isnan(rank)):
        return unranked
    return first if int(rank) == 1 else nth.replace("{rank}", fmt.ordinal(int(rank)))


# --------------------------------------------------------------------------- 1. leading supplier
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
    holds: list[Place] = []
    fails: list[Place] = []
    who = fmt.Named(sup)
    for label, sel in region_meanings(recipients):
        place = Place(label, sel)
        bits = []
        for w in ws:
            sh = identified_shares(t, sel, w).set_index("supplier_sipri")
            share = float(sh["share"].get(sup, 0.0))
            rank = sh["rank"].get(sup, pd.NA)
            leader = sh[sh["rank"] == 1].index.tolist()
            key = f"{label} {tr.window_label(w)}"
            figures[f"{key} share"] = round(share, 1)
            figures[f"{key} rank"] = None if rank is pd.NA else int(rank)
            bit = by_rank(
                rank,
                _("{window} {share}, not among suppliers"),
                _("{window} {share}, largest identified supplier"),
                _("{window} {share}, {rank}-largest identified supplier"),
            ).format(window=fmt.years(*w), share=fmt.pct(share))
            other = riv if riv else (leader[0] if leader and leader[0] != sup else None)
            if other:
                os_ = float(sh["share"].get(other, 0.0))
                if riv:
                    figures[f"{key} {riv} share"] = round(os_, 1)
                bit = _("{bit}; {other} {share}").format(bit=bit, other=fmt.Named(other), share=fmt.pct(os_))
            bits.append(bit)
            if w == ws[-1]:
                ok = rank is not pd.NA and int(rank) == 1
                parts.append(Part(f"leads {label} in {tr.window_label(w)}", HOLDS if ok else FAILS))
                (holds if ok else fails).append(place)
        clauses.append(_("{region}: {windows}").format(region=place, windows="; ".join(bits)))
    last = fmt.years(*ws[-1])
    if holds and fails:
        head = _("In {window} {supplier} was the largest identified supplier to {regions} but not to {others}.")
    elif holds:
        head = _("In {window} {supplier} was the largest identified supplier to {regions}.")
    else:
        head = _("In {window} {supplier} was not the largest identified supplier to {others}.")
    head = head.format(window=last, supplier=who, regions=Places(holds), others=Places(fails, "and" if holds else "or"))
    ev = _("{head} {supplier}'s share of major-arms imports ({source}): {clauses}.").format(
        head=head, supplier=who, source=sipri(rel), clauses=" | ".join(clauses)
    )
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
    w = window_of(years) if years else latest_windows(t, 1)[0]
    sup = regions.resolve(supplier)
    parts: list[Part] = []
    figures: dict[str, Any] = {}
    bits: list[str] = []
    for label, sel in region_meanings(recipients):
        sh = identified_shares(t, sel, w).set_index("supplier_sipri")
        s = float(sh["share"].get(sup, 0.0))
        r = sh["rank"].get(sup, pd.NA)
        figures[f"{label} share"] = round(s, 1)
        figures[f"{label} rank"] = None if r is pd.NA else int(r)
        bit = by_rank(
            r,
            _("{supplier} was not among the suppliers to {region} in {years}, with {share} of the volume"),
            _("{supplier} was the largest identified supplier to {region} in {years}, with {share} of the volume"),
            _("{supplier} was the {rank}-largest identified supplier to {region} in {years}, with {share} of the volume"),
        ).format(supplier=fmt.Named(sup), region=Place(label, sel), years=fmt.years(*w), share=fmt.pct(s))
        if rank is not None:
            parts.append(Part(f"rank {rank} in {label}", HOLDS if r is not pd.NA and int(r) == int(rank) else FAILS))
        if share is not None:
            ok = abs(s - float(share)) <= tolerance
            parts.append(Part(f"share {share}% in {label}", HOLDS if ok else FAILS))
            if not ok:
                bit = _("{bit}, against the {claimed}% claimed").format(bit=bit, claimed=fmt.num(share, 1 if share % 1 else 0))
        bits.append(bit)
    ev = _("{findings} ({source}; ranks count identified suppliers only).").format(findings="; ".join(bits), source=sipri(rel))
    return result_of(parts, fmt.capital(ev), figures, [sipri(rel)])


def change_note(chg: float) -> str:
    """A percent change for a parenthesis after two volumes: ' (+3.2%)' below 10% (one decimal),
    ' (+41%)' above, '' from zero."""
    if math.isnan(chg):
        return ""
    if abs(chg) >= 10:
        return f" ({fmt.change(chg)})"
    if language() == "en":
        return f" ({chg:+.1f}%)"
    sign = "+" if chg >= 0 else "\u2212"
    return f" ({sign}{fmt.num(abs(chg), 1)}\u202f%)"


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
    ws = [window_of(w) for w in windows] if windows else latest_windows(t)
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
        place = Place(label, sel)
        if supplier:
            what = _("{supplier}'s deliveries to {region}").format(supplier=fmt.Named(regions.resolve(supplier)), region=place)
        else:
            what = _("imports of major arms by {region}").format(region=place)
        if v[1] > v[0]:
            bit = _("{what} rose from {before} in {a} to {after} in {b}{change}")
        elif v[1] < v[0]:
            bit = _("{what} fell from {before} in {a} to {after} in {b}{change}")
        else:
            bit = _("{what} did not change from {before} in {a} to {after} in {b}{change}")
        bit = bit.format(
            what=what, before=fmt.tiv(v[0]), a=fmt.years(*a), after=fmt.tiv(v[1]), b=fmt.years(*b), change=change_note(chg)
        )
        status = HOLDS if vol_ok else FAILS
        if supplier:
            n = [tr.recipient_states(t, supplier, sel, w).attrs["count"] for w in (a, b)]
            figures[f"{label} states {tr.window_label(a)}"], figures[f"{label} states {tr.window_label(b)}"] = n
            cnt_ok = (n[1] - n[0]) * sign > 0
            bit = _("{bit}, while the number of recipient states went from {a} to {b}").format(
                bit=bit, a=fmt.num(n[0]), b=fmt.num(n[1])
            )
            status = HOLDS if vol_ok and cnt_ok else (MIXED if vol_ok or cnt_ok else FAILS)
        parts.append(Part(f"{direction} in {label}", status))
        if change_pct is not None and not math.isnan(chg):
            ok = abs(chg - float(change_pct)) <= tolerance
            parts.append(Part(f"change of {change_pct}% in {label}", HOLDS if ok else FAILS))
            if not ok:
                bit = _("{bit}, not the {claimed} claimed").format(bit=bit, claimed=fmt.change(float(change_pct)))
        bits.append(bit)
    ev = _("{findings} ({source}).").format(findings="; ".join(bits), source=sipri(rel))
    return result_of(parts, fmt.capital(ev), figures, [sipri(rel)])


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
    if since is None and not since_event:
        raise ParameterError(
            "suppliers_since needs since (a year, e.g. since = 2021) or since_event "
            "(an event_id of data/curated/events.csv); give one of them"
        )
    t = i.transfers_of(release)
    rel = tr.release_label(t)
    _lo, hi = tr.coverage(t)
    rec = regions.resolve(recipient)
    after, sources = None, [sipri(rel)]
    if since_event:
        row = event_row(i, since_event)
        assert row is not None, "analysis.claims checks that event ids exist"
        start = event_start(row)
        since = int(start.year) + (0 if (start.month, start.day) == (1, 1) else 1)
        after = row
        sources += event_sources(pd.DataFrame([row]))
    w = (int(since), hi)  # type: ignore[arg-type]  # since_event set it when since was None
    sh = identified_shares(t, rec, w).set_index("supplier_sipri")
    parts: list[Part] = []
    figures: dict[str, Any] = {}
    bits: list[str] = []
    for s in sorted(suppliers, key=lambda x: -float(sh["share"].get(regions.resolve(x), 0.0))):
        r = regions.resolve(s)
        share = float(sh["share"].get(r, 0.0))
        figures[f"{r} share"] = round(share, 1)
        parts.append(Part(f"supplier {r}", HOLDS if share > 0 else NO_RECORD))
        bit = _("{supplier} {share}") if share > 0 else _("no record for {supplier}")
        bits.append(bit.format(supplier=fmt.Named(r), share=fmt.pct(share)))
    for s in absent or []:
        r = regions.resolve(s)
        share = float(sh["share"].get(r, 0.0))
        figures[f"{r} share"] = round(share, 1)
        parts.append(Part(f"no longer {r}", HOLDS if share == 0 else FAILS))
        bits.append(_("{supplier} {share}").format(supplier=fmt.Named(r), share=fmt.pct(share)))
    unk = float(sh["share"].get(UNKNOWN_SUPPLIER, 0.0))
    figures["unknown share"] = round(unk, 1)
    years = fmt.years(*w)
    if after is not None:
        years = _("{years}, the years after {date} (\u201c{title}\u201d)").format(
            years=years, date=long_date(after["date"]), title=event_title(after)
        )
    if unk:
        ev = _("Shares of {recipient:poss} major-arms imports in {years}: {shares}; unknown suppliers {unknown} ({source}).")
    else:
        ev = _("Shares of {recipient:poss} major-arms imports in {years}: {shares} ({source}).")
    ev = ev.format(recipient=fmt.Named(rec), years=years, shares=", ".join(bits), unknown=fmt.pct(unk), source=sipri(rel))
    return result_of(parts, ev, figures, sources)
