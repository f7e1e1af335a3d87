"""Context tables from parsed source files: pure functions from :class:`~analysis.importers.Imported`
to the project's tidy tables, each validated (columns, dtypes, ranges, unique keys) with a one-line
:class:`~analysis.errors.ValidationError` naming the first broken rule.

``military_expenditure(milex)``
    SIPRI Military Expenditure Database: country (SIPRI's milex name), year, constant_2023_usd_m
    (US$ millions at constant 2023 prices and exchange rates: money, unlike TIV),
    share_of_gdp_pct (percent), region and subregion (SIPRI's headings: Egypt is in the Middle
    East, not Africa), usd_flag / share_flag ("estimate" = SIPRI estimate, "uncertain" = highly
    uncertain, from the cell colour), release. Country-years with neither value are left out.
``conflict_deaths(ged, owid, acled, iso3_of=None)``
    country (as each publisher spells it), iso3 (NA unless ``iso3_of`` is given), year,
    type_of_violence ("state-based" | "non-state" | "one-sided" from UCDP GED; "all (UCDP GED via
    OWID)"; "ACLED reported fatalities"), deaths, source (dataset and version). Publishers count
    differently: compare like with like (filter on ``source``). OWID's regional aggregates
    ("Africa", "World", ...) are left out.
``countries_reference(cc, pyc)``
    iso3, iso2 (pycountry's, else country_converter's), name (country_converter's short name), official_name (ISO 3166 via pycountry,
    else country_converter's), un_region, continent, gw_code (Gleditsch-Ward), cow_code (NA: the
    tables carry no COW code), iso3166 (True if pycountry lists the code: a current ISO country).

These functions read no files: callers pass what :func:`analysis.importers.read` returned.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from typing import Any

import pandas as pd

from analysis.errors import ValidationError
from analysis.importers import Imported

MILEX_COLUMNS = [
    "country",
    "year",
    "constant_2023_usd_m",
    "share_of_gdp_pct",
    "region",
    "subregion",
    "usd_flag",
    "share_flag",
    "release",
]
CONFLICT_COLUMNS = ["country", "iso3", "year", "type_of_violence", "deaths", "source"]
COUNTRY_COLUMNS = ["iso3", "iso2", "name", "official_name", "un_region", "continent", "gw_code", "cow_code", "iso3166"]
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


# --------------------------------------------------------------------------- validation
def validate(
    frame: pd.DataFrame,
    name: str,
    columns: list[str],
    *,
    dtypes: dict[str, str] | None = None,
    unique: list[str] | None = None,
    not_null: Iterable[str] = (),
    ranges: dict[str, tuple[float, float]] | None = None,
    allowed: dict[str, Iterable[Any]] | None = None,
    patterns: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Check a tidy table; raise ValidationError naming the first broken rule."""
    if list(frame.columns) != columns:
        missing = [c for c in columns if c not in frame.columns]
        extra = [c for c in frame.columns if c not in columns]
        raise ValidationError(
            f"table {name}: columns differ (missing: {', '.join(missing) or 'none'}; "
            f"unexpected: {', '.join(map(str, extra)) or 'none'}; expected order {', '.join(columns)})"
        )
    for c, kind in (dtypes or {}).items():
        dt = frame[c].dtype
        ok = {
            "string": pd.api.types.is_string_dtype(dt) and not pd.api.types.is_object_dtype(dt),
            "Int64": str(dt) == "Int64",
            "Float64": str(dt) == "Float64",
            "boolean": str(dt) == "boolean",
        }[kind]
        if not ok:
            raise ValidationError(f"table {name}: column {c} has dtype {dt}, expected {kind}")
    for c in not_null:
        n = int(frame[c].isna().sum())
        if n:
            raise ValidationError(f"table {name}: {n} empty value(s) in column {c}")
    for c, (lo, hi) in (ranges or {}).items():
        s = frame[c].dropna()
        bad = s[(s < lo) | (s > hi)]
        if len(bad):
            raise ValidationError(f"table {name}: column {c} has {len(bad)} value(s) outside {lo}..{hi}, e.g. {bad.iloc[0]}")
    for c, values in (allowed or {}).items():
        bad = frame.loc[frame[c].notna() & ~frame[c].isin(list(values)), c]
        if len(bad):
            raise ValidationError(f"table {name}: column {c} has unexpected value {bad.iloc[0]!r}")
    for c, pattern in (patterns or {}).items():
        s = frame[c].dropna().astype(str)
        bad = s[~s.str.fullmatch(pattern)]
        if len(bad):
            raise ValidationError(f"table {name}: column {c} has malformed value {bad.iloc[0]!r} (expected {pattern})")
    if unique:
        dup = frame.duplicated(unique, keep=False)
        if dup.any():
            first = frame.loc[dup, unique].iloc[0].to_dict()
            raise ValidationError(f"table {name}: {int(dup.sum())} rows share the key ({', '.join(unique)}), e.g. {first}")
    return frame


