"""Context for a country: conflict deaths, military spending, and the curated timeline.

Units: deaths are people killed (best estimates; each source counts differently, so series are
kept apart by ``source``). Military spending is money: US$ millions at constant 2023 prices
(SIPRI milex), and percent of GDP. Events come from data/curated/events.csv, each with the URL
of a source that states it; ``status`` keeps conflicts between sources visible.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from analysis import data, i18n, paths, regions
from analysis.errors import ParameterError, ValidationError, year_pair

EVENTS_FILE = paths.CURATED / "events.csv"

#: The curated text columns read in the reader's language: English column -> French column.
#: The loaders return the English column under ``<name>_en`` and, in French, the French text
#: under ``<name>``, so that prose printing ``e.title`` needs no change.
EVENT_TEXT = {"title": "title_fr", "description": "description_fr"}
SYSTEM_TEXT = {"notes": "notes_fr"}


def check_french(frame: pd.DataFrame, columns: dict[str, str], key: str, what: str) -> None:
    """Every row whose English text is set has its French text (issue 15): a one-line
    ValidationError naming the row's ``key`` and the missing column otherwise."""
    for en, fr in columns.items():
        if fr not in frame.columns:
            raise ValidationError(f"{what}: no column {fr} (the French text of {en}); add it to the file")
        empty = frame[(frame[en].str.strip() != "") & (frame[fr].str.strip() == "")]
        if len(empty):
            raise ValidationError(f"{what}: {key} {empty[key].iloc[0]!r} has {en} but no {fr}; write its French text in {fr}")


def in_language(frame: pd.DataFrame, columns: dict[str, str], lang: str | None = None) -> pd.DataFrame:
    """``frame`` with each text column in ``lang`` (default: :func:`analysis.i18n.language`):
    ``<name>`` is the French column in French, the English one otherwise; ``<name>_en`` always
    holds the English text and the French columns stay as they are."""
    lang = i18n.check_language(lang) if lang is not None else i18n.language()
    out = frame.copy()
    for en, fr in columns.items():
        out[f"{en}_en"] = frame[en]
        if lang == "fr":
            out[en] = frame[fr]
    return out


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
    if years is None:
        return frame
    a, b = year_pair(years)
    if frame.empty:
        return frame
    lo, hi = int(frame["year"].min()), int(frame["year"].max())
    if b < lo or a > hi:
        raise ParameterError(f"years {a}-{b} lie outside the {what} data's years {lo}-{hi}; choose years inside them")
    return frame[frame["year"].between(a, b)]


#: The conflict-death series, one per call of :func:`conflict_deaths`: name -> source prefix.
DEATH_SERIES: dict[str, str] = {
    "ucdp": "UCDP GED via Our World in Data",  # all types of organised violence, 1989 to the last OWID year
    "ucdp_by_type": "UCDP GED v",  # state-based, non-state, one-sided (country-year aggregate)
    "acled": "ACLED",  # reported fatalities, to the ACLED snapshot's date
}


def conflict_deaths(country: str = "Mali", years: tuple[int, int] | None = (2010, 2024), series: str = "ucdp") -> pd.DataFrame:
    """Deaths in ``country`` by year from ONE series, so that a sum over years never mixes
    sources: columns country, year, type_of_violence, deaths, source, series, unit.

    ``series``: ``ucdp`` (UCDP GED deaths in organised violence via Our World in Data, one row a
    year, the default), ``ucdp_by_type`` (UCDP GED country-year aggregate, one row per year and
    type of violence) or ``acled`` (ACLED reported fatalities; the last year may be partial: see
    the ``source`` text for the snapshot date). Deaths are people killed, best estimates."""
    if series not in DEATH_SERIES:
        raise ParameterError(f"series must be one of {', '.join(DEATH_SERIES)}, got {series!r}")
    d = _country_rows(data.conflict_deaths(), country)
    d = d[d["source"].str.startswith(DEATH_SERIES[series])]
    d = _years(d, years, "conflict")
    out = d[["country", "year", "type_of_violence", "deaths", "source"]].sort_values(["year", "type_of_violence"])
    out = out.reset_index(drop=True)
    out["series"] = series
    out["unit"] = "deaths (best estimate)"
    out.attrs.update({"country": regions.display_name(regions.resolve(country)), "unit": "deaths (best estimate)"})
    return out


def deaths_by_year(country: str, years: tuple[int, int] | None = None, series: str = "ucdp") -> pd.Series:
    """Deaths in ``country`` per year from one series (see :func:`conflict_deaths`), summed over
    types of violence, for the years the series holds inside ``years``; empty where it holds
    none. ``attrs["source"]`` names the series and its version."""
    d = conflict_deaths(country, None, series=series)
    if years is not None:
        a, b = year_pair(years)
        d = d[d["year"].between(a, b)]
    out = d.groupby("year")["deaths"].sum().astype(float)
    out.index = out.index.astype(int)
    out.attrs["source"] = str(d["source"].iloc[0]) if len(d) else ""
    return out


