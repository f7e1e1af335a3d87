"""UCDP PRIO ACD and GED country-year (analysis/importers/ucdp.py); tidy.conflict_deaths is in
test_tidy_conflict.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.importer_files import ACD, GED, check_renamed_column, check_truncated_csv, load


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
    expected = {
        2019: (603, 169, 455),
        2020: (580, 448, 481),
        2021: (726, 345, 216),
        2022: (1440, 755, 1455),
        2023: (1259, 375, 475),
    }
    for year, values in expected.items():
        assert tuple(int(mali[(year, t)]) for t in (1, 2, 3)) == values
    assert set(f.loc[f.country == "Mali", "country_id"]) == {432}


@pytest.mark.parametrize("rel", [ACD, GED])
def test_truncated_csv(shared: Path, tmp_path: Path, rel: str) -> None:
    check_truncated_csv(shared, tmp_path, rel)


@pytest.mark.parametrize("rel, old, new", [(ACD, "territory_name", "territory"), (GED, "best_deaths", "best_estimate")])
def test_renamed_column(shared: Path, tmp_path: Path, rel: str, old: str, new: str) -> None:
    check_renamed_column(shared, tmp_path, rel, old, new)
