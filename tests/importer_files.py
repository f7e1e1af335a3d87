"""Shared by the importer test modules (tests/test_importers_*.py): the real files each reads,
a session cache of parsed files, and the refusal checks every text format must pass (a
truncated CSV, a renamed column, a damaged workbook)."""

from __future__ import annotations

import functools
import random
from pathlib import Path

import pytest

from analysis import importers
from analysis.errors import FormatError
from analysis.importers import FORMATS, Imported
from tests.conftest import SHARED, one_line

MILEX = "milex/SIPRI-Milex-data-1949-2024_2.xlsx"
ACD = "ucdp/UcdpPrioConflict_v25_1.csv"
GED = "ucdp/ucdp_ged_country_year_2019_2023.csv"
OWID_DEATHS = "owid/deaths-in-armed-conflicts-based-on-where-they-occurred.csv"
OWID_MILEX = "owid/military-spending-as-a-share-of-gdp-sipri.csv"
ACLED = "acled/number_of_{}_as-of-24Oct2025_0.xlsx"
ACLED_FAT = ACLED.format("reported_fatalities_by_country-year")
ACLED_CIV_FAT = ACLED.format("reported_civilian_fatalities_by_country-year")
ACLED_CIV_EV = ACLED.format("events_targeting_civilians_by_country-year")
ACLED_DEMO = ACLED.format("demonstration_events_by_country-year")
ACLED_PV_MONTH = ACLED.format("political_violence_events_by_country-month-year")
WDI_POP = "wdi/API_SP.POP.TOTL_DS2_en_csv_v2_282912.csv"
WDI_GDP = "wdi/API_NY.GDP.MKTP.CD_DS2_en_csv_v2_26.csv"
WDI_MIL = "wdi/API_MS.MIL.XPND.CD_DS2_en_csv_v2_47475.csv"
WDI_META = "wdi/Metadata_Country_API_NY.GDP.MKTP.CD_DS2_en_csv_v2_26.csv"
AID_GW = "china_finance/aiddata_gcdf3_gw_gcdf.csv"
AID_COW = "china_finance/aiddata_gcdf3_cow_gcdf.csv"
NE110 = "geo/ne_110m_admin_0_countries.geojson"
NE50 = "geo/ne_50m_admin_0_countries.geojson"
PLACES = "geo/ne_110m_populated_places_simple.geojson"
LOWRES = "geo/naturalearth_lowres_geopandas0.14.4"
CC = "geo/country_converter_1.3.2_country_data.tsv"
PYC = "geo/pycountry_26.2.16_iso3166-1.json"
DW_EXPORTS = "sipri/dw_ExportVolume-to-AfricanCountries.csv"
DW_BY_RECIPIENT = "sipri/dw_RussianArmsImportedByAfricanCountries.csv"
DW_DEALS = "sipri/dw_WeaponsTypesExportedFromRussiaToAfrica.csv"
TIV_CHINA = "sipri/tiv-table_china-exports_2000-2025_generated-2026-07-14.csv"
CSV_FILES = [OWID_DEATHS, OWID_MILEX, ACD, GED, WDI_POP, WDI_META, AID_GW, AID_COW, DW_EXPORTS, DW_BY_RECIPIENT, DW_DEALS, CC]


@functools.cache
def load(rel: str) -> Imported:
    """Read a shared file once per session (the milex workbook and ACLED monthly take ~0.5-0.8 s)."""
    return importers.read(SHARED / rel)


def _truncate(text: str, delimiter: str) -> str:
    """Keep the header and ~20 records, then half a record: the last line has too few fields."""
    lines = text.splitlines(keepends=True)
    start = 5 if lines[0].lstrip("\ufeff").startswith('"Data Source"') else 1
    cut = lines[start + 20]
    return "".join(lines[: start + 20]) + cut[: cut.index(delimiter) + 1]


def check_truncated_csv(shared: Path, tmp_path: Path, rel: str) -> None:
    delimiter = "\t" if rel.endswith(".tsv") else ","
    p = tmp_path / Path(rel).name
    p.write_text(_truncate((shared / rel).read_text(encoding="utf-8-sig"), delimiter), encoding="utf-8")
    assert importers.detect(p) == load(rel).format  # the header is intact
    with pytest.raises(FormatError, match="truncated") as e:
        importers.read(p)
    assert one_line(str(e.value)) and p.name in str(e.value)


def check_renamed_column(shared: Path, tmp_path: Path, rel: str, old: str, new: str) -> None:
    text = (shared / rel).read_text(encoding="utf-8-sig")
    assert old in text
    p = tmp_path / Path(rel).name
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    fmt = load(rel).format
    with pytest.raises(FormatError) as e:
        FORMATS[fmt].read(p)
    msg = str(e.value)
    assert one_line(msg)
    assert f"missing column(s) '{old.strip(chr(34))}'" in msg and f"new column(s) '{new.strip(chr(34))}'" in msg, msg


def check_random_bytes_xlsx(tmp_path: Path, name: str, fmt: str) -> None:
    p = tmp_path / name
    p.write_bytes(random.Random(7).randbytes(4096))
    assert importers.detect(p) == fmt  # named like the publisher's file: claimed, so the message can say why
    with pytest.raises(FormatError, match="not a valid Excel workbook.*download it again") as e:
        importers.read(p, expected=fmt)
    assert one_line(str(e.value))
    other = tmp_path / "download.xlsx"
    other.write_bytes(p.read_bytes())
    with pytest.raises(FormatError, match="not a file this project can read"):
        importers.read(other)
    with pytest.raises(FormatError, match="not a valid Excel workbook"):
        FORMATS[fmt].read(other)


def check_truncated_xlsx(shared: Path, tmp_path: Path, rel: str) -> None:
    data = (shared / rel).read_bytes()
    p = tmp_path / Path(rel).name
    p.write_bytes(data[: len(data) // 2])  # an interrupted download: a zip without its directory
    with pytest.raises(FormatError, match="not a valid Excel workbook.*download it again") as e:
        importers.read(p)
    assert one_line(str(e.value))
