"""Our World in Data grapher CSVs (analysis/importers/owid.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.importer_files import OWID_DEATHS, OWID_MILEX, check_renamed_column, check_truncated_csv, load


def test_owid_deaths(shared: Path) -> None:
    imp = load(OWID_DEATHS)
    f = imp.frame
    col = "Deaths in ongoing conflicts (best estimate) - Conflict type: all"
    assert imp.format == "owid_grapher" and imp.release is None and not imp.meta["has_code"]
    assert imp.rows == 7632 and f.Entity.nunique() == 212 and imp.meta["years"] == (1989, 2024)
    assert imp.meta["value_columns"] == [col]
    s = f.set_index(["Entity", "Year"])[col]
    for (e, y), v in {
        ("Mali", 2012): 330,
        ("Mali", 2018): 1279,
        ("Mali", 2020): 1511,
        ("Mali", 2021): 1268,
        ("Mali", 2022): 3638,
        ("Mali", 2023): 2065,
        ("Mali", 2024): 1876,
        ("Burkina Faso", 2023): 6132,
        ("Burkina Faso", 2024): 4253,
        ("Niger", 2024): 1221,
    }.items():
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


@pytest.mark.parametrize("rel", [OWID_DEATHS, OWID_MILEX])
def test_truncated_csv(shared: Path, tmp_path: Path, rel: str) -> None:
    check_truncated_csv(shared, tmp_path, rel)


@pytest.mark.parametrize("rel, old, new", [(OWID_DEATHS, "Entity", "Country")])
def test_renamed_column(shared: Path, tmp_path: Path, rel: str, old: str, new: str) -> None:
    check_renamed_column(shared, tmp_path, rel, old, new)
