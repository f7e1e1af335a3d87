"""Checks against the curated context: a curated event (its date, what its record states, how
soon it came after another) and the persistence of armed conflict (UCDP's conflict deaths).

:data:`analysis.checks.CHECKS` lists them with their parameters.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis import fmt, regions
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
    event_row,
    event_sources,
    event_start,
    long_date,
    result_of,
)


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
