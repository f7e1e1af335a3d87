"""The country reference table, from country_converter completed by pycountry.

``countries_reference(cc, pyc)``
    iso3, iso2 (pycountry's, else country_converter's), name (country_converter's short name), official_name (ISO 3166 via pycountry,
    else country_converter's), un_region, continent, gw_code (Gleditsch-Ward), cow_code (NA: the
    tables carry no COW code), iso3166 (True if pycountry lists the code: a current ISO country).
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.errors import ValidationError
from analysis.importers import Imported
from analysis.tidy.validation import expect, validate

COUNTRY_COLUMNS = ["iso3", "iso2", "name", "official_name", "un_region", "continent", "gw_code", "cow_code", "iso3166"]
_COW_COLUMNS = ("COW", "COWcode", "CoW", "cowcode", "ccode")


def countries_reference(cc: Imported, pyc: Imported) -> pd.DataFrame:
    """One row per ISO3 code from country_converter's table, completed from pycountry (see the
    module docstring).

    Steps:

    * country_converter's rows with an ISO3 code (its pseudo-codes left out); the first
      alternative of its ISO2; the COW code if the table has a column for it;
    * joined with pycountry on iso3; refused where the two give different ISO2 codes;
    * iso2 and official_name pycountry's where it has them, name country_converter's, each
      else the other's; iso3166 True where pycountry lists the code;
    * sorted by iso3; dtypes;
    * :func:`~analysis.tidy.validation.validate`: one row per iso3, codes well formed, continents
      known.
    """
    c = expect(cc, "country_converter_tsv", "countries_reference (cc)").frame
    p = expect(pyc, "pycountry_json", "countries_reference (pyc)").frame
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
