"""Conflict deaths from UCDP GED, Our World in Data and ACLED as one tidy table.

``conflict_deaths(ged, owid, acled, iso3_of=None)``
    country (as each publisher spells it), iso3 (NA unless ``iso3_of`` is given), year,
    type_of_violence ("state-based" | "non-state" | "one-sided" from UCDP GED; "all (UCDP GED via
    OWID)"; "ACLED reported fatalities"), deaths, source (dataset and version). Publishers count
    differently: compare like with like (filter on ``source``). OWID's regional aggregates
    ("Africa", "World", ...) are left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from analysis.errors import ValidationError
from analysis.importers import Imported
from analysis.tidy.validation import expect, validate

CONFLICT_COLUMNS = ["country", "iso3", "year", "type_of_violence", "deaths", "source"]
GED_TYPES = {1: "state-based", 2: "non-state", 3: "one-sided"}
OWID_TYPE = "all (UCDP GED via OWID)"
ACLED_TYPE = "ACLED reported fatalities"
VIOLENCE_TYPES = (*GED_TYPES.values(), OWID_TYPE, ACLED_TYPE)
# UCDP's regions as OWID lists them beside countries; not countries.
OWID_AGGREGATES = {
    "World",
    "Africa",
    "Americas",
    "Asia and Oceania",
    "Asia",
    "Europe",
    "Middle East",
    "Oceania",
    "North America",
    "South America",
}
OWID_DEATHS = re.compile(r"^Deaths in ongoing conflicts \(best estimate\).*Conflict type: all$")
_ISO3 = re.compile(r"^[A-Z]{3}$")


def _whole(s: pd.Series, what: str) -> pd.Series:
    v = pd.to_numeric(s).astype("Float64")
    frac = v.notna() & (v != v.round())
    if frac.any():
        raise ValidationError(f"conflict_deaths: {what} has a fractional death count ({v[frac].iloc[0]}); expected whole numbers")
    return v.round().astype("Int64")


def _ged_part(ged: Imported, version: str | None) -> pd.DataFrame:
    imp = expect(ged, "ucdp_ged_country_year", "conflict_deaths (ged)")
    f = imp.frame
    ver = version or imp.release
    source = f"UCDP GED {'v' + ver.lstrip('v') if ver else '(version not stated in the file)'}, country-year aggregate"
    unknown = sorted(set(f["type_of_violence"].dropna()) - set(GED_TYPES))
    if unknown:
        raise ValidationError(f"conflict_deaths: GED type_of_violence {unknown[0]} is not 1, 2 or 3")
    return pd.DataFrame(
        {
            "country": f["country"],
            "year": f["year"],
            "type_of_violence": f["type_of_violence"].map(GED_TYPES),
            "deaths": _whole(f["best_deaths"], "UCDP GED"),
            "source": source,
        }
    )


def _owid_part(owid: Imported) -> pd.DataFrame:
    imp = expect(owid, "owid_grapher", "conflict_deaths (owid)")
    f = imp.frame
    cols = [c for c in f.columns if OWID_DEATHS.match(str(c))]
    if len(cols) != 1:
        raise ValidationError(
            f"conflict_deaths: {imp.path.name} is not OWID's 'deaths in armed conflicts' chart (no column "
            f"'Deaths in ongoing conflicts (best estimate) - Conflict type: all'; found {', '.join(map(str, f.columns[1:]))})"
        )
    keep = ~f["Entity"].isin(OWID_AGGREGATES)
    if "Code" in f.columns:
        keep &= ~f["Code"].fillna("").str.startswith("OWID_WRL")
    f = f[keep & f[cols[0]].notna()]
    y0, y1 = imp.meta.get("years") or (int(f["Year"].min()), int(f["Year"].max()))
    return pd.DataFrame(
        {
            "country": f["Entity"],
            "year": f["Year"],
            "type_of_violence": OWID_TYPE,
            "deaths": _whole(f[cols[0]], "OWID"),
            "source": f"UCDP GED via Our World in Data ({y0}-{y1} download)",
        }
    )


def _acled_part(acled: Imported) -> pd.DataFrame:
    imp = expect(acled, "acled_aggregate", "conflict_deaths (acled)")
    measure = imp.meta.get("measure")
    if measure != "reported_fatalities" or imp.meta.get("grain") != "year":
        raise ValidationError(
            f"conflict_deaths: expected ACLED's 'number of reported fatalities by country-year' file, got "
            f"{imp.path.name} (measure {measure or 'unknown: keep ACLED’s file name'})"
        )
    f = imp.frame
    stamp = imp.release or "release not stated"
    return pd.DataFrame(
        {
            "country": f["COUNTRY"],
            "year": f["YEAR"],
            "type_of_violence": ACLED_TYPE,
            "deaths": _whole(f["FATALITIES"], "ACLED"),
            "source": f"ACLED aggregate, {stamp}",
        }
    )


def conflict_deaths(
    ged: Imported | None,
    owid: Imported | None,
    acled: Imported | None,
    *,
    iso3_of: Callable[[str], str | None] | None = None,
    ged_version: str | None = None,
) -> pd.DataFrame:
    """Conflict deaths by country, year and type of violence, one block per source (see the
    module docstring). ``ged_version`` ("24.1") labels the GED aggregate, which does not state
    its version; ``iso3_of`` maps a publisher's country name to ISO3 (None if unknown).

    Steps:

    * one block per source given: UCDP GED (its types of violence named, labelled with
      ``ged_version``), OWID (the all-types deaths column; regional aggregates left out), ACLED
      (reported fatalities by country-year); each checked for its format, deaths whole numbers;
    * the blocks stacked; dtypes;
    * iso3 from ``iso3_of`` (refused unless a 3-letter code or None);
    * sorted by source, country, year and type of violence;
    * :func:`~analysis.tidy.validation.validate`: one row per country, year, type and source,
      years and deaths in range, types of :data:`VIOLENCE_TYPES`.
    """
    parts = []
    if ged is not None:
        parts.append(_ged_part(ged, ged_version))
    if owid is not None:
        parts.append(_owid_part(owid))
    if acled is not None:
        parts.append(_acled_part(acled))
    if not parts:
        raise ValidationError("conflict_deaths: no source given; pass at least one of ged, owid, acled")
    out = pd.concat(
        [p.astype({"country": "string", "type_of_violence": "string", "source": "string"}) for p in parts], ignore_index=True
    )
    out["year"] = out["year"].astype("Int64")
    out["deaths"] = out["deaths"].astype("Int64")
    iso = pd.Series(pd.NA, index=out.index, dtype="string")
    if iso3_of is not None:
        names = out["country"].dropna().unique()
        mapping = {}
        for n in names:
            code = iso3_of(str(n))
            if code is not None and (not isinstance(code, str) or not _ISO3.match(code)):
                raise ValidationError(f"conflict_deaths: iso3_of({n!r}) returned {code!r}, not a 3-letter ISO code or None")
            mapping[n] = code
        iso = out["country"].map(mapping).astype("string")
    out.insert(1, "iso3", iso)
    out = out.sort_values(["source", "country", "year", "type_of_violence"], ignore_index=True)
    return validate(
        out,
        "conflict_deaths",
        CONFLICT_COLUMNS,
        dtypes={
            "country": "string",
            "iso3": "string",
            "year": "Int64",
            "type_of_violence": "string",
            "deaths": "Int64",
            "source": "string",
        },
        unique=["country", "year", "type_of_violence", "source"],
        not_null=["country", "year", "type_of_violence", "deaths", "source"],
        ranges={"year": (1946, 2100), "deaths": (0, 10_000_000)},
        allowed={"type_of_violence": VIOLENCE_TYPES},
        patterns={"iso3": r"[A-Z]{3}"},
    )
