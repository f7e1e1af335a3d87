"""Context importers (milex, UCDP, OWID, ACLED, WDI, AidData, geo, DW) and the tidy context tables:
every non-SIPRI file in ../shared/data is detected and read with the counts and values its
PROVENANCE.md states; detection over the whole folder is exact (SIPRI files included); broken or
mistaken files are refused with one-line messages that say what is wrong."""
from __future__ import annotations

import functools
import os
import random
import tomllib
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analysis import importers, tidy
from analysis.errors import FormatError, ValidationError
from analysis.importers import FORMATS, Imported, head_of
from tests.conftest import ROOT, SHARED, one_line

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


@functools.lru_cache(maxsize=None)
def load(rel: str) -> Imported:
    """Read a shared file once per session (the milex workbook and ACLED monthly take ~0.5-0.8 s)."""
    return importers.read(SHARED / rel)


# --------------------------------------------------------------------------- detection
def expected_format(rel: str) -> str | None:
    """The format each file in the shared folder must be detected as."""
    catalogue = tomllib.loads((ROOT / "data" / "sources.toml").read_text(encoding="utf-8"))
    by_path = {v["path"]: v["format"] for v in catalogue.values() if isinstance(v, dict) and "path" in v}
    if rel in by_path:
        return by_path[rel]
    rules = [
        ("sipri/tiv-tables_by-exporter_1950-2021_generated-2022-07-28/TIV-Export-", "sipri_tiv_legacy"),
        ("sipri/dw_", "dw_aggregate"),
        ("wdi/Metadata_Country_", "wdi_country_metadata"),
        ("geo/country_converter_", "country_converter_tsv"),
        ("geo/pycountry_", "pycountry_json"),
        (LOWRES, "naturalearth_shapefile"),
    ]
    return next((fmt for prefix, fmt in rules if rel.startswith(prefix)), None)


def shared_files(root: Path) -> list[Path]:
    files = [p for p in root.rglob("*") if p.is_file() and p.name not in ("README.md", "PROVENANCE.md")]
    return sorted(files) + [root / LOWRES]  # the shapefile folder is read as one


def test_detect_every_shared_file(shared: Path) -> None:
    wrong, unknown = [], []
    for p in shared_files(shared):
        rel = p.relative_to(shared).as_posix()
        want = expected_format(rel)
        if want is None:
            unknown.append(rel)
            continue
        try:
            got = importers.detect(p)
        except FormatError as exc:
            got = f"FormatError: {exc}"
        if got != want:
            wrong.append(f"{rel}: {got} (want {want})")
    assert not unknown, f"files with no expected format (add them to expected_format): {unknown}"
    assert not wrong, "\n".join(wrong)


def test_sniffers_are_mutually_exclusive(shared: Path) -> None:
    """Exactly one registered sniffer claims each file, so detection order does not matter."""
    importers._load_all()
    bad = []
    for p in shared_files(shared):
        head = b"" if p.is_dir() else head_of(p)
        hits = [name for name, fmt in FORMATS.items() if fmt.sniff(head, p)]
        if len(hits) != 1:
            bad.append(f"{p.relative_to(shared)}: {hits}")
    assert not bad, "\n".join(bad)


def test_all_formats_registered() -> None:
    importers._load_all()
    assert {"sipri_milex_workbook", "ucdp_prio_acd", "ucdp_ged_country_year", "owid_grapher", "acled_aggregate",
            "wdi_api_csv", "wdi_country_metadata", "aiddata_aggregate", "geojson", "naturalearth_shapefile",
            "country_converter_tsv", "pycountry_json", "dw_aggregate"} <= set(FORMATS)


def test_catalogue_formats_exist() -> None:
    """Every `format` named in data/sources.toml is registered."""
    importers._load_all()
    catalogue = tomllib.loads((ROOT / "data" / "sources.toml").read_text(encoding="utf-8"))
    named = {v["format"] for v in catalogue.values() if isinstance(v, dict) and "format" in v}
    assert named <= set(FORMATS), named - set(FORMATS)


