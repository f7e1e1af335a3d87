"""Context for a country: conflict deaths, military spending, and the curated timeline.

Units: deaths are people killed (best estimates; each source counts differently, so series are
kept apart by ``source``). Military spending is money: US$ millions at constant 2023 prices
(SIPRI milex), and percent of GDP. Events come from data/curated/events.csv, each with the URL
of a source that states it; ``status`` keeps conflicts between sources visible.
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from analysis import data, regions
from analysis.errors import ParameterError

EVENTS_FILE = data.CURATED / "events.csv"


def _country_rows(frame: pd.DataFrame, country: str) -> pd.DataFrame:
    """Rows of a context table for ``country`` (matched on ISO3 when the table has it, else on
    the resolved name and its variants)."""
    name = regions.resolve(country)
    code = regions.iso3(name)
    if "iso3" in frame and code:
        rows = frame[frame["iso3"] == code]
        if len(rows):
            return rows
    names = {name, regions.display_name(name), *getattr(regions, "variants", lambda n: [n])(name)}
    return frame[frame["country"].isin(names)]


def _years(frame: pd.DataFrame, years: tuple[int, int] | None, what: str) -> pd.DataFrame:
    if years is None or frame.empty:
        return frame
    a, b = int(years[0]), int(years[1])
    if a > b:
        raise ParameterError(f"years {a}-{b}: the first year is after the last")
    lo, hi = int(frame["year"].min()), int(frame["year"].max())
    if b < lo or a > hi:
        raise ParameterError(f"years {a}-{b} lie outside the {what} data's years {lo}-{hi}; choose years inside them")
    return frame[frame["year"].between(a, b)]


def conflict_deaths(country: str = "Mali", years: tuple[int, int] | None = (2010, 2024),
                    source: str | None = None) -> pd.DataFrame:
    """Deaths in ``country`` by year and type of violence: columns country, year, type_of_violence,
    deaths, source. ``source`` filters to one series (a substring of the source string, e.g.
    "UCDP GED", "Our World in Data", "ACLED")."""
    d = _country_rows(data.conflict_deaths(), country)
    if source is not None:
        d = d[d["source"].str.contains(source, case=False, regex=False)]
    d = _years(d, years, "conflict")
    out = d[["country", "year", "type_of_violence", "deaths", "source"]].sort_values(["source", "year", "type_of_violence"])
    out = out.reset_index(drop=True)
    out.attrs.update({"country": regions.display_name(regions.resolve(country)), "unit": "deaths (best estimate)"})
    return out


def military_spending(country: str = "Mali", years: tuple[int, int] | None = None) -> pd.DataFrame:
    """SIPRI military expenditure for ``country``: year, constant_2023_usd_m (US$ millions,
    constant 2023 prices), share_of_gdp_pct (percent of GDP), release."""
    m = _country_rows(data.military_expenditure(), country)
    m = _years(m, years, "military expenditure")
    out = m[["year", "constant_2023_usd_m", "share_of_gdp_pct", "release"]].sort_values("year").reset_index(drop=True)
    out.attrs.update({"country": regions.display_name(regions.resolve(country)),
                      "unit": "US$ millions, constant 2023 prices; percent of GDP"})
    return out


@lru_cache(maxsize=1)
def _events() -> pd.DataFrame:
    e = pd.read_csv(EVENTS_FILE, dtype=str, keep_default_na=False)
    e["start"] = pd.to_datetime(e["date"].str.slice(0, 10), format="mixed", errors="coerce")
    return e


def events(country: str | None = "Mali", years: tuple[int, int] | None = None,
           category: str | None = None) -> pd.DataFrame:
    """The curated timeline, oldest first: event_id, date (as precise as the sources allow),
    date_precision, start (Timestamp of the first day), country, category, supplier, title,
    description, status (confirmed | conflict | unverified), conflict_note, source_url,
    source_url_2. ``country`` None gives every event; a country also gets its groups'
    events (e.g. Mali gets the AES's)."""
    e = _events().copy()
    if country is not None:
        name = regions.display_name(regions.resolve(country))
        e = e[e["country"].isin({name, regions.resolve(country), "Sahel", "AES", "Africa", "China"})
              | e["description"].str.contains(name, regex=False)]
    if category is not None:
        e = e[e["category"] == category]
    if years is not None:
        e = e[e["start"].dt.year.between(int(years[0]), int(years[1]))]
    return e.sort_values("start", kind="mergesort").reset_index(drop=True)


SYSTEMS_FILE = data.CURATED / "systems.csv"


def systems(designations: list[str] | None = None) -> pd.DataFrame:
    """The curated systems table (data/curated/systems.csv): designation, sipri_listed, aliases,
    supplier_country, maker ("unknown" where no source names one; SIPRI names no makers), type,
    notes, source_url. With ``designations``, only those rows (matched on designation or alias)."""
    s = pd.read_csv(SYSTEMS_FILE, dtype=str, keep_default_na=False)
    if designations is None:
        return s
    want = set(designations)
    alias_hit = s["aliases"].str.split(";").map(lambda xs: bool(want & {x.strip() for x in xs}))
    return s[s["designation"].isin(want) | alias_hit].reset_index(drop=True)