def as_of(source: str) -> str:
    """The snapshot date in a source label ('ACLED aggregate, as of 24 Oct 2025' -> '2025-10-24'),
    or '' when it names none."""
    import re
    from datetime import datetime

    m = re.search(r"as of (\d{1,2} \w{3} \d{4})", source)
    if not m:
        return ""
    return datetime.strptime(m.group(1), "%d %b %Y").date().isoformat()


def military_spending(country: str = "Mali", years: tuple[int, int] | None = None) -> pd.DataFrame:
    """SIPRI military expenditure for ``country``: year, constant_2023_usd_m (US$ millions,
    constant 2023 prices), share_of_gdp_pct (percent of GDP), release."""
    m = _country_rows(data.military_expenditure(), country)
    m = _years(m, years, "military expenditure")
    out = m[["year", "constant_2023_usd_m", "share_of_gdp_pct", "release"]].sort_values("year").reset_index(drop=True)
    out.attrs.update(
        {"country": regions.display_name(regions.resolve(country)), "unit": "US$ millions, constant 2023 prices; percent of GDP"}
    )
    return out


@lru_cache(maxsize=1)
def _events() -> pd.DataFrame:
    e = pd.read_csv(EVENTS_FILE, dtype=str, keep_default_na=False)
    if "source_url_fr" not in e.columns:
        e["source_url_fr"] = ""
    check_french(e, EVENT_TEXT, "event_id", EVENTS_FILE.name)
    e["start"] = pd.to_datetime(e["date"].str.slice(0, 10), format="mixed", errors="coerce")
    return e


def _lists_any(field: pd.Series, wanted: set[str]) -> pd.Series:
    """For a ``;``-separated field, whether each row names one of ``wanted`` (a bool Series,
    also for an empty field)."""
    return pd.Series([bool(wanted & {x.strip() for x in str(v).split(";")}) for v in field], index=field.index, dtype=bool)


def _groups_of(country: str) -> set[str]:
    g = regions.groups()
    return set(g.loc[g["member"] == country, "group"])


def events(
    country: str | None = "Mali",
    years: tuple[int, int] | None = None,
    category: str | None = None,
    supplier: str | None = None,
    lang: str | None = None,
) -> pd.DataFrame:
    """The curated timeline, oldest first: event_id, date (as precise as the sources allow),
    date_precision, start (Timestamp of the first day), country, category, supplier, title,
    description, status (confirmed | conflict | unverified), conflict_note, source_url,
    source_url_2, source_url_fr (a French-language source, or empty).

    ``title`` and ``description`` are in ``lang`` (default: the current language of
    :mod:`analysis.i18n`), from the French columns in French; ``title_en`` and
    ``description_en`` always hold the English text (for matching a claim's English words),
    ``title_fr`` and ``description_fr`` the French. ``source_url`` and ``source_url_2`` are the
    sources the row was checked against, in every language; ``reader_source_url`` is the one to
    show a reader: in French the French-language source where there is one, else ``source_url``.

    ``country`` None gives every event; a country gets the events whose ``country`` field names
    it (a ``;``-separated list) or one of its curated groups (Mali gets the AES's). Matching is on
    these structured fields only, never on free text. ``supplier`` keeps events whose
    ``supplier`` field names that supplier."""
    lang = i18n.check_language(lang) if lang is not None else i18n.language()
    e = in_language(_events(), EVENT_TEXT, lang)
    french = lang == "fr"
    e["reader_source_url"] = [fr or en if french else en for en, fr in zip(e["source_url"], e["source_url_fr"])]
    if country is not None:
        canon = regions.canonical_name(regions.resolve(country))
        wanted = {canon, regions.display_name(canon)} | _groups_of(canon)
        e = e[_lists_any(e["country"], wanted)]
    if supplier is not None:
        canon = regions.canonical_name(regions.resolve(supplier))
        names = {canon, regions.display_name(canon)}
        e = e[_lists_any(e["supplier"], names)]
    if category is not None:
        known = sorted(set(_events()["category"]) - {""})
        if category not in known:
            raise ParameterError(f"unknown event category {category!r}; the timeline's categories are {', '.join(known)}")
        e = e[e["category"] == category]
    if years is not None:
        a, b = year_pair(years)
        e = e[e["start"].dt.year.between(a, b)]
    return e.sort_values("start", kind="mergesort").reset_index(drop=True)


def agreements_on(recipient: str, supplier: str, date: str) -> pd.DataFrame:
    """The curated agreements of ``recipient`` with ``supplier`` dated ``date`` (YYYY-MM-DD);
    none for an empty date."""
    e = events(recipient, category="agreement", supplier=supplier)
    if not date:
        return e.iloc[0:0]
    return e[e["date"].str.startswith(date)].reset_index(drop=True)