# --------------------------------------------------------------------------- milex
def test_milex(shared: Path) -> None:
    imp = load(MILEX)
    assert imp.format == "sipri_milex_workbook"
    assert imp.release == "2025 release (data 1949-2024)" and imp.meta["release_source"] == "front page"
    # PROVENANCE: both sheets are 199 rows as read with header=None (5 title rows, the header,
    # one blank row, 18 regional headings, 174 country rows); 1949-2024 = 76 year columns.
    for sheet in ("Constant (2023) US$", "Share of GDP"):
        lay = imp.meta["layout"][sheet]
        assert 7 + len(lay["headings"]) + lay["countries"] == 199
    assert imp.meta["years"] == (1949, 2024) and imp.rows == 174 * 76 * 2
    f = imp.frame
    assert list(f.columns) == ["country", "region", "subregion", "year", "measure", "value", "flag", "missing"]
    assert f.duplicated(["country", "year", "measure"]).sum() == 0

    def v(country, year, measure):
        s = f[(f.country == country) & (f.year == year) & (f.measure == measure)]["value"]
        assert len(s) == 1
        return float(s.iloc[0])

    usd = {2020: 655.1, 2021: 667.9, 2022: 610.7, 2023: 785.3, 2024: 906.4}
    share = {2020: 3.40, 2021: 3.38, 2022: 3.09, 2023: 3.77, 2024: 4.20}
    for y in usd:
        assert round(v("Mali", y, "constant_2023_usd_m"), 1) == usd[y]
        assert round(v("Mali", y, "share_of_gdp_pct"), 2) == share[y]
    assert round(v("Burkina Faso", 2024, "constant_2023_usd_m"), 1) == 1002.3
    assert round(v("Burkina Faso", 2024, "share_of_gdp_pct"), 2) == 4.68
    assert round(v("Niger", 2024, "constant_2023_usd_m"), 1) == 404.1
    assert round(v("Niger", 2024, "share_of_gdp_pct"), 2) == 2.24
    regions = f.drop_duplicates("country").set_index("country")
    assert tuple(regions.loc["Mali", ["region", "subregion"]]) == ("Africa", "sub-Saharan Africa")
    assert tuple(regions.loc["Algeria", ["region", "subregion"]]) == ("Africa", "North Africa")
    assert regions.loc["Egypt", "region"] == "Middle East"  # SIPRI's Africa excludes Egypt
    assert (regions["region"] == "Africa").sum() == 51
    # Markers and colours.
    assert set(f["missing"].dropna()) == {"unavailable", "did not exist"}
    assert f.loc[f.missing.notna(), "value"].isna().all()
    assert set(f["flag"].dropna()) == {"estimate", "uncertain"} and (f.flag == "estimate").sum() > 1000


# --------------------------------------------------------------------------- UCDP
def test_ucdp_acd(shared: Path) -> None:
    imp = load(ACD)
    f = imp.frame
    assert imp.format == "ucdp_prio_acd" and imp.release == "25.1"
    assert imp.rows == 2752 and f.shape[1] == 28 and f.conflict_id.nunique() == 303
    assert (int(f.year.min()), int(f.year.max())) == (1946, 2024)
    assert (f.location == "Mali").sum() == 34 and (f.location == "Burkina Faso").sum() == 14
    assert (f.location == "Niger").sum() == 21
    mali24 = f[(f.location == "Mali") & (f.year == 2024)].set_index("conflict_id")
    assert set(mali24.index) == {11347, 14113, 16038}
    assert mali24.loc[11347, "intensity_level"] == 1 and mali24.loc[14113, "intensity_level"] == 1
    assert mali24.loc[16038, "type_of_conflict"] == 4
    assert "Government of Russia (Soviet Union)" in mali24.loc[11347, "side_a_2nd"]
    assert str(f["start_date"].dtype).startswith("datetime64")


def test_ucdp_ged(shared: Path) -> None:
    imp = load(GED)
    f = imp.frame
    assert imp.format == "ucdp_ged_country_year" and imp.release is None
    assert imp.rows == 616 and f.country.nunique() == 87 and imp.meta["years"] == (2019, 2023)
    mali = f[f.country == "Mali"].set_index(["year", "type_of_violence"])["best_deaths"]
    expected = {2019: (603, 169, 455), 2020: (580, 448, 481), 2021: (726, 345, 216), 2022: (1440, 755, 1455),
                2023: (1259, 375, 475)}
    for year, values in expected.items():
        assert tuple(int(mali[(year, t)]) for t in (1, 2, 3)) == values
    assert set(f.loc[f.country == "Mali", "country_id"]) == {432}


