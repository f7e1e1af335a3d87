"""AidData GCDF 3.0 aggregates (analysis/importers/aiddata.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.importer_files import AID_COW, AID_GW, check_renamed_column, check_truncated_csv, load


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


@pytest.mark.parametrize("rel", [AID_GW, AID_COW])
def test_truncated_csv(shared: Path, tmp_path: Path, rel: str) -> None:
    check_truncated_csv(shared, tmp_path, rel)


@pytest.mark.parametrize("rel, old, new", [(AID_GW, "vof_adj", "vague_adj")])
def test_renamed_column(shared: Path, tmp_path: Path, rel: str, old: str, new: str) -> None:
    check_renamed_column(shared, tmp_path, rel, old, new)
