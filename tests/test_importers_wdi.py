"""World Bank WDI indicator CSVs and country metadata (analysis/importers/wdi.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.importer_files import WDI_GDP, WDI_META, WDI_MIL, WDI_POP, check_renamed_column, check_truncated_csv, load


@pytest.mark.parametrize(
    "rel, indicator, updated, years",
    [
        (WDI_POP, "SP.POP.TOTL", "2026-04-08", (1960, 2025)),
        (WDI_GDP, "NY.GDP.MKTP.CD", "2024-03-28", (1960, 2023)),
        (WDI_MIL, "MS.MIL.XPND.CD", "2024-03-28", (1960, 2023)),
    ],
)
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


@pytest.mark.parametrize("rel", [WDI_POP, WDI_META])
def test_truncated_csv(shared: Path, tmp_path: Path, rel: str) -> None:
    check_truncated_csv(shared, tmp_path, rel)


@pytest.mark.parametrize("rel, old, new", [(WDI_POP, '"Indicator Name"', '"Indicator"'), (WDI_META, '"TableName"', '"Table"')])
def test_renamed_column(shared: Path, tmp_path: Path, rel: str, old: str, new: str) -> None:
    check_renamed_column(shared, tmp_path, rel, old, new)