def _expect(imp: Imported | None, fmt: str, what: str) -> Imported:
    if not isinstance(imp, Imported):
        raise ValidationError(f"{what}: expected a parsed {fmt} file (analysis.importers.read), got {type(imp).__name__}")
    if imp.format != fmt:
        raise ValidationError(f"{what}: expected a {fmt} file, got {imp.format} ({imp.path.name})")
    return imp


# --------------------------------------------------------------------------- SIPRI registers
METHOD_SPREAD = "even spread: the classic export's delivered units and TIV spread evenly over the deal's delivery years"
METHOD_GIVEN = "as given: the API export's yearly deliveries"
ESTIMATE_MARK = "?"
ESTIMATE_FOOTNOTE = "? = SIPRI estimate (SIPRI marks the value as uncertain)"
TRANSFER_COLUMNS = [
    "deal_id",
    "supplier",
    "recipient",
    "designation",
    "description",
    "category",
    "order_year",
    "order_year_est",
    "n_ordered",
    "n_ordered_est",
    "n_delivered",
    "n_delivered_est",
    "delivery_year",
    "delivery_year_est",
    "status",
    "status_note",
    "comments",
    "tiv_unit",
    "tiv_delivered",
    "estimate_note",
    "release",
    "generated",
    "method",
    "source",
]
ORDER_COLUMNS = [
    "deal_id",
    "supplier",
    "recipient",
    "designation",
    "description",
    "category",
    "order_year",
    "order_year_est",
    "n_ordered",
    "n_ordered_est",
    "n_delivered",
    "n_delivered_est",
    "delivery_years",
    "first_delivery",
    "last_delivery",
    "status",
    "status_note",
    "comments",
    "tiv_unit",
    "tiv_order",
    "tiv_delivered",
    "open",
    "order_year_shown",
    "n_ordered_shown",
    "n_delivered_shown",
    "estimate_note",
    "release",
    "generated",
    "source",
]
# Comment fragments that change what a row means: second-hand, aid, gifts, loans, leases, licences.
_MEANING = re.compile(r"second[- ]hand|\baid\b|\bgift|\bloan\b|\blease|licen[cs]e|donat", re.I)


def stable_ids(frame: pd.DataFrame) -> pd.Series:
    """Deal ids for the classic export, which has none: a hash of the fields that identify a
    deal (recipient, supplier, order year, designation, description, number ordered, comments),
    plus an occurrence number for exact repeats. Stable across runs and, where SIPRI left a
    deal's fields unchanged, across releases."""
    parts = [
        frame[c].astype("string").fillna("")
        for c in ("recipient", "supplier", "order_year", "designation", "description", "n_ordered", "comments")
    ]
    key = parts[0].str.cat(parts[1:], sep="|")
    occ = key.groupby(key).cumcount().astype(str)
    return (key + "#" + occ).map(lambda k: "h" + hashlib.blake2b(k.encode("utf-8"), digest_size=6).hexdigest())


