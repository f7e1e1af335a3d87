"""Importers for World Bank World Development Indicators bulk CSVs.

Formats:

``wdi_api_csv``
    A single-indicator download ("API_<code>_DS2_en_csv_v2_<n>.csv"): four metadata lines
    ("Data Source","World Development Indicators" / blank / "Last Updated Date","2024-03-28" /
    blank), then a wide table ``Country Name,Country Code,Indicator Name,Indicator Code,<years>,``
    (every line ends with a comma). ``release`` is the Last Updated Date. The frame is long:
    country, iso3, indicator, indicator_name, year, value; empty cells are dropped (every row's
    code and name stay in ``meta["countries"]``). Rows include
    World Bank aggregates ("Sub-Saharan Africa") as well as economies.
``wdi_country_metadata``
    The "Metadata_Country_..." file shipped in the same zip: ``Country Code,Region,IncomeGroup,
    SpecialNotes,TableName``; aggregates have an empty Region.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.errors import FormatError
from analysis.importers import Format, Imported, register
from analysis.importers._text import check_columns, check_unique, csv_records, first_fields, head_text, read_text, to_float

API_KEYS = ["Country Name", "Country Code", "Indicator Name", "Indicator Code"]
API_DESCRIPTION = (
    "a World Bank WDI indicator CSV (4 metadata lines incl. 'Last Updated Date', then "
    "'Country Name,Country Code,Indicator Name,Indicator Code,<years>')"
)
META_COLUMNS = ["Country Code", "Region", "IncomeGroup", "SpecialNotes", "TableName"]
META_DESCRIPTION = "a World Bank WDI country metadata CSV (header 'Country Code,Region,IncomeGroup,SpecialNotes,TableName')"
_YEAR = re.compile(r"^\d{4}$")
_ISO3 = re.compile(r"^[A-Z0-9]{3}$")


def _sniff_api(head: bytes, path: Path) -> bool:
    f = first_fields(head)
    return len(f) >= 2 and f[0] == "Data Source" and "Last Updated Date" in head_text(head)[:2000]


def read_api(path: Path) -> Imported:
    name = path.name
    text = read_text(path, "a WDI indicator CSV", final_newline=True)
    lines = text.splitlines()
    pre = [first_fields(ln.encode("utf-8")) for ln in lines[:4]]
    if len(lines) < 5 or not pre[0] or pre[0][0] != "Data Source":
        raise FormatError(f"{name}: no 'Data Source' line at the top; expected {API_DESCRIPTION}")
    updated = next((p[1] for p in pre if len(p) > 1 and p[0] == "Last Updated Date"), None)
    if not updated or not re.match(r"^\d{4}-\d{2}-\d{2}$", updated.strip()):
        raise FormatError(
            f"{name}: no 'Last Updated Date' (yyyy-mm-dd) in the first 4 lines; the WDI file is damaged or not the bulk download"
        )
    header, records = csv_records(text, name, "WDI indicator CSV", skip=4)
    trailing = header and header[-1] == ""
    core = header[:-1] if trailing else header
    year_cols = [c for c in core[4:] if _YEAR.match(c)]
    if core[:4] != API_KEYS or len(year_cols) != len(core) - 4 or not year_cols:
        check_columns(core[:4] + [c for c in core[4:] if not _YEAR.match(c)], API_KEYS, name, "WDI indicator", "wdi.py")
        raise FormatError(f"{name}: no year columns after 'Indicator Code'; expected {API_DESCRIPTION}")
    years = [int(c) for c in year_cols]
    if years != list(range(years[0], years[-1] + 1)):
        raise FormatError(f"{name}: the year columns are not consecutive ({years[0]}..{years[-1]}); the file is damaged")
    if not records:
        raise FormatError(f"{name}: the WDI table has a header but no rows; download it again")
    out: dict[str, list] = {c: [] for c in ("country", "iso3", "indicator", "indicator_name", "year", "value")}
    codes, economies, names = set(), [], {}
    for line, f in records:
        country, iso3, ind_name, ind = (v.strip() for v in f[:4])
        if not _ISO3.match(iso3):
            raise FormatError(f"{name}, line {line}: Country Code {iso3!r} is not a 3-letter code; the file is damaged")
        if trailing and f[-1].strip():
            raise FormatError(f"{name}, line {line}: a value after the last year column; the file is damaged")
        codes.add((ind, ind_name))
        economies.append(iso3)
        names[iso3] = country
        for y, v in zip(years, f[4 : 4 + len(years)]):
            x = to_float(v, f"value for {y}", line, name)
            if x is None:
                continue
            out["country"].append(country)
            out["iso3"].append(iso3)
            out["indicator"].append(ind)
            out["indicator_name"].append(ind_name)
            out["year"].append(y)
            out["value"].append(x)
    if len(codes) != 1:
        raise FormatError(
            f"{name}: {len(codes)} indicators in one file ({', '.join(sorted(c for c, _ in codes))}); "
            "expected a single-indicator WDI download"
        )
    frame = pd.DataFrame(out)
    for c in ("country", "iso3", "indicator", "indicator_name"):
        frame[c] = frame[c].astype("string")
    frame["year"] = frame["year"].astype("Int64")
    frame["value"] = frame["value"].astype("Float64")
    check_unique(pd.DataFrame({"iso3": economies}), ["iso3"], name, "WDI indicator CSV")
    ((ind, ind_name),) = codes
    return Imported(
        frame=frame,
        format="wdi_api_csv",
        release=updated.strip(),
        path=path,
        meta={
            "indicator": ind,
            "indicator_name": ind_name,
            "data_source": pre[0][1] if len(pre[0]) > 1 else None,
            "last_updated": updated.strip(),
            "rows_wide": len(records),
            "year_columns": (years[0], years[-1]),
            "countries": names,
        },
    )


register(Format("wdi_api_csv", API_DESCRIPTION, _sniff_api, read_api))


def _sniff_meta(head: bytes, path: Path) -> bool:
    f = first_fields(head)
    return f[:3] == META_COLUMNS[:3]


def read_meta(path: Path) -> Imported:
    name = path.name
    text = read_text(path, "a WDI country metadata CSV", final_newline=True)
    header, records = csv_records(text, name, "WDI country metadata CSV")
    trailing = header and header[-1] == ""
    check_columns(header[:-1] if trailing else header, META_COLUMNS, name, "WDI country metadata", "wdi.py")
    if not records:
        raise FormatError(f"{name}: the WDI metadata has a header but no rows; download it again")
    cols: dict[str, list] = {c: [] for c in META_COLUMNS}
    for line, f in records:
        if not _ISO3.match(f[0].strip()):
            raise FormatError(f"{name}, line {line}: Country Code {f[0]!r} is not a 3-letter code; the file is damaged")
        for c, v in zip(META_COLUMNS, f):
            cols[c].append(v.strip() or None)
    frame = pd.DataFrame(cols).astype("string")
    check_unique(frame, ["Country Code"], name, "WDI country metadata CSV")
    return Imported(
        frame=frame,
        format="wdi_country_metadata",
        release=None,
        path=path,
        meta={"aggregates": int(frame["Region"].isna().sum())},
    )


register(Format("wdi_country_metadata", META_DESCRIPTION, _sniff_meta, read_meta))
