"""Deutsche Welle aggregates of SIPRI data (analysis/importers/dw.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.importer_files import DW_BY_RECIPIENT, DW_DEALS, DW_EXPORTS, check_renamed_column, check_truncated_csv, load


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


@pytest.mark.parametrize("rel", [DW_EXPORTS, DW_BY_RECIPIENT, DW_DEALS])
def test_truncated_csv(shared: Path, tmp_path: Path, rel: str) -> None:
    check_truncated_csv(shared, tmp_path, rel)


@pytest.mark.parametrize(
    "rel, old, new", [(DW_EXPORTS, "ExportsToAfricanStates_million_TIV", "Exports_TIV"), (DW_DEALS, "Comments", "Notes")]
)
def test_renamed_column(shared: Path, tmp_path: Path, rel: str, old: str, new: str) -> None:
    check_renamed_column(shared, tmp_path, rel, old, new)
