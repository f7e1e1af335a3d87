"""Importers for maps and country-code tables.

Formats:

``geojson``
    A GeoJSON FeatureCollection (Natural Earth admin-0 countries, populated places), read with
    geopandas/pyogrio into a GeoDataFrame (``frame``). No release stamp in the file (None).
``naturalearth_shapefile``
    The Natural Earth "naturalearth_lowres" shapefile that geopandas 0.14 shipped (.shp .shx .dbf
    .prj .cpg; fields pop_est, continent, name, iso_a3, gdp_md_est). The path may be the folder
    or any member file; the whole set is read.
``country_converter_tsv``
    country_converter's country_data.tsv (tab-separated, header name_short, name_official, regex,
    ISO2, ISO3, ...). ``release`` is the package version if the file name carries it.
``pycountry_json``
    pycountry's iso3166-1.json ({"3166-1": [{alpha_2, alpha_3, numeric, name, [official_name],
    [common_name], flag}, ...]}). ``release`` is the package version if the file name carries it.
"""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path

import pandas as pd

from analysis.errors import FormatError
from analysis.importers import Format, Imported, register
from analysis.importers._text import check_columns, check_unique, head_text, read_text

_VERSION = re.compile(r"_(\d+\.\d+(?:\.\d+)?)_")


def _version(name: str) -> str | None:
    m = _VERSION.search(name)
    return m.group(1) if m else None


# --------------------------------------------------------------------------- GeoJSON
GEOJSON_DESCRIPTION = "a GeoJSON FeatureCollection"


def _sniff_geojson(head: bytes, path: Path) -> bool:
    if path.is_dir():
        return False
    text = head_text(head).lstrip()
    return text.startswith("{") and bool(
        re.search(r'"type"\s*:\s*"FeatureCollection"', text) or re.search(r'"features"\s*:\s*\[', text)
    )


def _read_vector(path: Path, what: str):
    import geopandas as gpd

    try:
        return gpd.read_file(path, engine="pyogrio")
    except Exception as exc:  # pyogrio raises DataSourceError and friends on damaged files
        msg = " ".join(str(exc).split())[:160]
        raise FormatError(
            f"{path.name}: cannot read {what} ({type(exc).__name__}: {msg}); the file is truncated or damaged: download it again"
        ) from None


def read_geojson(path: Path) -> Imported:
    with open(path, "rb") as fh:
        fh.seek(max(0, path.stat().st_size - 64))
        text = head_text(fh.read()).rstrip()
    if not text.endswith("}"):
        raise FormatError(f"{path.name}: the GeoJSON does not end with '}}'; the file is truncated: download it again")
    gdf = _read_vector(path, "the GeoJSON")
    if gdf.empty:
        raise FormatError(f"{path.name}: the GeoJSON FeatureCollection has no features")
    if gdf.geometry.isna().all():
        raise FormatError(f"{path.name}: no feature of the GeoJSON has a geometry; expected {GEOJSON_DESCRIPTION} of shapes")
    return Imported(
        frame=gdf,
        format="geojson",
        release=None,
        path=path,
        meta={
            "crs": gdf.crs.to_string() if gdf.crs else None,
            "properties": [c for c in gdf.columns if c != "geometry"],
            "geometry_types": sorted(set(gdf.geom_type.dropna())),
        },
    )


register(Format("geojson", GEOJSON_DESCRIPTION, _sniff_geojson, read_geojson))


# --------------------------------------------------------------------------- Natural Earth lowres shapefile
NE_FIELDS = ["pop_est", "continent", "name", "iso_a3", "gdp_md_est"]
NE_DESCRIPTION = (
    "a Natural Earth lowres shapefile folder (naturalearth_lowres .shp/.shx/.dbf/.prj, "
    "fields pop_est, continent, name, iso_a3, gdp_md_est)"
)
_SHP_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")


