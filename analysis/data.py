"""Tidy tables, each from one loader, validated, and cached.

``transfers()``
    One row per deal and delivery year (SIPRI's deliveries of major conventional arms).
    TIV columns are SIPRI trend-indicator values in **millions of TIV** (a volume index, not
    money). From the classic export, a deal's delivered units and TIV are spread evenly over its
    delivery years (``method`` says so); from the API format, yearly values are taken as given.
    One SIPRI release per call: releases are never mixed.
``orders()``
    The registers themselves, one row per deal, open orders included, each row labelled with
    its release and source. Several releases appear here side by side: filter on ``source``
    before summing.
``military_expenditure()``, ``conflict_deaths()``, ``countries_reference()``
    Context tables (see :mod:`analysis.tidy`).

Names: the tidy tables keep SIPRI's record as exported, so ``supplier`` and ``recipient`` hold
SIPRI's spelling with its marks (``UAE``, ``Turkiye``, ``European Union**``;
``*`` a non-state actor, ``**`` an organisation). The analysis functions built on them
(:mod:`analysis.transfers`, :mod:`analysis.deals`) return the display names the briefing prints,
with SIPRI's spelling beside them in ``<column>_sipri``; filter these tables with
:func:`analysis.transfers.select` or :func:`analysis.regions.resolve_selection`, which accept any
spelling, rather than with ``==``.

Tables are cached as Parquet under ``data/cache`` (or ``$BRIEFING_CACHE_DIR``), keyed by the
sha256 of the source files, the curated tables and the code that builds them; a changed input
rebuilds the cache.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable
from functools import lru_cache, partial
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import atomic, importers, sources
from analysis.errors import ParameterError, ValidationError

# The register transforms and their schemas live in analysis.tidy; named here for callers.
from analysis.tidy import METHOD_GIVEN as METHOD_GIVEN
from analysis.tidy import METHOD_SPREAD as METHOD_SPREAD
from analysis.tidy import ORDER_COLUMNS as ORDER_COLUMNS
from analysis.tidy import TRANSFER_COLUMNS as TRANSFER_COLUMNS
from analysis.tidy import orders_from as _orders_from
from analysis.tidy import release_cols as _release_cols
from analysis.tidy import transfers_from as _transfers_from

ROOT = sources.ROOT
CURATED = ROOT / "data" / "curated"
PRIMARY = "sipri_register"
REGISTERS = ("sipri_register", "sipri_register_2024", "sipri_register_china_2026")
SIPRI_CATEGORIES = (
    "Aircraft",
    "Air defence systems",
    "Anti-submarine warfare weapons",
    "Armoured vehicles",
    "Artillery",
    "Engines",
    "Missiles",
    "Naval weapons",
    "Satellites",
    "Sensors",
    "Ships",
    "Other",
)


# --------------------------------------------------------------------------- curated mappings
def category_map() -> dict[str, str]:
    """Weapon description -> SIPRI armament category, from data/curated/armament_categories.csv."""
    path = CURATED / "armament_categories.csv"
    if not path.exists():
        return {}
    m = pd.read_csv(path, dtype=str, keep_default_na=False)
    return dict(zip(m["description"], m["category"]))


# --------------------------------------------------------------------------- cache
def cache_dir() -> Path:
    env = os.environ.get("BRIEFING_CACHE_DIR")
    return Path(env) if env else ROOT / "data" / "cache"


def _code_hash() -> str:
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    code = [
        here / "data.py",
        *(here / "tidy").glob("*.py"),
        *(here / "calibrate").glob("*.py"),
        *(here / "importers").glob("*.py"),
    ]
    for p in sorted(code):  # the code that makes the tidy tables (and calibrate's measured errors)
        if p.exists():
            h.update(p.read_bytes())
    for p in sorted(CURATED.glob("*.csv")):
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def _file_digest(loc: sources.Located) -> str:
    if loc.record is not None:  # raw copies were verified against their record in locate()
        return str(loc.record["sha256"])
    p = loc.path
    if p.is_dir():
        return hashlib.sha256("".join(atomic.sha256_file(x) for x in sorted(p.iterdir()) if x.is_file()).encode()).hexdigest()
    st = p.stat()  # exports are read in place: key on size and mtime, then content hash
    return _digest_cached(str(p), st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=64)
def _digest_cached(path: str, size: int, mtime: int) -> str:
    return atomic.sha256_file(path)


#: Tables read from the Parquet cache in this process: path -> ((size, mtime_ns), frame). A
#: notebook calls ``transfers()`` several times and a batch worker for every state; the path
#: holds the content key, and the file's stamp is checked on each use.
_READ: dict[Path, tuple[tuple[int, int], pd.DataFrame]] = {}


def cached(name: str, source_ids: list[str], build: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """Return the table ``name`` from the Parquet cache, or ``build()`` it and cache it. A
    table already read in this process is not read again (each call returns a copy the caller
    may modify)."""
    locs = [sources.locate(s) for s in source_ids]
    key = hashlib.sha256("|".join([name, _code_hash(), *(_file_digest(loc) for loc in locs)]).encode()).hexdigest()[:20]
    path = cache_dir() / f"{name}-{key}.parquet"
    if path.exists():
        try:
            st = path.stat()
            stamp = (st.st_size, st.st_mtime_ns)
            hit = _READ.get(path)
            if hit is not None and hit[0] == stamp:
                return hit[1].copy()
            frame = pd.read_parquet(path)
            for old in [k for k in _READ if k.name.startswith(f"{name}-")]:
                del _READ[old]  # an older key's table is not kept beside the new one
            _READ[path] = (stamp, frame)
            return frame.copy()
        except Exception:  # a damaged cache file is rebuilt, never trusted
            _READ.pop(path, None)
            path.unlink(missing_ok=True)
    frame = build()
    try:
        with atomic.atomic_open(path, "wb") as fh:
            frame.to_parquet(fh, index=False)
        for old in cache_dir().glob(f"{name}-*.parquet"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only checkout still works, uncached
    return frame


def read_source(source_id: str) -> importers.Imported:
    """Locate and parse one catalogue source with its expected format."""
    loc = sources.locate(source_id)
    expected = (loc.record or {}).get("format") or loc.source.format
    return importers.read(loc.path, expected=expected)


# --------------------------------------------------------------------------- public loaders
def transfers(source: str = PRIMARY, method: str = "default") -> pd.DataFrame:
    """Deal x delivery-year table of one register release (default: the primary, March 2025).

    Columns: deal_id, supplier, recipient (SIPRI names; ``*`` marks a non-state actor, ``**`` an
    organisation), designation, description, category (SIPRI armament category, from the curated
    mapping for the classic export; NA where unmapped), order_year, order_year_est, n_ordered,
    n_ordered_est, n_delivered (units delivered that year; fractional when allocated),
    n_delivered_est, delivery_year, delivery_year_est (NA for the classic export, which does not
    say), status, status_note (second-hand, aid, licensed production, in SIPRI's words), comments,
    tiv_unit and tiv_delivered (TIV millions), estimate_note, release ("March 2025"), generated
    (the export's date), method (how the year's value was found), source (catalogue id).

    ``method="default"`` allocates each deal's TIV over its years as
    :data:`analysis.calibrate.PLAN` says: calibrated to SIPRI's TIV tables of the same release
    where held, shaped by the nearest release's tables where that was measured to do better
    than the even spread (:func:`analysis.calibrate.method_errors`); ``method="even"`` keeps
    the even spread.
    """
    if source not in REGISTERS and sources.source(source).format not in ("sipri_register_classic", "sipri_register_api"):
        raise ValidationError(f"source {source} is not a SIPRI trade register; use one of {', '.join(REGISTERS)}")
    if method not in ("default", "even"):
        raise ParameterError(f"method must be 'default' or 'even', got {method!r}")
    even = cached(f"transfers_{source}_even", [source], lambda: _transfers_from(read_source(source), source, category_map()))
    from analysis import calibrate

    plan = calibrate.PLAN.get(source)
    if method == "even" or not plan or even["method"].ne(METHOD_SPREAD).all():
        return even
    ids = [*plan["shape"], *plan["calibrate"]]

    def build() -> pd.DataFrame:
        fit = calibrate.apply(even, [tiv_cells(s) for s in plan["shape"]], [tiv_cells(s) for s in plan["calibrate"]])
        return fit.transfers[TRANSFER_COLUMNS]

    return cached(f"transfers_{source}", [source, *ids], build)


def tiv_cells(source: str) -> pd.DataFrame:
    """A SIPRI TIV table as cells (see :func:`analysis.tidy.tiv_cells`). The March 2022
    per-exporter tables (``sipri_tiv_by_exporter_2022``) are read as one table from their folder."""
    from analysis import tidy

    loc = sources.locate(source)
    if loc.source.format == "sipri_tiv_legacy":
        folder = loc.path.parent
        name = folder.name

        def build() -> pd.DataFrame:
            parts = [
                tidy.tiv_cells(importers.read(p, expected="sipri_tiv_legacy"), name)
                for p in sorted(folder.glob("TIV-Export-*.csv"))
            ]
            return pd.concat(parts, ignore_index=True)

        out = build()
        years = (int(out["year"].min()), int(out["year"].max()))
        m = re.search(r"(\d{4})-(\d{4})", name)
        if m:
            years = (int(m.group(1)), int(m.group(2)))
    else:
        imp = read_source(source)
        out = tidy.tiv_cells(imp, Path(loc.source.path).stem)
        years = out.attrs["years"]
    out.attrs.update(
        {
            "years": years,
            "kind": str(out["kind"].iloc[0]) if len(out) else "bilateral",
            "table": str(out["table"].iloc[0]) if len(out) else source,
            "release": str(out["release"].iloc[0]) if len(out) else "unknown",
            "source": source,
        }
    )
    return out


def orders(sources_: Iterable[str] = REGISTERS) -> pd.DataFrame:
    """One row per deal, for each named register release, stacked and labelled (``source``,
    ``release``). ``open`` is True for deals with no delivery recorded yet. Releases differ:
    never add figures across ``source`` values."""
    ids = list(sources_)
    frames = [cached(f"orders_{s}", [s], partial(_build_orders, s)) for s in ids]
    return pd.concat(frames, ignore_index=True)


def _build_orders(source: str) -> pd.DataFrame:
    return _orders_from(read_source(source), source, category_map())


def release_of(source: str = PRIMARY) -> dict[str, str]:
    """The release stamp of a source: label ("March 2025"), generated date, and credit line
    (in the current language: a chart's caption)."""
    from analysis import fmt
    from analysis.i18n import _, language

    loc = sources.locate(source)
    t = transfers(source) if source in REGISTERS else None
    if t is not None and len(t):
        label, generated = str(t["release"].iloc[0]), str(t["generated"].iloc[0])
    else:
        imp = read_source(source)
        label, generated = _release_cols(imp)
    src = loc.source
    return {
        "source": source,
        "release": label,
        "generated": generated,
        "credit": _("{credit}; {release} release, data generated {date}").format(
            credit=sources.localised(src, "credit"),
            release=fmt.release_name(label),
            date=generated if language() == "en" else fmt.long_date(generated),
        ),
    }


def unmapped_descriptions(t: pd.DataFrame) -> pd.DataFrame:
    """Weapon descriptions in ``t`` with no armament category, with their row counts."""
    m = t[t["category"].isna()]
    return m.groupby("description").size().rename("rows").sort_values(ascending=False).reset_index()


def _spread_check(t: pd.DataFrame) -> float:
    """Largest absolute difference between a deal's delivered TIV and the sum of its years."""
    return float(np.nan_to_num(t.groupby("deal_id")["tiv_delivered"].sum().max()))


# --------------------------------------------------------------------------- context tables
CONFLICT_SOURCES = ("ucdp_ged_country_year", "owid_conflict_deaths", "acled_fatalities")


def military_expenditure() -> pd.DataFrame:
    """SIPRI Military Expenditure Database (2025 release): country (SIPRI milex name), year,
    constant_2023_usd_m (US$ millions at constant 2023 prices: this IS money), share_of_gdp_pct
    (percent), region, release."""
    from analysis import tidy

    return cached("milex", ["sipri_milex"], lambda: tidy.military_expenditure(read_source("sipri_milex")))


def conflict_deaths() -> pd.DataFrame:
    """Conflict deaths by country, year and type of violence, one row per source: UCDP GED
    best estimates by type (2019-2023), UCDP GED all types via Our World in Data (1989-2024),
    ACLED reported fatalities (to 2025). Columns: country, iso3, year, type_of_violence, deaths,
    source. Sources count differently: compare like with like (filter on ``source``)."""
    from analysis import regions, tidy

    def build() -> pd.DataFrame:
        def iso3_of(name: str) -> str | None:
            try:
                return regions.iso3(regions.resolve(name))
            except Exception:
                return None

        return tidy.conflict_deaths(
            read_source("ucdp_ged_country_year"),
            read_source("owid_conflict_deaths"),
            read_source("acled_fatalities"),
            iso3_of=iso3_of,
            ged_version=sources.source("ucdp_ged_country_year").version or None,
        )

    return cached("conflict_deaths", list(CONFLICT_SOURCES), build)


def countries_reference() -> pd.DataFrame:
    """Country reference table: iso3, iso2, name, official_name, un_region, continent,
    gw_code (Gleditsch-Ward), from country_converter completed by pycountry. SIPRI's own names
    and regions are in :func:`analysis.regions.countries`."""
    from analysis import tidy

    return cached(
        "countries_reference",
        ["country_converter", "pycountry_iso3166"],
        lambda: tidy.countries_reference(read_source("country_converter"), read_source("pycountry_iso3166")),
    )


#: Sources the default briefing reads; `briefing data ensure` makes sure each is present.
BRIEFING_SOURCES = (
    "sipri_register",
    "sipri_register_2024",
    "sipri_register_china_2026",
    "sipri_milex",
    "ucdp_ged_country_year",
    "owid_conflict_deaths",
    "acled_fatalities",
    "naturalearth_110m",
)


def newer_supplier_release(supplier: str, after: int) -> pd.DataFrame | None:
    """The tidy transfers of a held register newer than the primary release that covers
    ``supplier`` only and holds deliveries after ``after`` (e.g. SIPRI's March 2026 export of
    China's transfers), or None. Such a release is never added to the primary series."""
    from analysis.errors import BriefingError

    for sid in REGISTERS:
        if sid in (PRIMARY, "sipri_register_2024"):
            continue
        try:
            t = transfers(sid)
        except BriefingError:
            continue
        if set(t["supplier"].unique()) == {supplier} and int(t["delivery_year"].max()) > after:
            return t
    return None
