"""The SIPRI Military Expenditure Database as a tidy table.

``military_expenditure(milex)``
    SIPRI Military Expenditure Database: country (SIPRI's milex name), year, constant_2023_usd_m
    (US$ millions at constant 2023 prices and exchange rates: money, unlike TIV),
    share_of_gdp_pct (percent), region and subregion (SIPRI's headings: Egypt is in the Middle
    East, not Africa), usd_flag / share_flag ("estimate" = SIPRI estimate, "uncertain" = highly
    uncertain, from the cell colour), release. Country-years with neither value are left out.
"""

from __future__ import annotations

import pandas as pd

from analysis.errors import ValidationError
from analysis.importers import Imported
from analysis.tidy.validation import expect, validate

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


def military_expenditure(milex: Imported) -> pd.DataFrame:
    """SIPRI milex, one row per country and year (see the module docstring).

    Steps:

    * the parsed workbook checked: its format, a release stamp, the columns needed, no
      (country, year, measure) twice;
    * one column per measure (constant_2023_usd_m, share_of_gdp_pct) with its flag, joined on
      country and year;
    * each country's region and subregion (refused if a country sits under two headings);
    * country-years with neither value left out; release; sorted by country and year; dtypes;
    * :func:`~analysis.tidy.validation.validate`: one row per country and year, values in range,
      flags "estimate" or "uncertain".
    """
    imp = expect(milex, "sipri_milex_workbook", "military_expenditure")
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