def release_cols(imp: Imported) -> tuple[str, str]:
    """(release label "March 2025", generated date "2025-03-13") of a parsed SIPRI file."""
    label = imp.meta.get("release_label") or "unknown"
    generated = pd.Timestamp(imp.meta["generated"]).strftime("%Y-%m-%d") if imp.meta.get("generated") else ""
    return label, generated


def status_note(status: pd.Series, comments: pd.Series) -> pd.Series:
    """What SIPRI's status and comments say that changes a row's meaning: "Second hand" (status),
    and comment fragments on second-hand, aid, gift, loan, lease or licensed production, kept in
    SIPRI's words ("Possibly Second-hand", "Aid"); "" where there is none."""
    out = []
    for st, com in zip(status.fillna("").astype(str), comments.fillna("").astype(str)):
        parts = [st] if st and st != "New" else []
        parts += [f.strip() for f in com.split(";") if _MEANING.search(f)]
        out.append("; ".join(dict.fromkeys(p for p in parts if p)))
    return pd.Series(out, index=status.index, dtype="string")


def _shown(value: pd.Series, est: pd.Series) -> pd.Series:
    v = value.astype("string").fillna("")
    mark = est.fillna(False).astype(bool) & v.ne("")
    return (v + mark.map({True: ESTIMATE_MARK, False: ""})).astype("string")


def estimate_note(frame: pd.DataFrame) -> pd.Series:
    """ "SIPRI estimate: order year, number ordered" etc. for the values SIPRI marks with '?';
    "" where none is."""
    names = {"order_year_est": "order year", "n_ordered_est": "number ordered", "n_delivered_est": "number delivered"}
    cols = [c for c in names if c in frame]
    flags = frame[cols].fillna(False).astype(bool)
    notes = flags.apply(lambda r: ", ".join(names[c] for c in cols if r[c]), axis=1) if len(frame) else pd.Series([], dtype=str)
    return ("SIPRI estimate: " + notes).where(notes.ne(""), "").astype("string")


def _annotate(out: pd.DataFrame) -> pd.DataFrame:
    for c in ("order_year_est", "n_ordered_est", "n_delivered_est"):
        out[c] = out[c].fillna(False).astype(bool)
    out["status_note"] = status_note(out["status"], out["comments"])
    out["estimate_note"] = estimate_note(out)
    return out