def systems_for(recipient: str, designations: list[str]) -> pd.DataFrame:
    """The curated systems among ``designations`` for a briefing about ``recipient``: designation,
    type, maker, note, source_url. The note is the first sentence of the curated note (in the
    current language), kept only where the English note names the recipient (notes are written
    about particular users), so that a briefing never carries another state's story."""
    from analysis import fmt

    s = systems(designations)
    if s.empty:
        return pd.DataFrame(columns=["designation", "type", "maker", "note", "source_url"])
    with i18n.use("en"):
        names = {fmt.name(recipient), regions.canonical_name(regions.resolve(recipient))}

    def note(english: str, text: str) -> str:
        if not any(n in english for n in names):
            return ""
        return first_sentence(text) if text == english else same_cut(english, text)

    out = s.assign(note=[note(en, x) for en, x in zip(s["notes_en"], s["notes"])])
    said = (out["note"] != "") | ~out["maker"].str.strip().str.lower().isin({"", "unknown"})
    return out.loc[said, ["designation", "type", "maker", "note", "source_url"]].reset_index(drop=True)


#: Stand-ins for the no-break spaces of French punctuation while :func:`analysis.fmt.first_sentence`
#: (which folds every kind of space into " ") reads a note.
_KEEP = {"\u202f": "\ue000", "\u00a0": "\ue001"}


def first_sentence(text: str) -> str:
    """:func:`analysis.fmt.first_sentence` that keeps French typography: the no-break spaces
    before ``;`` and ``:`` survive, and a cut at "\u202f;" ends "… Mali." (no space before the
    full stop). In English it is fmt.first_sentence."""
    from analysis import fmt

    if i18n.language() != "fr":
        return fmt.first_sentence(text)
    for space, mark in _KEEP.items():
        text = text.replace(space, mark)
    out = fmt.first_sentence(text).replace(_KEEP["\u202f"] + ".", ".")
    for space, mark in _KEEP.items():
        out = out.replace(mark, space)
    return out


def _stops(text: str) -> list[int]:
    """Where :func:`analysis.fmt.first_sentence` may cut ``text``: each ``.`` or ``;`` outside
    brackets and followed by a space or the end (a French ";" counts with its space before)."""
    depth, out = 0, []
    for i, ch in enumerate(text):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0 and ch in ".;" and (i + 1 == len(text) or text[i + 1].isspace()):
            out.append(i)
    return out


def same_cut(english: str, text: str) -> str:
    """The first sentence of ``text`` (a translation of ``english``) cut at the same stop as
    :func:`analysis.fmt.first_sentence` cuts the English, so both languages show the same facts
    (the English rule skips a stop in the first 20 characters, which a longer translation may
    not need to); :func:`first_sentence` of ``text`` where the two do not have the same stops."""
    from analysis import fmt

    en = " ".join(english.split())
    head_en = fmt.first_sentence(en)
    en_stops, stops = _stops(en), _stops(text)
    k = en_stops.index(len(head_en) - 1) if head_en.endswith(".") and len(head_en) - 1 in en_stops else -1
    if k <= 0 or len(en_stops) != len(stops):
        return first_sentence(text)
    head = text[: stops[k]].rstrip("\u202f\u00a0 ") + "."
    return head if len(" ".join(head.split())) <= 220 else first_sentence(text)


FORMER_POWERS_FILE = paths.CURATED / "former_powers.csv"


@lru_cache(maxsize=1)
def former_powers() -> pd.DataFrame:
    """The curated former colonial powers (data/curated/former_powers.csv): country (SIPRI
    name), former_power (SIPRI name; empty for a state never colonised), relationship,
    source_url. An empty table where the file is absent."""
    cols = ["country", "former_power", "relationship", "source_url"]
    if not FORMER_POWERS_FILE.is_file():
        return pd.DataFrame(columns=cols, dtype=str)
    f = pd.read_csv(FORMER_POWERS_FILE, dtype=str, keep_default_na=False)
    for c in ("country", "former_power"):
        f[c] = f[c].map(lambda x: regions.canonical_name(regions.resolve(x)) if x.strip() else "")
    return f


SYSTEMS_FILE = paths.CURATED / "systems.csv"


@lru_cache(maxsize=1)
def _systems() -> pd.DataFrame:
    s = pd.read_csv(SYSTEMS_FILE, dtype=str, keep_default_na=False)
    check_french(s, SYSTEM_TEXT, "designation", SYSTEMS_FILE.name)
    return s


def systems(designations: list[str] | None = None, lang: str | None = None) -> pd.DataFrame:
    """The curated systems table (data/curated/systems.csv): designation, sipri_listed, aliases,
    supplier_country, maker ("unknown" where no source names one; SIPRI names no makers), type,
    notes, source_url. ``notes`` is in ``lang`` (default: the current language of
    :mod:`analysis.i18n`), ``notes_en`` always English, ``notes_fr`` French. With
    ``designations``, only those rows (matched on designation or alias)."""
    s = in_language(_systems(), SYSTEM_TEXT, lang)
    if designations is None:
        return s
    want = {designations} if isinstance(designations, str) else set(designations)  # one designation or a list
    alias_hit = s["aliases"].str.split(";").map(lambda xs: bool(want & {x.strip() for x in xs}))
    return s[s["designation"].isin(want) | alias_hit].reset_index(drop=True)