# --------------------------------------------------------------------------- OWID
def test_owid_deaths(shared: Path) -> None:
    imp = load(OWID_DEATHS)
    f = imp.frame
    col = "Deaths in ongoing conflicts (best estimate) - Conflict type: all"
    assert imp.format == "owid_grapher" and imp.release is None and not imp.meta["has_code"]
    assert imp.rows == 7632 and f.Entity.nunique() == 212 and imp.meta["years"] == (1989, 2024)
    assert imp.meta["value_columns"] == [col]
    s = f.set_index(["Entity", "Year"])[col]
    for (e, y), v in {("Mali", 2012): 330, ("Mali", 2018): 1279, ("Mali", 2020): 1511, ("Mali", 2021): 1268,
                      ("Mali", 2022): 3638, ("Mali", 2023): 2065, ("Mali", 2024): 1876,
                      ("Burkina Faso", 2023): 6132, ("Burkina Faso", 2024): 4253, ("Niger", 2024): 1221}.items():
        assert s[(e, y)] == v


def test_owid_milex(shared: Path) -> None:
    imp = load(OWID_MILEX)
    f = imp.frame
    assert imp.format == "owid_grapher" and imp.meta["has_code"]
    assert imp.rows == 8245 and f.Entity.nunique() == 166 and imp.meta["years"] == (1949, 2024)
    assert imp.meta["value_columns"] == ["Military expenditure (% of GDP)"]
    assert imp.meta["text_columns"] == ["World region according to OWID"]
    mali = f[(f.Entity == "Mali") & (f.Year == 2024)].iloc[0]
    assert mali.Code == "MLI" and round(float(mali["Military expenditure (% of GDP)"]), 3) == 4.198


# --------------------------------------------------------------------------- ACLED
@pytest.mark.parametrize("rel, rows, measure, columns", [
    (ACLED_PV_MONTH, 28069, "political_violence_events", ["COUNTRY", "MONTH", "YEAR", "EVENTS"]),
    (ACLED_FAT, 2747, "reported_fatalities", ["COUNTRY", "YEAR", "FATALITIES"]),
    (ACLED_CIV_FAT, 2542, "reported_civilian_fatalities", ["COUNTRY", "YEAR", "FATALITIES"]),
    (ACLED_CIV_EV, 2542, "events_targeting_civilians", ["COUNTRY", "YEAR", "EVENTS"]),
    (ACLED_DEMO, 2726, "demonstration_events", ["COUNTRY", "YEAR", "EVENTS"]),
])
def test_acled_files(shared: Path, rel, rows, measure, columns) -> None:
    imp = load(rel)
    assert imp.format == "acled_aggregate" and imp.release == "as of 24 Oct 2025"
    assert imp.meta["as_of"] == "2025-10-24" and imp.meta["measure"] == measure
    assert imp.rows == rows and list(imp.frame.columns) == columns
    assert "Mali" in set(imp.frame.COUNTRY)
    assert imp.meta["years"][1] == 2025


def test_acled_values(shared: Path) -> None:
    fat = load(ACLED_FAT).frame.set_index(["COUNTRY", "YEAR"])["FATALITIES"]
    assert load(ACLED_FAT).meta["countries"] == 245 and load(ACLED_FAT).meta["years"] == (1997, 2025)
    for (c, y), v in {("Mali", 2012): 528, ("Mali", 2018): 1739, ("Mali", 2020): 2852, ("Mali", 2022): 4858,
                      ("Mali", 2023): 4329, ("Mali", 2024): 4019, ("Mali", 2025): 3295,
                      ("Burkina Faso", 2023): 8499, ("Burkina Faso", 2024): 7487,
                      ("Niger", 2023): 1146, ("Niger", 2024): 1864}.items():
        assert fat[(c, y)] == v
    m = load(ACLED_PV_MONTH).frame
    mali = m[m.COUNTRY == "Mali"]
    assert mali.groupby("YEAR")["EVENTS"].sum().loc[[2022, 2023, 2024, 2025]].tolist() == [1360, 1591, 1479, 1248]
    assert mali.loc[mali.YEAR == 2025, "MONTH"].tolist()[-1] == "October"
    assert len(mali[mali.YEAR == 2025]) == 10


# --------------------------------------------------------------------------- WDI
@pytest.mark.parametrize("rel, indicator, updated, years", [
    (WDI_POP, "SP.POP.TOTL", "2026-04-08", (1960, 2025)),
    (WDI_GDP, "NY.GDP.MKTP.CD", "2024-03-28", (1960, 2023)),
    (WDI_MIL, "MS.MIL.XPND.CD", "2024-03-28", (1960, 2023)),
])
def test_wdi(shared: Path, rel, indicator, updated, years) -> None:
    imp = load(rel)
    assert imp.format == "wdi_api_csv" and imp.release == updated
    assert imp.meta["indicator"] == indicator and imp.meta["rows_wide"] == 266
    assert imp.meta["year_columns"] == years
    assert list(imp.frame.columns) == ["country", "iso3", "indicator", "indicator_name", "year", "value"]
    assert len(imp.meta["countries"]) == 266 and imp.meta["countries"]["SSF"] == "Sub-Saharan Africa"
    assert imp.frame.value.notna().all() and imp.frame.iso3.nunique() <= 266


