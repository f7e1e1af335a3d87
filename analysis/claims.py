"""The claim ledger: news claims about the Mali-Norinco deal, checked against the data.

Each claim has a checker that computes its verdict from the tidy tables and the curated events,
so a verdict changes when the data do. Verdicts:

- ``supported``: the data or curated sources state it;
- ``partly supported``: it holds for part of what is claimed (say, one region and not another);
- ``contradicted``: the data say otherwise;
- ``not checkable with these data``: the evidence says what would settle it.

Evidence sentences are built from computed figures and name the region, years and release.
SIPRI TIV is a volume index (millions of TIV), not money.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analysis import data, fmt, regions
from analysis import transfers as tr

VERDICTS = ("supported", "partly supported", "contradicted", "not checkable with these data")


@dataclass
class Inputs:
    """Everything the checkers read. Build with :func:`default_inputs`, or pass altered tables
    to see how verdicts depend on the data."""

    transfers: pd.DataFrame
    orders: pd.DataFrame
    events: pd.DataFrame
    deaths: pd.DataFrame | None
    credit: str
    extra: dict[str, Any] = field(default_factory=dict)


def default_inputs() -> Inputs:
    from analysis import context

    try:
        deaths = data.conflict_deaths()
    except Exception:  # context sources missing: claim 10 says so instead of failing the ledger
        deaths = None
    return Inputs(transfers=data.transfers(), orders=data.orders(), events=context.events(None),
                  deaths=deaths, credit=data.release_of()["credit"])


@dataclass(frozen=True)
class Check:
    verdict: str
    evidence: str
    sources: tuple[str, ...]


def _sipri(i: Inputs) -> str:
    return f"SIPRI Arms Transfers Database, {tr.release_label(i.transfers)} release"


def _latest_windows(t: pd.DataFrame, n: int = 2, width: int = 5) -> list[tuple[int, int]]:
    _, hi = tr.coverage(t)
    return tr.windows(hi - n * width + 1, hi, width)


def _event(i: Inputs, date: str, category: str | None = None) -> pd.DataFrame:
    e = i.events
    m = e["date"].astype(str).str.startswith(date)
    if category:
        m &= e["category"] == category
    return e[m]


def _event_sources(rows: pd.DataFrame) -> tuple[str, ...]:
    urls: list[str] = []
    for _, r in rows.iterrows():
        for c in ("source_url", "source_url_2"):
            u = str(r.get(c, "") or "").strip()
            if u and u not in urls:
                urls.append(u)
    return tuple(urls)


def _text(rows: pd.DataFrame) -> str:
    return " ".join((rows["title"].astype(str) + " " + rows["description"].astype(str)).tolist()).lower()


# --------------------------------------------------------------------------- checkers
def check_agreement(i: Inputs) -> Check:
    rows = _event(i, "2024-09-02", "agreement")
    rows = rows[_text_series(rows).str.contains("norinco")]
    if rows.empty:
        return Check("not checkable with these data",
                     "No curated source records an agreement with Norinco on 2 September 2024; SIPRI records orders, "
                     "not signings, and names no makers.", ())
    signed_by = "camara" in _text(rows)
    verdict = "supported" if signed_by else "partly supported"
    newer = i.orders[(i.orders["recipient"] == "Mali") & (i.orders["supplier"] == "China") & (i.orders["order_year"] == 2024)]
    rel = ", ".join(sorted(newer["release"].unique())) or "none"
    sipri_part = (f" SIPRI names no makers; its {rel} release lists {len(newer)} Chinese system(s) ordered by Mali in 2024 "
                  f"({fmt.listing(sorted(newer['designation'].unique()))})." if len(newer) else
                  " SIPRI names no makers and lists no Chinese order by Mali in 2024 in the releases held.")
    who = "naming Defence Minister Sadio Camara as signatory" if signed_by else "without naming the signatories"
    disputed = [str(n) for n in rows.loc[rows["status"] == "conflict", "conflict_note"] if str(n).strip()]
    caveat = f" Sources differ on details: {' '.join(disputed)}" if disputed else ""
    return Check(verdict, f"{len(rows)} curated record(s) report the agreement of 2 September 2024, {who}.{sipri_part}{caveat}",
                 _event_sources(rows) + ((_sipri(i),) if len(newer) else ()))


def check_focac(i: Inputs) -> Check:
    summit = _event(i, "2024-09-04", "summit")
    deal = _event(i, "2024-09-02", "agreement")
    deal = deal[_text_series(deal).str.contains("norinco")]
    if summit.empty:
        return Check("not checkable with these data", "No curated source dates the opening of the 9th FOCAC summit.", ())
    gap = (summit["start"].iloc[0] - deal["start"].iloc[0]).days if len(deal) else None
    ev = f"Curated sources date the 9th FOCAC summit's opening to {summit['date'].iloc[0]}"
    ev += f", {gap} days after the Norinco agreement." if gap is not None else "."
    verdict = "supported" if gap is not None and 0 < gap <= 7 else "partly supported"
    return Check(verdict, ev, _event_sources(summit) + _event_sources(deal))


def check_displayed(i: Inputs) -> Check:
    rows = _event(i, "2024-09-02", "agreement")
    rows = rows[_text_series(rows).str.contains("norinco")]
    text = _text(rows)
    found = {"small arms or light weapons": ("small arms" in text or "light weapons" in text),
             "drones": "drone" in text, "artillery": "artillery" in text}
    have = [k for k, v in found.items() if v]
    if rows.empty or not have:
        return Check("not checkable with these data",
                     "No curated source describes what the delegation was shown; SIPRI records deliveries, not displays.", ())
    verdict = "supported" if len(have) == len(found) else "partly supported"
    return Check(verdict, f"Press reports of the visit mention {fmt.listing(have)} being shown. SIPRI cannot confirm a display "
                          "and does not cover small arms at all.", _event_sources(rows))


def check_partners(i: Inputs) -> Check:
    t = i.transfers
    exits = i.events[(i.events["category"] == "withdrawal") & _text_series(i.events).str.contains("barkhane")]
    if exits.empty:
        exit_year = 2022
        exit_note = "2022 (no curated date found; assumed)"
    else:
        exit_year = int(exits["start"].max().year)
        exit_note = f"{exit_year} (the last Barkhane departure)"
    _, hi = tr.coverage(t)
    if exit_year > hi:
        return Check("not checkable with these data", f"The release ends in {hi}, before the exit in {exit_year}.", ())
    sh = tr.supplier_shares(t, "Mali", (exit_year, hi))
    tiv = dict(zip(sh["supplier"], sh["tiv"]))
    share = dict(zip(sh["supplier"], sh["share"]))
    want = ["Russia", "Turkiye", "China"]
    present = [s for s in want if tiv.get(s, 0) > 0]
    verdict = "supported" if len(present) == 3 else ("partly supported" if present else "contradicted")
    parts = [f"{regions.display_name(s)} {fmt.pct(share.get(s, 0.0))}" for s in want]
    france = share.get("France", 0.0)
    ev = (f"Shares of Mali's major-arms imports in {fmt.years(exit_year, hi)}, after French forces left in {exit_note}: "
          f"{', '.join(parts)}; France {fmt.pct(france)} ({_sipri(i)}).")
    return Check(verdict, ev, (_sipri(i),) + _event_sources(exits))


def _text_series(e: pd.DataFrame) -> pd.Series:
    return (e["title"].astype(str) + " " + e["description"].astype(str)).str.lower()


def check_armoured_history(i: Inputs) -> Check:
    o = i.orders[(i.orders["source"] == data.PRIMARY) & (i.orders["recipient"] == "Mali") & (i.orders["supplier"] == "China")]
    o = o[o["order_year"].fillna(0) < 2024]
    av = o[o["category"] == "Armoured vehicles"]
    kinds = sorted(av["designation"].unique())
    verdict = "supported" if len(kinds) >= 2 else ("partly supported" if kinds else "contradicted")
    items = [f"{r.designation} ({r.description}, {fmt.num(r.n_ordered) if pd.notna(r.n_ordered) else '?'} ordered {r.order_year})"
             for r in av.sort_values("order_year").itertuples()]
    ev = (f"{_sipri(i)} lists {len(kinds)} types of armoured vehicle from China to Mali ordered before 2024: "
          f"{fmt.listing(items)}.") if kinds else f"{_sipri(i)} lists no Chinese armoured vehicles for Mali before 2024."
    return Check(verdict, ev, (_sipri(i),))


def check_april_2024(i: Inputs) -> Check:
    o = i.orders[(i.orders["recipient"] == "Mali") & (i.orders["designation"] == "VP-11")]
    if o.empty:
        return Check("not checkable with these data", "No release held lists VP-11 deliveries to Mali.", ())
    years = sorted({int(y) for ys in o["delivery_years"] for y in str(ys).split("; ") if y})
    rels = fmt.listing(sorted(o["release"].unique()))
    lynx = i.orders[(i.orders["recipient"] == "Mali") & i.orders["designation"].str.contains("Lynx|VP11|CS/VP-11", regex=True)
                    & (i.orders["designation"] != "VP-11")]
    handover = i.events[_text_series(i.events).str.contains("vp11|vp-11") & (i.events["category"] == "delivery")]
    hand = (f" Curated press sources date the handover to {fmt.listing(handover['date'].tolist())}." if len(handover) else "")
    lynx_note = "" if len(lynx) else " SIPRI does not list the Lynx all-terrain vehicles (not major conventional arms)."
    if 2024 in years:
        verdict, head = "supported", f"SIPRI ({rels}) records VP-11 deliveries to Mali in {fmt.listing(map(str, years))}."
    else:
        verdict = "contradicted"
        head = (f"SIPRI ({rels}) records the VP-11 delivery to Mali in {fmt.listing(map(str, years))}, not 2024 "
                f"({fmt.num(o['n_delivered'].max())} vehicles).")
    return Check(verdict, head + hand + lynx_note, (_sipri(i),) + _event_sources(handover))


def check_vp11_users(i: Inputs) -> Check:
    o = i.orders[i.orders["designation"] == "VP-11"]
    users = sorted({regions.display_name(r) for r in o["recipient"]})
    named = ["Sri Lanka", "Chad"]
    listed = [n for n in named if n in users]
    wz = i.orders[(i.orders["designation"] == "WZ-551") & i.orders["recipient"].isin(named)]
    wz_users = sorted(set(wz["recipient"]))
    verdict = "supported" if len(listed) == 2 else ("partly supported" if listed else "contradicted")
    rels = fmt.listing(sorted(o["release"].unique()))
    ev = (f"SIPRI ({rels}) lists VP-11 deliveries to {fmt.listing(users)}; "
          f"{'neither Sri Lanka nor Chad' if not listed else fmt.listing(listed)} among them.")
    if wz_users:
        ev += f" {fmt.listing(wz_users)} received the WZ-551, a different Chinese APC."
    ev += " Whether users received it well is not something the data can show."
    return Check(verdict, ev, (_sipri(i),))


def check_leading_supplier(i: Inputs) -> Check:
    t = i.transfers
    ws = _latest_windows(t)
    leads: dict[str, bool] = {}
    parts = []
    for region in ("Africa", "Sub-Saharan Africa"):
        bits = []
        for w in ws:
            sh = tr.supplier_shares(t, region, w).set_index("supplier")
            c = sh["share"].get("China", 0.0)
            r = sh["share"].get("Russia", 0.0)
            rank = int(sh["rank"].get("China", 0)) or None
            bits.append(f"{fmt.years(*w)} China {fmt.pct(c)} (rank {rank}), Russia {fmt.pct(r)}")
            if w == ws[-1]:
                leads[region] = rank == 1 and c > r
        name = "SIPRI's Africa (without Egypt)" if region == "Africa" else "sub-Saharan Africa"
        parts.append(f"{name}: {'; '.join(bits)}")
    n = sum(leads.values())
    verdict = "supported" if n == 2 else ("partly supported" if n == 1 else "contradicted")
    nice = {"Africa": "SIPRI's Africa", "Sub-Saharan Africa": "sub-Saharan Africa"}
    holds = [nice[r] for r, v in leads.items() if v]
    fails = [nice[r] for r, v in leads.items() if not v]
    summary = (f"China leads in {fmt.listing(holds) if holds else 'neither region'}"
               + (f" but not in {fmt.listing(fails)}" if holds and fails else "") + f" in {fmt.years(*ws[-1])}.")
    ev = f"Shares of major-arms imports ({_sipri(i)}): " + " | ".join(parts) + ". " + summary
    ev += " No all-supplier release with 2025 deliveries is held, so 2025 cannot be compared."
    return Check(verdict, ev, (_sipri(i),))


def check_west_africa(i: Inputs) -> Check:
    t = i.transfers
    ws = _latest_windows(t)
    counts = [tr.recipient_states(t, "China", "Africa", w).attrs["count"] for w in ws]
    west = []
    for w in ws:
        total = tr.select(t, suppliers="China", recipients="Africa", years=w)["tiv_delivered"].sum()
        wa = tr.select(t, suppliers="China", recipients="West Africa", years=w)["tiv_delivered"].sum()
        west.append(100 * float(wa) / float(total) if total else float("nan"))
    more_states = counts[-1] > counts[0]
    more_west = west[-1] > west[0]
    n = int(more_states) + int(more_west)
    verdict = "supported" if n == 2 else ("partly supported" if n == 1 else "contradicted")
    ev = (f"African states receiving Chinese major arms: {counts[0]} in {fmt.years(*ws[0])}, {counts[-1]} in {fmt.years(*ws[-1])}; "
          f"West Africa's share of China's deliveries to Africa: {fmt.pct(west[0])} then {fmt.pct(west[-1])} ({_sipri(i)}). "
          "Partnerships beyond arms deliveries (training, exercises) are not in these data.")
    return Check(verdict, ev, (_sipri(i),))


def check_security(i: Inputs) -> Check:
    d = i.deaths
    if d is None or d.empty:
        return Check("not checkable with these data", "Conflict-death data are missing; run `briefing data status`.", ())
    code = regions.iso3("Mali")
    owid = d[(d["iso3"] == code) & d["source"].str.contains("Our World in Data")] if "iso3" in d else d.iloc[0:0]
    if owid.empty:
        return Check("not checkable with these data", "No conflict-death series for Mali in the data held.", ())
    hi = int(owid["year"].max())
    decade = owid[owid["year"].between(hi - 9, hi)].groupby("year")["deaths"].sum()
    every = bool((decade >= 25).all()) and len(decade) == 10
    verdict = "supported" if every else "partly supported"
    src = owid["source"].iloc[0]
    ev = (f"UCDP records conflict deaths in Mali every year of {fmt.years(hi - 9, hi)} "
          f"(at least {fmt.num(decade.min())} a year; {fmt.num(decade.sum())} in all; {fmt.num(decade.iloc[0])} in {hi - 9}, "
          f"{fmt.num(decade.iloc[-1])} in {hi}) [{src}].") if every else (
          f"Conflict deaths in Mali fell below 25 in some year of {fmt.years(hi - 9, hi)} [{src}].")
    return Check(verdict, ev, (src,))


def check_financing(i: Inputs) -> Check:
    afr = set(regions.members("Africa"))
    o = i.orders[(i.orders["source"] == data.PRIMARY) & (i.orders["supplier"] == "China") & i.orders["recipient"].isin(afr)]
    _, hi = tr.coverage(i.transfers)
    recent = o[o["order_year"].between(hi - 14, hi)]
    aid = recent[recent["comments"].str.contains(r"\baid\b|loan|credit", case=False, regex=True)]
    quote = i.events[_text_series(i.events).str.contains("without waiting for payment")]
    ev = (f"SIPRI records financing only in free-text comments: {len(aid)} of {len(recent)} Chinese deals with African "
          f"states ordered {fmt.years(hi - 14, hi)} are marked as aid, loan or credit ({_sipri(i)}).")
    if len(quote):
        ev += (" A Malian official was reported saying Norinco delivered before payment (attribution disputed between sources).")
    ev += (" Settling the claim needs contract terms or a data set of arms financing; AidData's development-finance "
           "data exclude military transfers.")
    return Check("not checkable with these data", ev, (_sipri(i),) + _event_sources(quote))


@dataclass(frozen=True)
class Claim:
    id: int
    claim: str
    check: Callable[[Inputs], Check]


CLAIMS: tuple[Claim, ...] = (
    Claim(1, "On 2 September 2024 Goïta visited Norinco and Mali signed an agreement with it to procure military "
             "equipment, signed by Defence Minister Sadio Camara and the company's director.", check_agreement),
    Claim(2, "The visit came just before the 9th FOCAC summit, which opened in Beijing on 4 September 2024.", check_focac),
    Claim(3, "The delegation was shown small arms, drones and artillery systems.", check_displayed),
    Claim(4, "After French and European forces left, Mali's arms partners now include Russia and Türkiye alongside China.",
          check_partners),
    Claim(5, "Mali's earlier purchases from China included a variety of armoured vehicles.", check_armoured_history),
    Claim(6, "In April 2024 Mali received Norinco VP11 armoured personnel carriers and Lynx CS/VP11 all-terrain vehicles.",
          check_april_2024),
    Claim(7, "The VP11 has been well received in several countries, including Sri Lanka and Chad.", check_vp11_users),
    Claim(8, "China has rapidly become Africa's leading arms supplier, surpassing Russia.", check_leading_supplier),
    Claim(9, "China is expanding its military partnerships across the continent, particularly in West Africa.",
          check_west_africa),
    Claim(10, "Mali has faced significant security challenges over the past decade.", check_security),
    Claim(11, "Chinese arms deals come with flexible financing.", check_financing),
)


def ledger(inputs: Inputs | None = None) -> pd.DataFrame:
    """One row per claim: id, claim, verdict (one of VERDICTS), evidence (built from computed
    figures and curated events, naming region, years and release), sources ("; "-separated)."""
    i = inputs or default_inputs()
    rows = []
    for c in CLAIMS:
        res = c.check(i)
        assert res.verdict in VERDICTS, res.verdict
        rows.append({"id": c.id, "claim": c.claim, "verdict": res.verdict, "evidence": res.evidence,
                     "sources": "; ".join(res.sources)})
    return pd.DataFrame(rows)
