"""SIPRI Military Expenditure workbook (analysis/importers/milex.py); tidy.military_expenditure is
in test_tidy_milex.py."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from analysis import importers
from analysis.errors import FormatError
from tests.conftest import one_line
from tests.importer_files import MILEX, check_random_bytes_xlsx, check_truncated_xlsx, load


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


def _milex_workbook(path: Path, constant_sheet="Constant (2023) US$", notes="Notes") -> Path:
    wb = openpyxl.Workbook()
    wb.active.title = "Front page"
    for title, sheet, blank, value in (
        ("in constant (2023) US$ m., 1949-2024", constant_sheet, True, 906.4),
        ("as percentage of gross domestic product, 1949-2024", "Share of GDP", False, 0.042),
    ):
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


@pytest.mark.parametrize("name, fmt", [("SIPRI-Milex-data-1949-2024_2.xlsx", "sipri_milex_workbook")])
def test_random_bytes_xlsx(tmp_path: Path, name: str, fmt: str) -> None:
    check_random_bytes_xlsx(tmp_path, name, fmt)


@pytest.mark.parametrize("rel", [MILEX])
def test_truncated_xlsx(shared: Path, tmp_path: Path, rel: str) -> None:
    check_truncated_xlsx(shared, tmp_path, rel)
