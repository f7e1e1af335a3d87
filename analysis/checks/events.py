"""Checks against the curated context: a curated event (its date, what its record states, how
soon it came after another) and the persistence of armed conflict (UCDP's conflict deaths).

:data:`analysis.checks.CHECKS` lists them with their parameters.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis import fmt, regions
from analysis.i18n import _, ngettext
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
    event_title,
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
        return result_of(
            [Part("event", NO_RECORD)], _("No record in these data: no curated event {event}.").format(event=event), {}, []
        )
    parts: list[Part] = []
    figures: dict[str, Any] = {"date": str(row["date"])}
    rows = pd.DataFrame([row])
    sources = event_sources(rows)
    title = event_title(row)
    end = str(row.get("date_end", "") or "")
    if end and end != row["date"]:
        ev = _("Curated sources date \u201c{title}\u201d from {start} to {end}").format(
            title=title, start=long_date(row["date"]), end=long_date(end)
        )
    else:
        ev = _("Curated sources date \u201c{title}\u201d to {date}").format(title=title, date=long_date(row["date"]))
    if date is not None:
        ok = str(row["date"]).startswith(str(date)) or str(date).startswith(str(row["date"]))
        parts.append(Part(f"date {date}", HOLDS if ok else FAILS))
        if not ok:
            ev = _("{sentence}, not {date}").format(sentence=ev, date=long_date(date))
    if after is not None:
        other = event_row(i, after)
        assert other is not None, "analysis.claims checks that event ids exist"
        gap = (event_start(row) - event_start(other)).days
        figures["days after"] = int(gap)
        limit = int(within_days if within_days is not None else 7)
        ok = 0 < gap <= limit
        parts.append(Part(f"within {limit} days after {after}", HOLDS if ok else FAILS))
        words = (
            _("{sentence}, {days} after \u201c{other}\u201d ({date})")
            if gap >= 0
            else _("{sentence}, {days} before \u201c{other}\u201d ({date})")
        )
        ev = words.format(
            sentence=ev,
            days=ngettext("{n} day", "{n} days", abs(gap)).format(n=fmt.num(abs(gap))),
            other=event_title(other),
            date=long_date(other["date"]),
        )
        sources += event_sources(pd.DataFrame([other]))
    ev = _("{sentence}.").format(sentence=ev)
    text = f"{row['title']} {row['description']}".lower()
    if states:
        found = [s for s in states if s.lower() in text]
        missing = [s for s in states if s.lower() not in text]
        for s in states:
            parts.append(Part(f"states '{s}'", HOLDS if s in found else NO_RECORD))
        if found:
            ev += " " + _("The curated record states {phrases}.").format(phrases=quoted(found))
        if missing:
            ev += " " + _("No record in these data of {phrases}.").format(phrases=quoted(missing))
    clause = disputes(row)
    if clause:
        ev += " " + _("On this event {disputes}.").format(disputes=clause)
    if not parts:
        parts.append(Part("event recorded", HOLDS))
    return result_of(parts, ev, figures, sources)


def quoted(phrases: list[str]) -> str:
    """Phrases of a curated record, each in quotes, listed: "‘a’, ‘b’ and ‘c’"."""
    return fmt.listing([_("\u2018{phrase}\u2019").format(phrase=x) for x in phrases])


# --------------------------------------------------------------------------- 9. conflict
def conflict_persistence(
    i: Inputs, country: str, years: int = 10, threshold: int = 25, source: str = "Our World in Data", worsening: bool = False
) -> Result:
    """Conflict deaths in ``country`` in each of the last ``years`` years of the series: every
    year at or above ``threshold`` (UCDP's 25 battle-related deaths) holds. With ``worsening``,
    a second part: more deaths in the later half of those years than in the earlier half."""
    d = i.deaths
    who = fmt.Named(regions.resolve(country))
    if d is None or d.empty:
        return result_of([Part("deaths", UNCHECKABLE)], _("Conflict-death data are missing; run `briefing data status`."), {}, [])
    code = regions.iso3(regions.resolve(country))
    s = d[(d["iso3"] == code) & d["source"].str.contains(source, regex=False)] if "iso3" in d else d.iloc[0:0]
    if s.empty:
        ev = _("No record in these data: no conflict-death series for {country}.").format(country=who)
        return result_of([Part("deaths", NO_RECORD)], ev, {}, [])
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
    ev = _(
        "UCDP counts at least {threshold} conflict deaths in {country} in {above} of the {n} years {years} "
        "({total} in all; {first} in {lo}, {last} in {hi}; {source})."
    ).format(
        threshold=fmt.num(threshold),
        country=who,
        above=above,
        n=len(series),
        years=fmt.years(lo, hi),
        total=fmt.num(series.sum()),
        first=fmt.num(series.iloc[0]),
        lo=lo,
        last=fmt.num(series.iloc[-1]),
        hi=hi,
        source=fmt.source_name(src),
    )
    parts = [Part(f"conflict every year {lo}-{hi}", status)]
    if worsening:
        half = len(series) // 2
        early, late = float(series.iloc[:half].sum()), float(series.iloc[half:].sum())
        figures.update({"earlier half": early, "later half": late})
        parts.append(Part("worsening", HOLDS if late > early else FAILS))
        msg = (
            _("Deaths rose from {early} in {a} to {late} in {b}.")
            if late > early
            else _("Deaths did not rise from {early} in {a} to {late} in {b}.")
        )
        ev += " " + msg.format(
            early=fmt.num(early), a=fmt.years(lo, lo + half - 1), late=fmt.num(late), b=fmt.years(lo + half, hi)
        )
    return result_of(parts, ev, figures, [fmt.source_name(src)])
