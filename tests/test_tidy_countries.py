"""analysis.tidy.countries: tidy.countries_reference from the real country_converter and
pycountry tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import tidy
from analysis.errors import ValidationError
from tests.importer_files import CC, PYC, load


def test_tidy_countries_reference(shared: Path) -> None:
    t = tidy.countries_reference(load(CC), load(PYC))
    assert list(t.columns) == tidy.COUNTRY_COLUMNS and t.iso3.is_unique
    assert len(t) == 255 and int(t.iso3166.sum()) == 249  # BA1 (not ISO) left out; 249 current ISO codes
    mali = t[t.iso3 == "MLI"].iloc[0]
    assert (mali.iso2, mali["name"], mali.official_name, mali.un_region, mali.continent, mali.gw_code) == (
        "ML",
        "Mali",
        "Republic of Mali",
        "Western Africa",
        "Africa",
        432,
    )
    assert t.loc[t.iso3 == "GBR", "iso2"].iloc[0] == "GB"  # country_converter writes "^GB$|^UK$"
    assert t.loc[t.iso3 == "NAM", "iso2"].iloc[0] == "NA"
    assert t.cow_code.isna().all()  # neither table carries COW codes
    with pytest.raises(ValidationError, match="expected a pycountry_json file, got country_converter_tsv"):
        tidy.countries_reference(load(CC), load(CC))