def test_wdi_values(shared: Path) -> None:
    def v(rel, year):
        f = load(rel).frame
        return float(f[(f.iso3 == "MLI") & (f.year == year)]["value"].iloc[0])

    assert [v(WDI_POP, y) for y in (2022, 2023, 2024)] == [23_072_640, 23_769_127, 24_478_595]
    assert round(v(WDI_GDP, 2022) / 1e9, 2) == 18.83
    assert round(v(WDI_MIL, 2022) / 1e6, 1) == 515.1
    # Last year with data: 2024 for population, 2022 for the two 2024-03 files.
    assert int(load(WDI_POP).frame.year.max()) == 2024 and int(load(WDI_GDP).frame.year.max()) == 2022


def test_wdi_metadata(shared: Path) -> None:
    imp = load(WDI_META)
    f = imp.frame
    assert imp.format == "wdi_country_metadata" and imp.rows == 265
    assert list(f.columns) == ["Country Code", "Region", "IncomeGroup", "SpecialNotes", "TableName"]
    mali = f[f["Country Code"] == "MLI"].iloc[0]
    assert mali.Region == "Sub-Saharan Africa" and mali.TableName == "Mali"
    assert f.loc[f["Country Code"] == "AFE", "Region"].isna().all()  # aggregates have no region


# --------------------------------------------------------------------------- AidData
@pytest.mark.parametrize("rel, code, rows, codes", [(AID_GW, "gwcode", 2271, 125), (AID_COW, "ccode", 2458, None)])
def test_aiddata(shared: Path, rel, code, rows, codes) -> None:
    imp = load(rel)
    f = imp.frame
    assert imp.format == "aiddata_aggregate" and imp.meta["code"] == code and imp.rows == rows
    assert imp.meta["years"] == (2000, 2021) and "2021" in imp.meta["units"]
    if codes:
        assert f[code].nunique() == codes
    assert list(f.columns) == [code, "year", "oof_amt", "oof_adj", "oda_amt", "oda_adj", "vof_amt", "vof_adj"]


def test_aiddata_mali(shared: Path) -> None:
    f = load(AID_GW).frame
    mali = f[(f.gwcode == 432) & (f.year == 2013)].iloc[0]
    assert round(mali.oof_amt / 1e6, 1) == 390.1 and round(mali.oda_amt / 1e6, 1) == 17.9


# --------------------------------------------------------------------------- geo
@pytest.mark.parametrize("rel, features, africa", [(NE110, 177, 51), (NE50, 241, 54), (PLACES, 243, None)])
def test_geojson(shared: Path, rel, features, africa) -> None:
    import geopandas as gpd

    imp = load(rel)
    assert imp.format == "geojson" and isinstance(imp.frame, gpd.GeoDataFrame) and imp.rows == features
    assert imp.frame.crs is not None and imp.frame.crs.to_epsg() == 4326
    if africa is not None:
        f = imp.frame
        assert (f.CONTINENT == "Africa").sum() == africa
        mali = f[f.ADMIN == "Mali"].iloc[0]
        assert mali.ISO_A3 == "MLI" and mali.SUBREGION == "Western Africa"
    else:
        assert {"Bamako", "Niamey", "Ouagadougou"} <= set(imp.frame["name"])


def test_naturalearth_lowres(shared: Path) -> None:
    folder = load(LOWRES)
    member = importers.read(shared / LOWRES / "naturalearth_lowres.dbf")
    for imp in (folder, member):
        f = imp.frame
        assert imp.format == "naturalearth_shapefile" and imp.rows == 177
        assert list(f.columns) == ["pop_est", "continent", "name", "iso_a3", "gdp_md_est", "geometry"]
        assert (f.continent == "Africa").sum() == 51
        mali = f[f.name == "Mali"].iloc[0]
        assert mali.iso_a3 == "MLI" and int(mali.pop_est) == 19_658_031
        assert f.loc[f.name == "France", "iso_a3"].iloc[0] == "FRA"