def dbf_fields(path: Path) -> list[str] | None:
    """Field names from a dBASE header; None if it is not one."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(32)
            if len(head) < 32:
                return None
            header_len = struct.unpack("<H", head[8:10])[0]
            body = fh.read(max(0, header_len - 32))
    except OSError:
        return None
    names = []
    for i in range(0, len(body) - 31, 32):
        if body[i] == 0x0D:
            break
        names.append(body[i : i + 11].split(b"\0")[0].decode("latin-1"))
    return names


def _shapefile(path: Path) -> Path | None:
    """The .shp of the shapefile that ``path`` (a folder or a member file) belongs to."""
    if path.is_dir():
        shps = sorted(path.glob("*.shp"))
        return shps[0] if len(shps) == 1 else None
    if path.suffix.lower() in _SHP_PARTS:
        shp = path.with_suffix(".shp")
        return shp if shp.exists() else None
    return None


def _sniff_ne(head: bytes, path: Path) -> bool:
    shp = _shapefile(path)
    if shp is None:
        return False
    fields = dbf_fields(shp.with_suffix(".dbf")) if shp.with_suffix(".dbf").exists() else None
    return fields is not None and {"continent", "name", "iso_a3"} <= set(fields)


def read_naturalearth(path: Path) -> Imported:
    shp = _shapefile(path)
    if shp is None:
        raise FormatError(f"{path.name}: no single .shp file here; expected {NE_DESCRIPTION}")
    missing = [s for s in (".shp", ".shx", ".dbf") if not shp.with_suffix(s).exists()]
    if missing:
        raise FormatError(f"{shp.name}: the shapefile lacks its {', '.join(missing)} part(s); copy the whole folder again")
    with open(shp, "rb") as fh:
        head = fh.read(100)
    if len(head) < 100 or head[:4] != b"\x00\x00\x27\x0a":
        raise FormatError(f"{shp.name}: not a shapefile (bad header); copy the folder again")
    declared = struct.unpack(">i", head[24:28])[0] * 2
    if declared != shp.stat().st_size:
        raise FormatError(
            f"{shp.name}: the .shp declares {declared} bytes but has {shp.stat().st_size}; "
            "the file is truncated: copy the folder again"
        )
    gdf = _read_vector(shp, "the shapefile")
    check_columns([c for c in gdf.columns if c != "geometry"], NE_FIELDS, shp.name, "Natural Earth lowres", "geo.py")
    if gdf.empty:
        raise FormatError(f"{shp.name}: the shapefile has no features")
    return Imported(
        frame=gdf,
        format="naturalearth_shapefile",
        release=None,
        path=path,
        meta={
            "shp": str(shp),
            "crs": gdf.crs.to_string() if gdf.crs else None,
            "note": "Natural Earth 110m admin-0 as shipped with geopandas 0.14 (removed in geopandas 1.0)",
        },
    )


register(Format("naturalearth_shapefile", NE_DESCRIPTION, _sniff_ne, read_naturalearth))


# --------------------------------------------------------------------------- country_converter table
CC_COLUMNS = [
    "name_short",
    "name_official",
    "regex",
    "ISO2",
    "ISO3",
    "ISOnumeric",
    "UNcode",
    "FAOcode",
    "GBDcode",
    "continent",
    "Continent_7",
    "UNregion",
    "EXIO1",
    "EXIO2",
    "EXIO3",
    "EXIO1_3L",
    "EXIO2_3L",
    "EXIO3_3L",
    "WIOD",
    "Eora",
    "MESSAGE",
    "IMAGE",
    "REMIND",
    "OECD",
    "EU",
    "EU28",
    "EU27",
    "EU27_2007",
    "EU25",
    "EU15",
    "EU12",
    "EEA",
    "Schengen",
    "EURO",
    "UN",
    "UNmember",
    "obsolete",
    "Cecilia2050",
    "BRIC",
    "APEC",
    "BASIC",
    "CIS",
    "G7",
    "G20",
    "IEA",
    "DACcode",
    "ccTLD",
    "GWcode",
    "CC41",
    "IOC",
    "FIFA",
    "GEOnumeric",
    "CoE",
]
CC_INT = ["ISOnumeric", "UNcode", "FAOcode", "GBDcode", "DACcode", "GWcode", "GEOnumeric"]
CC_DESCRIPTION = (
    "a country_converter country_data.tsv (tab-separated; header 'name_short, name_official, regex, ISO2, ISO3, ...')"
)


def _sniff_cc(head: bytes, path: Path) -> bool:
    first = head_text(head).split("\n", 1)[0].rstrip("\r").split("\t")
    return first[:3] == ["name_short", "name_official", "regex"]


def read_cc(path: Path) -> Imported:
    name = path.name
    text = read_text(path, "a country_converter table")
    lines = [ln.rstrip("\r") for ln in text.split("\n")]
    while lines and not lines[-1].strip():
        lines.pop()
    header = lines[0].split("\t")
    check_columns(header, CC_COLUMNS, name, "country_converter", "geo.py")
    width = len(header)
    rows, short = [], []
    for i, ln in enumerate(lines[1:], start=2):
        f = ln.split("\t")
        if len(f) > width:
            raise FormatError(f"{name}, line {i}: {len(f)} fields where the header has {width}; the table is damaged")
        if len(f) < width:
            # country_converter's own table has a ragged row (Aland Islands, 50 of 53 fields; the
            # package reads it with pandas, which pads). Only a short last line means truncation.
            if i == len(lines):
                raise FormatError(
                    f"{name}, line {i}: the last line has {len(f)} of {width} fields; the table is truncated: copy it again"
                )
            short.append(i)
            f = f + [""] * (width - len(f))
        rows.append([v.strip() or None for v in f])
    if not rows:
        raise FormatError(f"{name}: the country_converter table has a header but no rows")
    frame = pd.DataFrame(rows, columns=header)
    for c in CC_INT:
        try:
            frame[c] = pd.to_numeric(frame[c], errors="raise").astype("Int64")
        except (ValueError, TypeError):
            bad = frame[c][pd.to_numeric(frame[c], errors="coerce").isna() & frame[c].notna()].iloc[0]
            raise FormatError(f"{name}: column {c} holds {bad!r}, not a code number; the table is damaged") from None
    for c in frame.columns:
        if c not in CC_INT:
            frame[c] = frame[c].astype("string")
    bad = frame["ISO3"].isna() | ~frame["ISO3"].fillna("").str.fullmatch(r"[A-Z0-9]{3}")
    if bad.any():
        raise FormatError(
            f"{name}: ISO3 {frame.loc[bad, 'ISO3'].iloc[0]!r} of {frame.loc[bad, 'name_short'].iloc[0]!r} "
            "is not a 3-letter code; the table is damaged"
        )
    check_unique(frame, ["ISO3"], name, "country_converter table")
    return Imported(
        frame=frame,
        format="country_converter_tsv",
        release=_version(name),
        path=path,
        meta={"package": "country_converter", "short_lines_padded": short},
    )


register(Format("country_converter_tsv", CC_DESCRIPTION, _sniff_cc, read_cc))


# --------------------------------------------------------------------------- pycountry table
PYC_REQUIRED = ["alpha_2", "alpha_3", "numeric", "name"]
PYC_OPTIONAL = ["official_name", "common_name", "flag"]
PYC_DESCRIPTION = 'a pycountry iso3166-1.json table ({"3166-1": [{alpha_2, alpha_3, numeric, name, ...}]})'


def _sniff_pyc(head: bytes, path: Path) -> bool:
    text = head_text(head).lstrip()
    return text.startswith("{") and bool(re.match(r'\{\s*"3166-1"\s*:\s*\[', text))


def read_pyc(path: Path) -> Imported:
    name = path.name
    text = read_text(path, "a pycountry table")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(
            f"{name}: not complete JSON ({exc.msg} at line {exc.lineno}); the file is truncated or damaged: copy it again"
        ) from None
    entries = data.get("3166-1") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise FormatError(f"{name}: no '3166-1' list of countries; expected {PYC_DESCRIPTION}")
    keys = set()
    for e in entries:
        if not isinstance(e, dict):
            raise FormatError(f"{name}: an entry of '3166-1' is not an object; the file is damaged")
        keys |= set(e)
    missing = [k for k in PYC_REQUIRED if any(k not in e for e in entries)]
    new = sorted(keys - set(PYC_REQUIRED) - set(PYC_OPTIONAL))
    if missing or new:
        parts = (["missing field(s) " + ", ".join(repr(k) for k in missing)] if missing else []) + (
            ["new field(s) " + ", ".join(repr(k) for k in new)] if new else []
        )
        raise FormatError(
            f"{name}: the pycountry entries have changed ({'; '.join(parts)}); "
            "update analysis/importers/geo.py for the new layout before using it"
        )
    frame = pd.DataFrame([{k: e.get(k) for k in PYC_REQUIRED + PYC_OPTIONAL} for e in entries]).astype("string")
    check_unique(frame, ["alpha_3"], name, "pycountry table")
    return Imported(
        frame=frame,
        format="pycountry_json",
        release=_version(name),
        path=path,
        meta={"package": "pycountry", "standard": "ISO 3166-1"},
    )


register(Format("pycountry_json", PYC_DESCRIPTION, _sniff_pyc, read_pyc))
