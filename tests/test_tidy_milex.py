"""analysis.tidy.milex: tidy.military_expenditure from the real SIPRI milex workbook."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import tidy
from analysis.errors import ValidationError
from analysis.importers import Imported
from tests.conftest import one_line
from tests.importer_files import MILEX, OWID_MILEX, load


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