def test_country_tables(shared: Path) -> None:
    cc = load(CC)
    assert cc.format == "country_converter_tsv" and cc.release == "1.3.2"
    assert cc.frame.shape == (256, 53)
    mali = cc.frame[cc.frame.ISO3 == "MLI"].iloc[0]
    assert (mali.ISO2, mali.ISOnumeric, mali.continent, mali.UNregion, mali.GWcode) == \
        ("ML", 466, "Africa", "Western Africa", 432)
    assert cc.frame.loc[cc.frame.ISO3 == "NAM", "ISO2"].iloc[0] == "NA"  # Namibia, not a missing value
    pyc = load(PYC)
    assert pyc.format == "pycountry_json" and pyc.release == "26.2.16" and pyc.rows == 249
    assert pyc.frame.loc[pyc.frame.alpha_3 == "MLI", "official_name"].iloc[0] == "Republic of Mali"


# --------------------------------------------------------------------------- DW
def test_dw(shared: Path) -> None:
    # PROVENANCE gives "66 lines" and "27 lines" for (a) and (b): `wc -l` minus the header, which
    # misses the last line (the files end without a newline). Rows parsed: 67 and 28.
    a = load(DW_EXPORTS)
    assert a.format == "dw_aggregate" and a.meta["layout"] == "exports_by_supplier" and a.rows == 67
    assert a.meta["coverage"]["China"] == (2000, 2019) and a.meta["coverage"]["Russia"] == (2000, 2006)
    assert "Russia: 2000-2006 only" in a.meta["incomplete"]
    b = load(DW_BY_RECIPIENT)
    assert b.meta["layout"] == "russia_by_recipient" and b.rows == 28
    mali = b.frame[b.frame.country == "Mali"].iloc[0]
    assert mali["2017"] == 23 and mali["TIV_ArmsFromRussia_2015_2019"] == 23
    c = load(DW_DEALS)
    # 328 lines after the header: 174 deals, a total row, 3 blank rows, a label and 149 repeats.
    assert c.meta["layout"] == "russia_deals" and c.rows == 174 and c.meta["types_of_weapons_rows"] == 149
    assert c.meta["total_delivered"] == 21211 == int(c.frame.n_delivered.sum())
    assert set(c.frame.supplier) == {"Russia"} and c.frame.n_ordered_uncertain.dtype == "boolean"


# --------------------------------------------------------------------------- tidy
def test_tidy_military_expenditure(shared: Path) -> None:
    t = tidy.military_expenditure(load(MILEX))
    assert list(t.columns) == tidy.MILEX_COLUMNS
    assert not t.duplicated(["country", "year"]).any()
    mali = t[(t.country == "Mali") & (t.year == 2024)].iloc[0]
    assert round(mali.constant_2023_usd_m, 1) == 906.4 and round(mali.share_of_gdp_pct, 2) == 4.20
    assert (mali.region, mali.subregion, mali.release) == ("Africa", "sub-Saharan Africa", "2025 release (data 1949-2024)")
    assert str(t.year.dtype) == "Int64" and str(t.constant_2023_usd_m.dtype) == "Float64"
    assert (t.constant_2023_usd_m.notna() | t.share_of_gdp_pct.notna()).all()


def test_tidy_military_expenditure_refuses(shared: Path) -> None:
    imp = load(MILEX)
    with pytest.raises(ValidationError, match="expected a sipri_milex_workbook file, got owid_grapher"):
        tidy.military_expenditure(load(OWID_MILEX))
    f = imp.frame.copy()
    f.loc[f.index[0], "value"] = 1e9  # an impossible budget
    with pytest.raises(ValidationError, match="constant_2023_usd_m has 1 value") as e:
        tidy.military_expenditure(Imported(f, imp.format, imp.release, imp.path, imp.meta))
    assert one_line(str(e.value))
    dup = pd.concat([imp.frame, imp.frame.iloc[[100]]], ignore_index=True)
    with pytest.raises(ValidationError, match="repeat the key \\(country, year, measure\\)"):
        tidy.military_expenditure(Imported(dup, imp.format, imp.release, imp.path, imp.meta))