def orders_from(imp: Imported, source_id: str, categories: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per deal from a parsed register (classic or API format); ``categories`` maps
    weapon descriptions to SIPRI armament categories (classic export). Estimate flags are kept
    (``*_est``, and ``*_shown`` as SIPRI prints them: "80?"); ``status_note`` keeps what the
    status and comments say about second-hand, aid or licensed production."""
    cats = categories or {}
    label, generated = release_cols(imp)
    f = imp.frame
    if imp.format == "sipri_register_classic":
        out = f.drop(columns=["line"]).copy()
        out["deal_id"] = stable_ids(out)
        years = out["delivery_years"].str.split("; ")
        first = years.map(lambda ys: int(ys[0]) if ys and ys[0] else None)
        last = years.map(lambda ys: int(ys[-1]) if ys and ys[0] else None)
        out["first_delivery"] = pd.array(first, dtype="Int64")
        out["last_delivery"] = pd.array(last, dtype="Int64")
        out["category"] = out["description"].map(cats)
    elif imp.format == "sipri_register_api":
        g = f.sort_values("delivery_year").groupby("deal_id", sort=False)
        out = g.agg(
            supplier=("supplier", "first"),
            recipient=("recipient", "first"),
            designation=("designation", "first"),
            description=("description", "first"),
            category=("category", "first"),
            order_year=("order_year", "first"),
            order_year_est=("order_year_est", "first"),
            n_delivered=("n_delivered", "sum"),
            n_delivered_est=("n_delivered_est", "max"),
            first_delivery=("delivery_year", "min"),
            last_delivery=("delivery_year", "max"),
            status=("status", "first"),
            tiv_unit=("tiv_unit", "first"),
            tiv_delivered=("tiv_delivered", "sum"),
            local=("local_production", "max"),
        ).reset_index()
        out["deal_id"] = out["deal_id"].astype(str)
        out["delivery_years"] = (
            g["delivery_year"].apply(lambda s: "; ".join(str(int(y)) for y in sorted(s.dropna().unique()))).values
        )
        out["n_ordered"] = pd.array([pd.NA] * len(out), dtype="Int64")
        out["n_ordered_est"] = False
        out["tiv_order"] = pd.array([pd.NA] * len(out), dtype="Float64")
        out["comments"] = out["local"].map({True: "Local production", False: ""}).fillna("")
    else:
        raise ValidationError(f"{imp.path.name}: a {imp.format} file is not a trade register")
    out["open"] = (out["delivery_years"].eq("") | out["n_delivered"].fillna(0).eq(0)).astype(bool)
    out = _annotate(out)
    out["order_year_shown"] = _shown(out["order_year"], out["order_year_est"])
    out["n_ordered_shown"] = _shown(out["n_ordered"], out["n_ordered_est"])
    out["n_delivered_shown"] = _shown(out["n_delivered"], out["n_delivered_est"])
    out["release"] = label
    out["generated"] = generated
    out["source"] = source_id
    out = out[ORDER_COLUMNS].reset_index(drop=True)
    return validate(
        out,
        f"orders[{source_id}]",
        ORDER_COLUMNS,
        unique=["deal_id"],
        not_null=["deal_id", "supplier", "recipient"],
        ranges={"order_year": (1900, 2100), "first_delivery": (1900, 2100), "tiv_delivered": (0, 1e6)},
    )


def transfers_from(imp: Imported, source_id: str, categories: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per deal and delivery year from a parsed register. From the classic export the
    deal's delivered units and TIV are spread evenly over its delivery years (``method`` says
    so; :mod:`analysis.calibrate` re-allocates them to SIPRI's TIV tables); from the API
    format, yearly values are taken as given."""
    cats = categories or {}
    label, generated = release_cols(imp)
    f = imp.frame
    if imp.format == "sipri_register_classic":
        deals = f.drop(columns=["line"]).copy()
        deals["deal_id"] = stable_ids(deals)
        deals = deals[deals["delivery_years"].ne("")]
        years = deals["delivery_years"].str.split("; ")
        k = years.map(len)
        long = deals.assign(delivery_year=years, _k=k).explode("delivery_year")
        long["delivery_year"] = long["delivery_year"].astype(int).astype("Int64")
        long["n_delivered"] = (long["n_delivered"].astype("Float64") / long["_k"]).astype("Float64")
        long["tiv_delivered"] = (long["tiv_delivered"] / long["_k"]).astype("Float64")
        long["delivery_year_est"] = pd.array([pd.NA] * len(long), dtype="boolean")
        long["category"] = long["description"].map(cats)
        long["method"] = METHOD_SPREAD
    elif imp.format == "sipri_register_api":
        long = f.drop(columns=["line"]).copy()
        long = long[long["delivery_year"].notna()]
        long["deal_id"] = long["deal_id"].astype(str)
        long["n_ordered"] = pd.array([pd.NA] * len(long), dtype="Int64")
        long["n_ordered_est"] = False
        long["comments"] = long["local_production"].map({True: "Local production", False: ""}).fillna("")
        long["delivery_year_est"] = long["delivery_year_est"].astype("boolean")
        long["method"] = METHOD_GIVEN
    else:
        raise ValidationError(f"{imp.path.name}: a {imp.format} file is not a trade register")
    long = _annotate(long)
    long["release"] = label
    long["generated"] = generated
    long["source"] = source_id
    out = long[TRANSFER_COLUMNS].reset_index(drop=True)
    out["category"] = out["category"].astype("string")
    out["method"] = out["method"].astype("string")
    return validate(
        out,
        f"transfers[{source_id}]",
        TRANSFER_COLUMNS,
        unique=["deal_id", "delivery_year"],
        not_null=["deal_id", "supplier", "recipient", "delivery_year", "release", "method"],
        ranges={"delivery_year": (1900, 2100), "order_year": (1900, 2100), "tiv_delivered": (0, 1e5), "n_delivered": (0, 1e6)},
    )


def tiv_cells(imp: Imported, name: str | None = None) -> pd.DataFrame:
    """A SIPRI TIV table (``sipri_tiv_table`` or ``sipri_tiv_legacy``) as cells: table (its name),
    release, kind ("bilateral": supplier x recipient; "importer": recipient totals over all
    suppliers; "exporter": supplier totals over all recipients), supplier, recipient, year, tiv
    (the printed integer, TIV millions), lo and hi (the interval SIPRI's rounding allows: "0" is
    0-0.5, n is n-0.5..n+0.5). Total rows are left out; empty cells (no deliveries) are not
    listed. ``years`` in ``attrs`` are the years the table covers."""
    if imp.format not in ("sipri_tiv_table", "sipri_tiv_legacy"):
        raise ValidationError(f"tiv_cells: expected a SIPRI TIV table, got {imp.format} ({imp.path.name})")
    label, generated = release_cols(imp)
    f = imp.frame[~imp.frame["is_total"]].copy()
    name = name or imp.path.stem
    title = str(imp.meta.get("title", ""))
    if imp.format == "sipri_tiv_legacy":
        kind = "bilateral"
        sup, rec = f["supplier"], f["entity"]
    else:
        labels = set(f["row_label"])
        totals = set(imp.frame.loc[imp.frame["is_total"], "entity"])
        if labels == {"Exports by"}:
            kind, sup, rec = "exporter", f["entity"], pd.Series(pd.NA, index=f.index, dtype="string")
        elif any(str(t).startswith("Total world import") for t in totals):
            kind, sup, rec = "importer", pd.Series(pd.NA, index=f.index, dtype="string"), f["entity"]
        else:
            m = [re.match(r"Total imports from (.+)$", str(t)) for t in totals]
            named = {x.group(1) for x in m if x}
            kind = "bilateral"
            if f["supplier"].notna().all():
                sup = f["supplier"]
            elif len(named) == 1:
                sup = pd.Series(named.pop(), index=f.index)
            else:
                raise ValidationError(f"tiv_cells: {imp.path.name} does not say which supplier its rows are from")
            rec = f["entity"]
    if imp.format == "sipri_tiv_legacy":
        years = (int(imp.frame["year"].min()), int(imp.frame["year"].max()))
        span = re.search(r"(\d{4})-(\d{4})", imp.path.name)
        if span:
            years = (int(span.group(1)), int(span.group(2)))
    else:
        years = (int(imp.frame["year"].min()), int(imp.frame["year"].max()))
    tiv = f["tiv"].astype(float)
    out = pd.DataFrame(
        {
            "table": name,
            "release": label,
            "generated": generated,
            "kind": kind,
            "supplier": sup.astype("string").values,
            "recipient": rec.astype("string").values,
            "year": f["year"].astype("Int64").values,
            "tiv": tiv.values,
            "lo": (tiv - 0.5).clip(lower=0).values,
            "hi": (tiv + 0.5).values,
        }
    )
    out = out.reset_index(drop=True)
    out.attrs.update({"years": years, "kind": kind, "table": name, "release": label, "title": title})
    return out


# --------------------------------------------------------------------------- military expenditure
def military_expenditure(milex: Imported) -> pd.DataFrame:
    """SIPRI milex, one row per country and year (see the module docstring)."""
    imp = _expect(milex, "sipri_milex_workbook", "military_expenditure")
    if not imp.release:
        raise ValidationError(f"military_expenditure: {imp.path.name} has no release stamp; cannot label the figures")
    f = imp.frame
    need = {"country", "region", "subregion", "year", "measure", "value", "flag"}
    if not need <= set(f.columns):
        raise ValidationError(
            f"military_expenditure: the parsed workbook lacks column(s) {', '.join(sorted(need - set(f.columns)))}"
        )
    dup = f.duplicated(["country", "year", "measure"], keep=False)
    if dup.any():
        r = f[dup].iloc[0]
        raise ValidationError(
            f"military_expenditure: {int(dup.sum())} rows of {imp.path.name} repeat the key "
            f"(country, year, measure), e.g. {r['country']} {r['year']} {r['measure']}"
        )
    parts = []
    for measure, flag in (("constant_2023_usd_m", "usd_flag"), ("share_of_gdp_pct", "share_flag")):
        m = f.loc[f["measure"] == measure, ["country", "year", "value", "flag"]]
        if m.empty:
            raise ValidationError(f"military_expenditure: no {measure} rows in {imp.path.name}")
        parts.append(m.rename(columns={"value": measure, "flag": flag}))
    out = parts[0].merge(parts[1], on=["country", "year"], how="outer", validate="one_to_one")
    regions = f[["country", "region", "subregion"]].drop_duplicates()
    clash = regions["country"].duplicated(keep=False)
    if clash.any():
        raise ValidationError(
            f"military_expenditure: {regions.loc[clash, 'country'].iloc[0]!r} sits under different "
            "regional headings in the two sheets"
        )
    out = out.merge(regions, on="country", how="left", validate="many_to_one")
    out = out[out["constant_2023_usd_m"].notna() | out["share_of_gdp_pct"].notna()]
    out["release"] = imp.release
    out = out[MILEX_COLUMNS].sort_values(["country", "year"], ignore_index=True)
    for c in ("country", "region", "subregion", "usd_flag", "share_flag", "release"):
        out[c] = out[c].astype("string")
    out["year"] = out["year"].astype("Int64")
    for c in ("constant_2023_usd_m", "share_of_gdp_pct"):
        out[c] = out[c].astype("Float64")
    return validate(
        out,
        "military_expenditure",
        MILEX_COLUMNS,
        dtypes={
            "country": "string",
            "year": "Int64",
            "constant_2023_usd_m": "Float64",
            "share_of_gdp_pct": "Float64",
            "region": "string",
            "release": "string",
        },
        unique=["country", "year"],
        not_null=["country", "year", "region", "release"],
        ranges={"year": (1949, 2100), "constant_2023_usd_m": (0, 5e6), "share_of_gdp_pct": (0, 200)},  # Kuwait 1991: 117 %
        allowed={"usd_flag": ("estimate", "uncertain"), "share_flag": ("estimate", "uncertain")},
    )


# --------------------------------------------------------------------------- conflict deaths
def _whole(s: pd.Series, what: str) -> pd.Series:
    v = pd.to_numeric(s).astype("Float64")
    frac = v.notna() & (v != v.round())
    if frac.any():
        raise ValidationError(f"conflict_deaths: {what} has a fractional death count ({v[frac].iloc[0]}); expected whole numbers")
    return v.round().astype("Int64")


def _ged_part(ged: Imported, version: str | None) -> pd.DataFrame:
    imp = _expect(ged, "ucdp_ged_country_year", "conflict_deaths (ged)")
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
    imp = _expect(owid, "owid_grapher", "conflict_deaths (owid)")
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
    imp = _expect(acled, "acled_aggregate", "conflict_deaths (acled)")
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
    its version; ``iso3_of`` maps a publisher's country name to ISO3 (None if unknown)."""
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


# --------------------------------------------------------------------------- countries
_COW_COLUMNS = ("COW", "COWcode", "CoW", "cowcode", "ccode")


def countries_reference(cc: Imported, pyc: Imported) -> pd.DataFrame:
    """One row per ISO3 code from country_converter's table, completed from pycountry (see the
    module docstring)."""
    c = _expect(cc, "country_converter_tsv", "countries_reference (cc)").frame
    p = _expect(pyc, "pycountry_json", "countries_reference (pyc)").frame
    cow_col = next((k for k in _COW_COLUMNS if k in c.columns), None)
    # country_converter keeps a few pseudo-codes (BA1, British Antarctic Territories, obsolete
    # 1979): not ISO, left out. Its ISO2 is a regex for two countries ("^GB$|^UK$"): the first
    # alternative is the ISO code.
    c = c[c["ISO3"].fillna("").str.fullmatch(r"[A-Z]{3}")]
    alts_cc = [re.findall(r"[A-Z]{2}", v) if isinstance(v, str) else [] for v in c["ISO2"].tolist()]
    left = pd.DataFrame(
        {
            "iso3": c["ISO3"],
            "iso2": [a[0] if a else None for a in alts_cc],
            "iso2_alts": pd.Series([",".join(a) for a in alts_cc], index=c.index, dtype=object),
            "name": c["name_short"],
            "official_cc": c["name_official"],
            "un_region": c["UNregion"],
            "continent": c["continent"],
            "gw_code": c["GWcode"].astype("Int64"),
            "cow_code": (
                pd.to_numeric(c[cow_col]).astype("Int64") if cow_col else pd.Series(pd.NA, index=c.index, dtype="Int64")
            ),
        }
    )
    right = pd.DataFrame(
        {
            "iso3": p["alpha_3"],
            "iso2_p": p["alpha_2"],
            "name_p": p["common_name"].fillna(p["name"]),
            "official_p": p["official_name"],
            "iso3166": True,
        }
    )
    out = left.merge(right, on="iso3", how="outer", validate="one_to_one")
    alts = [a.split(",") if isinstance(a, str) else [] for a in out["iso2_alts"].tolist()]
    both = (
        out["iso2"].notna()
        & out["iso2_p"].notna()
        & ~pd.Series([isinstance(p2, str) and p2 in a for p2, a in zip(out["iso2_p"].tolist(), alts)], index=out.index)
    )
    if both.any():
        r = out[both].iloc[0]
        raise ValidationError(
            f"countries_reference: {r['iso3']} has ISO2 {r['iso2']} in country_converter but "
            f"{r['iso2_p']} in pycountry; check the two tables' versions"
        )
    out["iso2"] = out["iso2_p"].fillna(out["iso2"])
    out["name"] = out["name"].fillna(out["name_p"])
    out["official_name"] = out["official_p"].fillna(out["official_cc"]).fillna(out["name_p"])
    out["iso3166"] = out["iso3166"].fillna(False).astype("boolean")
    out = out[COUNTRY_COLUMNS].sort_values("iso3", ignore_index=True)
    for k in ("iso3", "iso2", "name", "official_name", "un_region", "continent"):
        out[k] = out[k].astype("string")
    for k in ("gw_code", "cow_code"):
        out[k] = out[k].astype("Int64")
    return validate(
        out,
        "countries_reference",
        COUNTRY_COLUMNS,
        dtypes={
            "iso3": "string",
            "iso2": "string",
            "name": "string",
            "gw_code": "Int64",
            "cow_code": "Int64",
            "iso3166": "boolean",
        },
        unique=["iso3"],
        not_null=["iso3", "name"],
        ranges={"gw_code": (2, 999), "cow_code": (2, 999)},
        patterns={"iso3": r"[A-Z]{3}", "iso2": r"[A-Z]{2}"},
        allowed={"continent": ("Africa", "America", "Asia", "Europe", "Oceania", "Antarctica")},
    )
