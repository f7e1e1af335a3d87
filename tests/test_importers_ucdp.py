"""UCDP PRIO ACD and GED country-year (analysis/importers/ucdp.py) and tidy.conflict_deaths."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import tidy
from analysis.errors import ValidationError
from tests.conftest import one_line
from tests.importer_files import (
    ACD,
    ACLED_CIV_FAT,
    ACLED_FAT,
    GED,
    OWID_DEATHS,
    OWID_MILEX,
    check_renamed_column,
    check_truncated_csv,
    load,
)


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


@pytest.mark.parametrize(
    "args, message",
    [
        ((None, None, None), "no source given"),
        ((None, OWID_MILEX, None), "not OWID's 'deaths in armed conflicts' chart"),
        ((None, None, ACLED_CIV_FAT), "expected ACLED's 'number of reported fatalities by country-year' file"),
        ((OWID_DEATHS, None, None), "expected a ucdp_ged_country_year file, got owid_grapher"),
    ],
)
def test_tidy_conflict_deaths_refuses(shared: Path, args, message) -> None:
    with pytest.raises(ValidationError, match=message) as e:
        tidy.conflict_deaths(*(load(a) if a else None for a in args))
    assert one_line(str(e.value))


def test_tidy_conflict_deaths_bad_iso3(shared: Path) -> None:
    with pytest.raises(ValidationError, match=r"iso3_of\('Afghanistan'\) returned 'afg'"):
        tidy.conflict_deaths(load(GED), None, None, iso3_of=lambda n: n[:3].lower())


@pytest.mark.parametrize("rel", [ACD, GED])
def test_truncated_csv(shared: Path, tmp_path: Path, rel: str) -> None:
    check_truncated_csv(shared, tmp_path, rel)


@pytest.mark.parametrize("rel, old, new", [(ACD, "territory_name", "territory"), (GED, "best_deaths", "best_estimate")])
def test_renamed_column(shared: Path, tmp_path: Path, rel: str, old: str, new: str) -> None:
    check_renamed_column(shared, tmp_path, rel, old, new)