def test_tidy_conflict_deaths(shared: Path) -> None:
    codes = {"Mali": "MLI", "Burkina Faso": "BFA"}
    t = tidy.conflict_deaths(load(GED), load(OWID_DEATHS), load(ACLED_FAT), iso3_of=codes.get, ged_version="24.1")
    assert list(t.columns) == tidy.CONFLICT_COLUMNS
    assert not t.duplicated(["country", "year", "type_of_violence", "source"]).any()
    assert set(t.type_of_violence) == set(tidy.VIOLENCE_TYPES)
    mali = t[(t.country == "Mali") & (t.year == 2023)].set_index("type_of_violence")
    assert mali.loc["state-based", "deaths"] == 1259 and mali.loc["one-sided", "deaths"] == 475
    assert mali.loc["all (UCDP GED via OWID)", "deaths"] == 2065
    assert mali.loc["ACLED reported fatalities", "deaths"] == 4329
    assert set(mali.iso3) == {"MLI"}
    assert mali.loc["state-based", "source"] == "UCDP GED v24.1, country-year aggregate"
    assert mali.loc["ACLED reported fatalities", "source"] == "ACLED aggregate, as of 24 Oct 2025"
    assert not t.country.isin(["World", "Africa", "Middle East"]).any()  # OWID aggregates left out
    assert t.loc[t.country == "Niger", "iso3"].isna().all()
    # Without iso3_of, iso3 stays NA; any one source alone is enough.
    only = tidy.conflict_deaths(None, load(OWID_DEATHS), None)
    assert only.iso3.isna().all() and set(only.source) == {"UCDP GED via Our World in Data (1989-2024 download)"}
    assert len(only) == 7632 - int(load(OWID_DEATHS).frame.Entity.isin(tidy.OWID_AGGREGATES).sum())


@pytest.mark.parametrize("args, message", [
    ((None, None, None), "no source given"),
    ((None, OWID_MILEX, None), "not OWID's 'deaths in armed conflicts' chart"),
    ((None, None, ACLED_CIV_FAT), "expected ACLED's 'number of reported fatalities by country-year' file"),
    ((OWID_DEATHS, None, None), "expected a ucdp_ged_country_year file, got owid_grapher"),
])
def test_tidy_conflict_deaths_refuses(shared: Path, args, message) -> None:
    with pytest.raises(ValidationError, match=message) as e:
        tidy.conflict_deaths(*(load(a) if a else None for a in args))
    assert one_line(str(e.value))


def test_tidy_conflict_deaths_bad_iso3(shared: Path) -> None:
    with pytest.raises(ValidationError, match=r"iso3_of\('Afghanistan'\) returned 'afg'"):
        tidy.conflict_deaths(load(GED), None, None, iso3_of=lambda n: n[:3].lower())


def test_tidy_countries_reference(shared: Path) -> None:
    t = tidy.countries_reference(load(CC), load(PYC))
    assert list(t.columns) == tidy.COUNTRY_COLUMNS and t.iso3.is_unique
    assert len(t) == 255 and int(t.iso3166.sum()) == 249  # BA1 (not ISO) left out; 249 current ISO codes
    mali = t[t.iso3 == "MLI"].iloc[0]
    assert (mali.iso2, mali["name"], mali.official_name, mali.un_region, mali.continent, mali.gw_code) == \
        ("ML", "Mali", "Republic of Mali", "Western Africa", "Africa", 432)
    assert t.loc[t.iso3 == "GBR", "iso2"].iloc[0] == "GB"  # country_converter writes "^GB$|^UK$"
    assert t.loc[t.iso3 == "NAM", "iso2"].iloc[0] == "NA"
    assert t.cow_code.isna().all()  # neither table carries COW codes
    with pytest.raises(ValidationError, match="expected a pycountry_json file, got country_converter_tsv"):
        tidy.countries_reference(load(CC), load(CC))


# --------------------------------------------------------------------------- refusals
CSV_FILES = [OWID_DEATHS, OWID_MILEX, ACD, GED, WDI_POP, WDI_META, AID_GW, AID_COW, DW_EXPORTS, DW_BY_RECIPIENT,
             DW_DEALS, CC]


def _truncate(text: str, delimiter: str) -> str:
    """Keep the header and ~20 records, then half a record: the last line has too few fields."""
    lines = text.splitlines(keepends=True)
    start = 5 if lines[0].lstrip("\ufeff").startswith('"Data Source"') else 1
    cut = lines[start + 20]
    return "".join(lines[:start + 20]) + cut[:cut.index(delimiter) + 1]


@pytest.mark.parametrize("rel", CSV_FILES)
def test_truncated_csv(shared: Path, tmp_path: Path, rel: str) -> None:
    delimiter = "\t" if rel.endswith(".tsv") else ","
    p = tmp_path / Path(rel).name
    p.write_text(_truncate((shared / rel).read_text(encoding="utf-8-sig"), delimiter), encoding="utf-8")
    assert importers.detect(p) == load(rel).format  # the header is intact
    with pytest.raises(FormatError, match="truncated") as e:
        importers.read(p)
    assert one_line(str(e.value)) and p.name in str(e.value)


