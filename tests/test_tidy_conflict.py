"""analysis.tidy.conflict: tidy.conflict_deaths from the real UCDP GED, OWID and ACLED files."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import tidy
from analysis.errors import ValidationError
from tests.conftest import one_line
from tests.importer_files import ACLED_CIV_FAT, ACLED_FAT, GED, OWID_DEATHS, OWID_MILEX, load


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