@pytest.mark.parametrize("rel, old, new", [
    (ACD, "territory_name", "territory"),
    (GED, "best_deaths", "best_estimate"),
    (WDI_POP, '"Indicator Name"', '"Indicator"'),
    (WDI_META, '"TableName"', '"Table"'),
    (AID_GW, "vof_adj", "vague_adj"),
    (DW_EXPORTS, "ExportsToAfricanStates_million_TIV", "Exports_TIV"),
    (DW_DEALS, "Comments", "Notes"),
    (CC, "GWcode", "GW"),
    (OWID_DEATHS, "Entity", "Country"),
])
def test_renamed_column(shared: Path, tmp_path: Path, rel: str, old: str, new: str) -> None:
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


def _acled_workbook(path: Path, header: list, rows: list) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_acled_renamed_and_damaged(tmp_path: Path) -> None:
    name = "number_of_reported_fatalities_by_country-year_as-of-24Oct2025_0.xlsx"
    ok = _acled_workbook(tmp_path / name, ["COUNTRY", "YEAR", "FATALITIES"], [["Mali", 2024, 4019]])
    imp = importers.read(ok, expected="acled_aggregate")
    assert imp.rows == 1 and imp.release == "as of 24 Oct 2025"
    (tmp_path / "r").mkdir()
    renamed = _acled_workbook(tmp_path / "r" / name, ["COUNTRY", "YEAR", "DEATHS"], [["Mali", 2024, 4019]])
    with pytest.raises(FormatError, match="missing column\\(s\\) 'FATALITIES'; new column\\(s\\) 'DEATHS'") as e:
        importers.read(renamed)
    assert one_line(str(e.value))
    gap = _acled_workbook(tmp_path / "g.xlsx", ["COUNTRY", "YEAR", "FATALITIES"], [["Mali", 2023, 1], ["Mali", 2024]])
    with pytest.raises(FormatError, match="row 3: empty FATALITIES; the file is truncated"):
        importers.read(gap)
    undated = _acled_workbook(tmp_path / "fatalities.xlsx", ["COUNTRY", "YEAR", "FATALITIES"], [["Mali", 2024, 4019]])
    assert importers.read(undated).release is None


def _milex_workbook(path: Path, constant_sheet="Constant (2023) US$", notes="Notes") -> Path:
    wb = openpyxl.Workbook()
    wb.active.title = "Front page"
    for title, sheet, blank, value in (("in constant (2023) US$ m., 1949-2024", constant_sheet, True, 906.4),
                                       ("as percentage of gross domestic product, 1949-2024", "Share of GDP", False, 0.042)):
        ws = wb.create_sheet(sheet)
        ws.append([f"Military expenditure by country {title}"])
        for _ in range(4):
            ws.append([""])
        ws.append(["Country"] + ([""] if blank else []) + [notes, 2023, 2024])
        ws.append([])
        ws.append(["Africa"])
        ws.append(["sub-Saharan Africa"])
        ws.append(["Mali"] + ([None] if blank else []) + ["", ". .", value])
        ws.append(["Eritrea"] + ([None] if blank else []) + ["", "xxx", "..."])
    wb.save(path)
    return path


def test_milex_small_workbook_and_guards(tmp_path: Path) -> None:
    imp = importers.read(_milex_workbook(tmp_path / "milex.xlsx"), expected="sipri_milex_workbook")
    assert imp.release == "2025 release (data 1949-2024)" and imp.meta["release_source"] == "inferred from the data span"
    f = imp.frame.set_index(["country", "year", "measure"])
    assert f.loc[("Mali", 2024, "share_of_gdp_pct"), "value"] == pytest.approx(4.2)
    assert f.loc[("Mali", 2023, "constant_2023_usd_m"), "missing"] == "unavailable"
    assert f.loc[("Eritrea", 2023, "share_of_gdp_pct"), "missing"] == "did not exist"
    with pytest.raises(FormatError, match="missing column\\(s\\) 'Notes'; new column\\(s\\) 'Remarks'") as e:
        importers.read(_milex_workbook(tmp_path / "m2.xlsx", notes="Remarks"))
    assert one_line(str(e.value))
    with pytest.raises(FormatError, match="'Constant \\(2024\\) US\\$', not 'Constant \\(2023\\) US\\$'"):
        importers.read(_milex_workbook(tmp_path / "m3.xlsx", constant_sheet="Constant (2024) US$"))


def test_html_saved_as_csv(tmp_path: Path) -> None:
    p = tmp_path / "deaths-in-armed-conflicts-based-on-where-they-occurred.csv"
    p.write_text("<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>Please log in</body></html>\n")
    with pytest.raises(FormatError, match="not a file this project can read") as e:
        importers.read(p)
    assert one_line(str(e.value))
    with pytest.raises(FormatError, match="expected an Our World in Data grapher CSV .*no known format") as e:
        importers.read(p, expected="owid_grapher")
    assert one_line(str(e.value))
    for fmt in ("owid_grapher", "wdi_api_csv", "ucdp_prio_acd", "aiddata_aggregate", "dw_aggregate"):
        with pytest.raises(FormatError, match="this is an HTML page") as e:
            FORMATS[fmt].read(p)
        assert one_line(str(e.value))


@pytest.mark.parametrize("name, fmt", [
    ("SIPRI-Milex-data-1949-2024_2.xlsx", "sipri_milex_workbook"),
    ("number_of_reported_fatalities_by_country-year_as-of-24Oct2025_0.xlsx", "acled_aggregate"),
])
def test_random_bytes_xlsx(tmp_path: Path, name: str, fmt: str) -> None:
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


@pytest.mark.parametrize("rel", [MILEX, ACLED_FAT])
def test_truncated_xlsx(shared: Path, tmp_path: Path, rel: str) -> None:
    data = (shared / rel).read_bytes()
    p = tmp_path / Path(rel).name
    p.write_bytes(data[: len(data) // 2])  # an interrupted download: a zip without its directory
    with pytest.raises(FormatError, match="not a valid Excel workbook.*download it again") as e:
        importers.read(p)
    assert one_line(str(e.value))


def test_truncated_json_and_shapes(shared: Path, tmp_path: Path) -> None:
    for rel, fmt in ((NE110, "geojson"), (PYC, "pycountry_json")):
        data = (shared / rel).read_bytes()
        p = tmp_path / Path(rel).name
        p.write_bytes(data[: len(data) // 2])
        assert importers.detect(p) == fmt
        with pytest.raises(FormatError, match="truncated") as e:
            importers.read(p)
        assert one_line(str(e.value))
    folder = tmp_path / "lowres"
    folder.mkdir()
    for part in (shared / LOWRES).iterdir():
        data = part.read_bytes()
        (folder / part.name).write_bytes(data[: len(data) // 2] if part.suffix == ".shp" else data)
    assert importers.detect(folder) == "naturalearth_shapefile"
    with pytest.raises(FormatError, match="truncated") as e:
        importers.read(folder)
    assert one_line(str(e.value))


def test_expected_other_format(shared: Path) -> None:
    with pytest.raises(FormatError) as e:
        importers.read(shared / TIV_CHINA, expected="wdi_api_csv")
    msg = str(e.value)
    assert one_line(msg)
    assert msg.startswith(f"{Path(TIV_CHINA).name}: expected a World Bank WDI indicator CSV")
    assert "got a SIPRI TIV table" in msg
    with pytest.raises(FormatError, match="expected an Our World in Data grapher CSV .*got a Deutsche Welle aggregate"):
        importers.read(shared / DW_EXPORTS, expected="owid_grapher")
    with pytest.raises(FormatError, match="expected an Our World in Data grapher CSV .*got a UCDP GED country-year"):
        importers.read(shared / GED, expected="owid_grapher")
    with pytest.raises(FormatError, match="expected an ACLED aggregated xlsx .*got a SIPRI Military Expenditure"):
        importers.read(shared / MILEX, expected="acled_aggregate")


def test_descriptions_are_noun_phrases() -> None:
    importers._load_all()
    for name, fmt in FORMATS.items():
        d = fmt.description
        assert d.startswith(("a ", "an ")) and "\n" not in d and len(d) < 220, name


if os.environ.get("BRIEFING_TIME_READS"):  # a manual timing aid: BRIEFING_TIME_READS=1 pytest -s -k timing
    def test_timing(shared: Path) -> None:
        import time

        for rel in (MILEX, ACLED_PV_MONTH, NE50):
            t = time.perf_counter()
            importers.read(shared / rel)
            print(f"{rel}: {time.perf_counter() - t:.2f} s")
